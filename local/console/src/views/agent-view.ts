/**
 * For agents (issue #20): the calls waiting in the agent queues and those connected to an agent, longest-
 * queued first, each with what the desk learned before the transfer — the employee ID the caller confirmed,
 * how far verification got, why the call was transferred, the language and the masked calling number —
 * and how long it waited. Refreshed every two seconds. "Accept" takes a waiting call (it is then connected
 * to this agent); "End" ends a call connected to this agent. On a call connected to this agent with a
 * confirmed employee ID the agent can verify the caller: "Verify caller" sends a one-time code to the
 * employee's registered device; the caller reads it out, the agent types it and "Check code" answers in
 * words. Once verified, "Reset password" or "Unlock account" asks the desk to do it when the agent
 * leaves: "End" hands the caller back to the desk (the contact's disconnect flow), which asks the caller
 * to press 1 and then reads the temporary password to the caller alone. The agent acts as the "Agent ID"
 * typed at the top (sent as agentId, audited).
 *
 * It shows only the checked context `GET /api/agent/contacts` answers (the twin builds it from the
 * allow-listed agent* attributes alone) and the verification's status: never a code or a password (the
 * code field is emptied after each check).
 */
import { type QueuedCall, api } from '../api';
import { clear, h } from '../dom';
import { TRANSFER_WORDS, VERIFICATION_WORDS } from '../../../../lambdas/domain/agent-context-words';
import type { Locale } from '../../../../lambdas/domain/locale';

const LANGUAGE_WORDS: Record<Locale, string> = { 'en-US': 'English', 'es-US': 'Spanish' };

const COLUMNS = [
  'Waiting',
  'Employee ID',
  'Verification',
  'Why transferred',
  'Language',
  'Calling number',
  'Queue',
  'Contact',
  'Call',
  'Verify',
];

/** The start's answers in words. */
export const START_WORDS: Record<'CODE_SENT' | 'RATE_LIMITED' | 'UNAVAILABLE', string> = {
  CODE_SENT: "Code sent to the employee's registered device. Ask the caller to read it out.",
  RATE_LIMITED: 'Too many codes requested for this employee: try again later.',
  UNAVAILABLE: 'Verification is unavailable right now.',
};

/** A code check's answer in words. */
export function checkWords(answer: { status: string; attemptsLeft?: number }): string {
  switch (answer.status) {
    case 'VERIFIED':
      return 'Verified';
    case 'INVALID':
      return answer.attemptsLeft === undefined
        ? 'Wrong code'
        : `Wrong code, ${answer.attemptsLeft} attempt${answer.attemptsLeft === 1 ? '' : 's'} left`;
    case 'LOCKED':
      return 'Locked: too many wrong codes';
    case 'EXPIRED':
      return 'Expired: send a new code';
    default:
      return 'Unavailable';
  }
}

/** What a readout request answers, in words. */
export const READOUT_WORDS: Record<'RESET' | 'UNLOCK', string> = {
  RESET: 'Reset ready. End the call: the desk reads the temporary password to the caller (you will not hear it).',
  UNLOCK: 'Unlock ready. End the call: the desk unlocks the account once the caller confirms.',
};

/**
 * The verify cell of a call with a confirmed ID: "Verify caller", then the code field and "Check code".
 * The result goes to a live region; the field is emptied after every check.
 */
function verifyCell(call: QueuedCall, agentId: () => string): HTMLTableCellElement {
  const id = call.contactId;
  const result = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-role': 'verify-result' });
  const code = h('input', {
    id: `agent-code-${id}`,
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: '\\d{6}',
    maxlength: '6',
    spellcheck: 'false',
    class: 'verify-code',
    'aria-describedby': `agent-code-hint-${id}`,
  });
  const check = h('button', { type: 'submit' }, 'Check code');
  const form = h(
    'form',
    { class: 'verify-form', hidden: true, 'aria-label': `Check the caller's code for employee ${call.context.employeeId}` },
    h('label', { for: code.id }, 'Code the caller reads out'),
    h('span', { id: `agent-code-hint-${id}`, class: 'meta' }, '6 digits'),
    h('div', { class: 'field inline' }, code, check),
  );
  const start = h('button', { type: 'button', class: 'primary', 'data-action': 'verify' }, 'Verify caller');
  const readout = (label: string, action: 'RESET' | 'UNLOCK') => {
    const button = h('button', { type: 'button', 'data-action': action.toLowerCase() }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      result.classList.remove('bad');
      try {
        const answer = await api<{ status: string; action: 'RESET' | 'UNLOCK' }>(
          'POST',
          `/api/agent/contacts/${encodeURIComponent(id)}/readout`,
          { agentId: agentId(), action },
        );
        result.textContent = READOUT_WORDS[answer.action];
        result.dataset.status = answer.status;
      } catch (e) {
        fail(e);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  };
  const actions = h(
    'div',
    { class: 'row readout-actions', hidden: true },
    readout('Reset password', 'RESET'),
    readout('Unlock account', 'UNLOCK'),
  );
  const fail = (e: unknown) => {
    result.classList.add('bad');
    result.textContent = (e as Error).message;
  };
  start.addEventListener('click', async () => {
    start.disabled = true;
    result.classList.remove('bad');
    result.textContent = 'Sending a code…';
    try {
      const { status } = await api<{ status: keyof typeof START_WORDS }>(
        'POST',
        `/api/agent/contacts/${encodeURIComponent(id)}/verification`,
        {
          agentId: agentId(),
        },
      );
      result.textContent = START_WORDS[status] ?? START_WORDS.UNAVAILABLE;
      result.classList.toggle('bad', status !== 'CODE_SENT');
      actions.hidden = true;
      if (status === 'CODE_SENT') {
        form.hidden = false;
        start.textContent = 'Send a new code';
        code.focus();
      }
    } catch (e) {
      fail(e);
    } finally {
      start.disabled = false;
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = code.value.trim();
    // Emptied at once: the code is never left on screen.
    code.value = '';
    check.disabled = true;
    result.classList.remove('bad');
    try {
      const answer = await api<{ status: string; attemptsLeft?: number }>(
        'POST',
        `/api/agent/contacts/${encodeURIComponent(id)}/verification/code`,
        { agentId: agentId(), code: typed },
      );
      result.textContent = checkWords(answer);
      result.dataset.status = answer.status;
      result.classList.toggle('bad', answer.status !== 'VERIFIED');
      if (answer.status !== 'INVALID') form.hidden = true;
      actions.hidden = answer.status !== 'VERIFIED';
    } catch (e) {
      fail(e);
    } finally {
      check.disabled = false;
    }
  });
  return h('td', { 'data-column': 'verify' }, start, form, actions, result);
}

/**
 * The call cell: "Accept" on a waiting call, "End" on one connected to this agent, who has it otherwise.
 * After either, the queue is read again (`done`).
 */
function callCell(call: QueuedCall, mine: boolean, agentId: () => string, done: () => Promise<void>): HTMLTableCellElement {
  const id = call.contactId;
  const result = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-role': 'call-result' });
  const act = (label: string, action: 'accept' | 'end', cls: string) => {
    const button = h('button', { type: 'button', class: cls, 'data-action': action }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      result.classList.remove('bad');
      result.textContent = '';
      try {
        await api('POST', `/api/agent/contacts/${encodeURIComponent(id)}/${action}`, { agentId: agentId() });
        await done();
      } catch (e) {
        result.classList.add('bad');
        result.textContent = (e as Error).message;
      } finally {
        button.disabled = false;
      }
    });
    return button;
  };
  if (call.state === 'WAITING')
    return h('td', { 'data-column': 'call', 'data-state': 'WAITING' }, act('Accept', 'accept', 'primary'), result);
  if (mine)
    return h('td', { 'data-column': 'call', 'data-state': 'CONNECTED' }, h('span', {}, 'Connected to you '), act('End', 'end', ''), result);
  return h('td', { 'data-column': 'call', 'data-state': 'CONNECTED' }, `With agent ${call.agentId ?? '?'}`);
}

/** The verify cell for this agent: the verification on its own connected calls only. */
function verifyOrNot(call: QueuedCall, mine: boolean, agentId: () => string): HTMLTableCellElement {
  if (!mine)
    return h(
      'td',
      { 'data-column': 'verify' },
      missing(call.state === 'WAITING' ? 'Accept the call to verify the caller' : "Another agent's call"),
    );
  return call.context.employeeId
    ? verifyCell(call, agentId)
    : h('td', { 'data-column': 'verify' }, missing('No confirmed ID: verify by another way'));
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A value the context left out (absent, or dropped as malformed) shows as this, never as a blank. */
const missing = (words: string) => h('span', { class: 'meta' }, words);

function contextCells(call: QueuedCall): HTMLTableCellElement[] {
  const { employeeId, verificationState, transferReason, locale, callerNumberMasked } = call.context;
  return [
    h('td', { 'data-column': 'employee' }, employeeId ?? missing('Not confirmed')),
    h(
      'td',
      { 'data-column': 'verification', 'data-state': verificationState },
      verificationState ? VERIFICATION_WORDS[verificationState] : missing('Not given'),
    ),
    h(
      'td',
      { 'data-column': 'reason', 'data-reason': transferReason },
      transferReason ? TRANSFER_WORDS[transferReason] : missing('Not given'),
    ),
    h('td', { 'data-column': 'language', lang: locale }, locale ? `${LANGUAGE_WORDS[locale]} (${locale})` : missing('Not given')),
    h('td', { 'data-column': 'number' }, callerNumberMasked ?? missing('Not given')),
  ];
}

export function agentView(root: HTMLElement): () => void {
  const agent = h('input', {
    id: 'agent-id',
    type: 'text',
    value: 'agent-local',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '128',
  });
  const agentId = () => agent.value.trim();
  const rows = new Map<
    string,
    { row: HTMLTableRowElement; waiting: HTMLTimeElement; key: string; cells: [HTMLTableCellElement, HTMLTableCellElement] }
  >();
  let last: QueuedCall[] = [];
  const body = h('tbody', { id: 'agent-queue-rows' });
  const empty = h('tr', { class: 'empty' }, h('td', { colspan: String(COLUMNS.length) }, 'No calls are waiting.'));
  const status = h('p', { id: 'agent-status', class: 'status', role: 'status', 'aria-live': 'polite' }, 'Loading the queue…');
  const error = h('p', { class: 'error', role: 'alert' });
  let loaded = false;

  const render = (calls: QueuedCall[]) => {
    last = calls;
    const present = new Set(calls.map((c) => c.contactId));
    for (const [contactId, { row }] of rows)
      if (!present.has(contactId)) {
        row.remove();
        rows.delete(contactId);
      }
    // Rows are updated in place, not rebuilt: a later slice's buttons keep their focus across refreshes.
    // The twin answers longest-waiting first, so a new call is the newest and goes last.
    // A row's call and verify cells are rebuilt only when the call changes hands (or the agent ID does).
    for (const call of calls) {
      const mine = call.state === 'CONNECTED' && call.agentId === agentId();
      const key = `${call.state}|${call.agentId ?? ''}|${mine}`;
      const known = rows.get(call.contactId);
      if (known) {
        known.waiting.textContent = formatWait(call.waitingSeconds);
        known.waiting.dateTime = `PT${call.waitingSeconds}S`;
        if (known.key !== key) {
          const focused = known.cells.some((cell) => cell.contains(document.activeElement));
          const cells: [HTMLTableCellElement, HTMLTableCellElement] = [
            callCell(call, mine, agentId, refresh),
            verifyOrNot(call, mine, agentId),
          ];
          known.cells[0].replaceWith(cells[0]);
          known.cells[1].replaceWith(cells[1]);
          known.cells = cells;
          known.key = key;
          // Focus stays on the row: on its next action.
          if (focused) cells[0].querySelector('button')?.focus();
        }
        continue;
      }
      const cells: [HTMLTableCellElement, HTMLTableCellElement] = [
        callCell(call, mine, agentId, refresh),
        verifyOrNot(call, mine, agentId),
      ];
      const waiting = h('time', { datetime: `PT${call.waitingSeconds}S` }, formatWait(call.waitingSeconds));
      const row = h(
        'tr',
        { 'data-contact-id': call.contactId },
        h('td', { 'data-column': 'waiting' }, waiting),
        ...contextCells(call),
        h('td', { 'data-column': 'queue' }, call.queue),
        h('td', { 'data-column': 'contact' }, h('code', { title: call.contactId }, call.contactId.slice(0, 8))),
        ...cells,
      );
      rows.set(call.contactId, { row, waiting, key, cells });
      body.append(row);
    }
    if (calls.length === 0) {
      if (!empty.isConnected) body.append(empty);
    } else empty.remove();
    const waitingCount = calls.filter((c) => c.state === 'WAITING').length;
    const connectedCount = calls.length - waitingCount;
    const summary =
      (waitingCount === 0 ? 'No calls waiting' : `${waitingCount} call${waitingCount === 1 ? '' : 's'} waiting`) +
      (connectedCount === 0 ? '.' : `, ${connectedCount} connected.`);
    // Only a change is announced, not every refresh.
    if (status.textContent !== summary) status.textContent = summary;
  };
  async function refresh(): Promise<void> {
    try {
      const { contacts } = await api<{ contacts: QueuedCall[] }>('GET', '/api/agent/contacts');
      error.textContent = '';
      loaded = true;
      render(contacts);
    } catch (e) {
      error.textContent = `Could not read the queue: ${(e as Error).message}`;
      if (!loaded) clear(body);
    }
  }
  agent.addEventListener('change', () => {
    if (loaded) render(last);
  });

  root.append(
    h(
      'p',
      { class: 'meta' },
      'Calls transferred to an agent, waiting or connected, longest-waiting first, with what the desk learned before the transfer. ',
      'Never a code or a password. Refreshed every 2 seconds.',
    ),
    h(
      'div',
      { class: 'field inline' },
      h('label', { for: 'agent-id' }, 'Agent ID'),
      agent,
      h('span', { class: 'meta' }, 'who you act as: recorded in the audit with every verification'),
    ),
    status,
    error,
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Waiting calls' },
      h(
        'table',
        { id: 'agent-queue' },
        h('caption', {}, 'Calls waiting for an agent, longest-waiting first'),
        h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        body,
      ),
    ),
  );
  void refresh();
  const timer = setInterval(() => void refresh(), 2000);
  return () => clearInterval(timer);
}
