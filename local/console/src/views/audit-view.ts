/**
 * For the security team: the audit trail by employee, outcome, actor (caller or agent, with the agent's
 * identity) and time; the verification (records,
 * chains and signed digests, as `npm run audit -- --verify`); the digests' status; CSV export.
 */
import { AUDIT_COLUMNS, auditCsvLines } from '../../../../audit/audit-csv';
import { api, type AuditRecord } from '../api';
import { clear, formatTime, h } from '../dom';

const OUTCOMES = [
  '',
  'CODE_SENT',
  'REJECTED',
  'RATE_LIMITED',
  'NOT_DELIVERED',
  'INVALID',
  'LOCKED',
  'EXPIRED',
  'RESET',
  'UNLOCKED',
  'UNLOCK_UNSUPPORTED',
  'VERIFIED',
  'ERROR',
];

export function auditView(root: HTMLElement): void {
  let records: AuditRecord[] = [];
  let cursor: string | undefined;
  const employee = h('input', {
    id: 'audit-employee',
    type: 'text',
    inputmode: 'numeric',
    pattern: '\\d{7}',
    placeholder: '1234567',
    autocomplete: 'off',
  });
  const type = h('select', { id: 'audit-type' }, ...OUTCOMES.map((o) => h('option', { value: o }, o || 'Any outcome')));
  // Who acted (issue #20): a caller at the IVR (records from before agents included), or an agent.
  const actor = h(
    'select',
    { id: 'audit-actor' },
    ...[
      ['', 'Anyone'],
      ['caller', 'Caller'],
      ['agent', 'Agent'],
    ].map(([v, l]) => h('option', { value: v! }, l!)),
  );
  const since = h(
    'select',
    { id: 'audit-since' },
    ...[
      ['1h', 'Last hour'],
      ['24h', 'Last 24 hours'],
      ['7d', 'Last 7 days'],
      ['30d', 'Last 30 days'],
    ].map(([v, l]) => h('option', { value: v!, selected: v === '24h' }, l!)),
  );
  const body = h('tbody');
  const summary = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const chain = h('p', { id: 'chain-result', class: 'status', role: 'status', 'aria-live': 'polite' }, 'Trail not checked yet.');
  const digestStatus = h('p', { id: 'digest-status', class: 'status' }, 'Digests: …');
  const showDigests = async () => {
    try {
      const d = await api<{
        intervalMinutes: number;
        newest?: { digestTime: string; heads: number };
        lastAnchoredHeadAt?: string;
      }>('GET', '/api/audit/digests');
      digestStatus.textContent = d.newest
        ? `Digests every ${d.intervalMinutes} min; newest ${formatTime(d.newest.digestTime)} (${d.newest.heads} chain head(s)); last anchored head ${d.lastAnchoredHeadAt ? formatTime(d.lastAnchoredHeadAt) : 'none in the last day'}.`
        : `Digests every ${d.intervalMinutes} min; none in the last day yet.`;
    } catch (e) {
      digestStatus.textContent = `Digests: ${(e as Error).message}`;
    }
  };
  void showDigests();
  const writeDigest = h('button', { type: 'button', id: 'write-digest' }, 'Write a digest now');
  writeDigest.addEventListener('click', async () => {
    await api('POST', '/api/audit/digest');
    await showDigests();
  });
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, 'Load more');
  const error = h('p', { class: 'error', role: 'alert' });

  const render = () => {
    clear(body);
    for (const r of records) {
      body.append(
        h('tr', {}, ...AUDIT_COLUMNS.map((c) => h('td', { 'data-column': c }, c === 'at' ? formatTime(r.at) : String(r[c] ?? '')))),
      );
    }
    summary.textContent = `${records.length} record(s)${cursor ? ', more available' : ''}`;
    more.hidden = !cursor;
  };
  const load = async (append: boolean) => {
    error.textContent = '';
    const params = new URLSearchParams({ from: since.value, limit: '100' });
    if (employee.value.trim()) params.set('employeeId', employee.value.trim());
    if (type.value) params.set('type', type.value);
    if (actor.value) params.set('actor', actor.value);
    if (append && cursor) params.set('cursor', cursor);
    try {
      const page = await api<{ records: AuditRecord[]; cursor?: string }>('GET', `/api/audit?${params}`);
      records = append ? [...records, ...page.records] : page.records;
      cursor = page.cursor;
      render();
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  };
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter the audit trail' },
    h('div', { class: 'field' }, h('label', { for: 'audit-employee' }, 'Employee ID'), employee),
    h('div', { class: 'field' }, h('label', { for: 'audit-type' }, 'Outcome'), type),
    h('div', { class: 'field' }, h('label', { for: 'audit-actor' }, 'Actor'), actor),
    h('div', { class: 'field' }, h('label', { for: 'audit-since' }, 'Time'), since),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(false);
  });
  more.addEventListener('click', () => void load(true));
  const verify = h('button', { type: 'button', id: 'verify-chains' }, 'Verify the trail');
  verify.addEventListener('click', async () => {
    chain.textContent = 'Checking…';
    const result = await api<{
      ok: boolean;
      empty: boolean;
      employees: number;
      records: number;
      digests: number;
      unanchored: number;
      findings: Array<{ problem: string; where: string; detail: string }>;
    }>('GET', `/api/audit/verify?since=${since.value}`);
    chain.textContent = result.findings.length
      ? `BROKEN: ${result.findings.map((f) => `${f.where}: ${f.problem}`).join('; ')}`
      : result.empty
        ? 'Nothing to verify in this time range.'
        : `Trail intact: ${result.employees} chain(s), ${result.records} record(s), ${result.digests} digest(s) verified` +
          (result.unanchored ? `; ${result.unanchored} record(s) not yet in a digest.` : '.');
    chain.classList.toggle('bad', result.findings.length > 0);
    await showDigests();
  });
  const exportCsv = h('button', { type: 'button', id: 'export-csv' }, 'Export CSV');
  exportCsv.addEventListener('click', () => {
    const csv = auditCsvLines(records).join('\n');
    const link = h('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'support-desk-audit.csv' });
    link.click();
  });
  root.append(
    form,
    h('div', { class: 'row' }, verify, writeDigest, exportCsv),
    chain,
    digestStatus,
    error,
    summary,
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Audit records' },
      h(
        'table',
        { id: 'audit-table' },
        h('caption', { class: 'visually-hidden' }, 'Audit records, newest first'),
        h('thead', {}, h('tr', {}, ...AUDIT_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        body,
      ),
    ),
    more,
  );
  void load(false);
}
