/**
 * The softphone: dial (number, language), a 12-key keypad that sends DTMF, a box that "speaks",
 * prompts as they are played (spoken aloud when sound is on), hang up, and the call's status.
 * A call transferred to an agent can still be hung up while it waits in the queue; meanwhile the tab
 * listens (POST /api/calls/{id}/listen each second), so it hears the desk again when the agent hands
 * the caller back (the readout of a reset the agent asked for).
 * Each tab keeps its own call, so several calls can run side by side.
 */
import { api, type CallSnapshot, type Prompt } from '../api';
import { passwordGroupsFromReadout } from '../../../../lambdas/domain/password-readout';
import { announce, h } from '../dom';

const STORAGE_KEY = 'support-desk.contactId';
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function statusText(snapshot: CallSnapshot | undefined): string {
  if (!snapshot) return 'No call. Dial to start.';
  if (snapshot.ended && snapshot.disposition === 'TRANSFERRED') {
    const queue = snapshot.queue ?? '';
    if (snapshot.queueState === 'WAITING') return `Transferred to queue ${queue} — waiting for an agent`;
    if (snapshot.queueState === 'ABANDONED') return `Left queue ${queue} — call ended`;
    if (snapshot.queueState === 'TIMED_OUT') return `No agent answered in queue ${queue} — call ended`;
    if (snapshot.queueState === 'CONNECTED') return `Connected to an agent from queue ${queue}`;
    if (snapshot.queueState === 'ENDED_BY_AGENT') return 'The agent ended the call';
    if (snapshot.queueState === 'ENDED_BY_CALLER') return 'Call with the agent ended';
    return `Transferred to queue ${queue} — call ended`;
  }
  if (snapshot.ended) return `Call ended (${(snapshot.disposition ?? '').toLowerCase().replace('_', ' ')})`;
  return snapshot.awaiting === 'dtmf' ? 'Waiting for keypad input' : 'Waiting for speech or keypad input';
}

/** A spoken prompt; a password readout also shows its groups, in order. */
function promptItem(prompt: Prompt): HTMLElement {
  const item = h('li', { class: 'prompt system' }, h('span', { class: 'who' }, 'Desk: '), prompt.text);
  const groups = passwordGroupsFromReadout(prompt.ssml ?? '');
  if (groups.length) {
    item.classList.add('readout');
    item.append(
      h('div', { class: 'groups', 'aria-label': 'Temporary password, in groups' }, ...groups.map((g) => h('code', { class: 'group' }, g))),
    );
  }
  return item;
}

/** How often a tab whose call is with an agent asks what it hears. */
const LISTEN_MS = 1000;

export function callView(root: HTMLElement): () => void {
  let snapshot: CallSnapshot | undefined;
  let listening: ReturnType<typeof setTimeout> | undefined;
  let keyed = '';
  const from = h('input', {
    id: 'from',
    name: 'from',
    type: 'tel',
    value: '+15555550100',
    autocomplete: 'off',
    inputmode: 'tel',
    required: true,
  });
  const language = h(
    'select',
    { id: 'language', name: 'language' },
    h('option', { value: '' }, 'Choose on the call (menu)'),
    h('option', { value: 'en-US' }, 'English'),
    h('option', { value: 'es-US' }, 'Español'),
  );
  const sound = h('input', { id: 'sound', type: 'checkbox' });
  const status = h('p', { id: 'call-status', class: 'status', role: 'status', 'aria-live': 'polite' }, statusText(undefined));
  const transcript = h('ol', {
    id: 'transcript',
    class: 'transcript',
    'aria-label': 'Call transcript',
    role: 'log',
    'aria-live': 'polite',
  });
  const keyedOut = h('output', { id: 'keyed', 'aria-live': 'polite', for: 'keypad' }, '');
  const speech = h('input', { id: 'speech', name: 'speech', type: 'text', autocomplete: 'off', placeholder: 'e.g. reset my password' });
  const error = h('p', { class: 'error', role: 'alert' });
  const dial = h('button', { type: 'submit', class: 'primary' }, 'Dial');
  const hangUp = h('button', { type: 'button', id: 'hang-up', class: 'danger' }, 'Hang up');
  const sendKeys = h('button', { type: 'button', id: 'send-keys' }, 'Send keys');

  const speak = (text: string) => {
    if (!sound.checked || !('speechSynthesis' in window)) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language.value || (snapshot ? document.documentElement.lang : 'en-US') || 'en-US';
    window.speechSynthesis.speak(utterance);
  };
  const show = (next: CallSnapshot) => {
    snapshot = next;
    for (const prompt of next.prompts) {
      transcript.append(promptItem(prompt));
      speak(prompt.text);
    }
    status.textContent = statusText(next);
    const live = !next.ended;
    // Waiting in the queue or talking to an agent, the caller hears no more prompts but can still hang up.
    const connected = live || next.queueState === 'WAITING' || next.queueState === 'CONNECTED';
    for (const control of [sendKeys, speech, ...root.querySelectorAll<HTMLButtonElement>('.key')])
      control.toggleAttribute('disabled', !live);
    hangUp.toggleAttribute('disabled', !connected);
    if (!connected) sessionStorage.removeItem(STORAGE_KEY);
    clearTimeout(listening);
    // With an agent (or waiting for one), the caller says nothing: listen for the desk taking the call back.
    if (!live && connected) {
      const contactId = next.contactId;
      listening = setTimeout(() => {
        if (snapshot?.contactId !== contactId) return;
        void api<CallSnapshot>('POST', `/api/calls/${contactId}/listen`)
          .then((heard) => {
            if (snapshot?.contactId === contactId) show(heard);
          })
          .catch(() => {
            if (snapshot?.contactId === contactId) show({ ...snapshot, prompts: [] });
          });
      }, LISTEN_MS);
    }
    transcript.lastElementChild?.scrollIntoView({ block: 'nearest' });
  };
  const guard = async (work: () => Promise<void>) => {
    error.textContent = '';
    try {
      await work();
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  };
  const send = (input: { text: string } | { dtmf: string }) =>
    guard(async () => {
      if (!snapshot || snapshot.ended) return;
      transcript.append(
        h(
          'li',
          { class: 'prompt caller' },
          h('span', { class: 'who' }, 'You: '),
          'dtmf' in input ? `keyed ${input.dtmf || '(nothing)'}` : input.text || '(silence)',
        ),
      );
      show(await api<CallSnapshot>('POST', `/api/calls/${snapshot.contactId}/input`, input));
    });

  const form = h(
    'form',
    { class: 'dial', 'aria-label': 'Dial the desk' },
    h('div', { class: 'field' }, h('label', { for: 'from' }, 'Calling from'), from),
    h('div', { class: 'field' }, h('label', { for: 'language' }, 'Language'), language),
    h('div', { class: 'field inline' }, sound, h('label', { for: 'sound' }, 'Sound (speak the prompts)')),
    dial,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void guard(async () => {
      transcript.replaceChildren();
      keyed = '';
      keyedOut.textContent = '';
      const started = await api<CallSnapshot>('POST', '/api/calls', {
        from: from.value.trim(),
        ...(language.value ? { locale: language.value } : {}),
      });
      sessionStorage.setItem(STORAGE_KEY, started.contactId);
      show(started);
      announce('Call connected');
    });
  });

  const keypad = h('div', { id: 'keypad', class: 'keypad', role: 'group', 'aria-label': 'Keypad' });
  for (const key of KEYS) {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'key',
        'aria-label': key === '*' ? 'star' : key === '#' ? 'pound (send)' : `key ${key}`,
        'data-key': key,
        disabled: true,
      },
      key,
    );
    button.addEventListener('click', () => {
      if (key === '#') {
        const dtmf = `${keyed}#`;
        keyed = '';
        keyedOut.textContent = '';
        void send({ dtmf });
      } else {
        keyed += key;
        keyedOut.textContent = keyed;
      }
    });
    keypad.append(button);
  }
  sendKeys.addEventListener('click', () => {
    const dtmf = keyed;
    keyed = '';
    keyedOut.textContent = '';
    void send({ dtmf });
  });
  const speechForm = h(
    'form',
    { class: 'speak', 'aria-label': 'Speak' },
    h('label', { for: 'speech' }, 'Say'),
    speech,
    h('button', { type: 'submit', id: 'say' }, 'Say it'),
  );
  speechForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = speech.value;
    speech.value = '';
    void send({ text });
  });
  hangUp.addEventListener(
    'click',
    () =>
      void guard(async () => {
        if (snapshot) show(await api<CallSnapshot>('DELETE', `/api/calls/${snapshot.contactId}`));
      }),
  );

  root.append(
    h(
      'div',
      { class: 'call-layout' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'phone-heading' },
        h('h2', { id: 'phone-heading' }, 'Phone'),
        form,
        status,
        error,
        keypad,
        h('p', { class: 'keyed' }, 'Keyed: ', keyedOut),
        h('div', { class: 'row' }, sendKeys, hangUp),
        speechForm,
      ),
      h('section', { class: 'panel', 'aria-labelledby': 'heard-heading' }, h('h2', { id: 'heard-heading' }, 'What you hear'), transcript),
    ),
  );
  for (const control of [hangUp, sendKeys, speech]) control.setAttribute('disabled', '');

  // A tab keeps its call across reloads.
  const existing = sessionStorage.getItem(STORAGE_KEY);
  if (existing) {
    void guard(async () => {
      const details = await api<{
        contactId: string;
        ended: boolean;
        awaiting: CallSnapshot['awaiting'];
        disposition: string | null;
        queue: string | null;
        queueState: CallSnapshot['queueState'] | null;
      }>('GET', `/api/calls/${existing}`);
      show({
        contactId: details.contactId,
        prompts: [],
        awaiting: details.awaiting,
        ended: details.ended,
        ...(details.disposition ? { disposition: details.disposition } : {}),
        ...(details.queue ? { queue: details.queue } : {}),
        ...(details.queueState ? { queueState: details.queueState } : {}),
      });
    });
  }
  return () => {
    clearTimeout(listening);
    window.speechSynthesis?.cancel();
  };
}
