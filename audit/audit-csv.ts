/**
 * The audit trail as the security team exports it: one column list and one CSV encoding (RFC 4180
 * quoting) for `npm run audit -- --format csv` and the console's "Export CSV", so both files read the
 * same. Plain TypeScript without Node imports: the console bundles it for the browser.
 */
export const AUDIT_COLUMNS = [
  'at',
  'employeeId',
  'seq',
  'step',
  'outcome',
  'reason',
  'callerNumberMasked',
  'sessionId',
  'contactId',
  'eventId',
  // Who acted (issue #20): caller or agent, and the agent's identity ("-" for a caller). Empty on records
  // written before agents existed (format v1): a caller's.
  'actor',
  'agentId',
] as const;

export type AuditColumn = (typeof AUDIT_COLUMNS)[number];

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line, then one line per record. */
export function auditCsvLines(records: ReadonlyArray<Partial<Record<AuditColumn, unknown>>>): string[] {
  return [AUDIT_COLUMNS.join(','), ...records.map((r) => AUDIT_COLUMNS.map((c) => csvCell(r[c])).join(','))];
}
