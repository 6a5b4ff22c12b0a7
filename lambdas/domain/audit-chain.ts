/**
 * Tamper evidence for the audit trail: each record of an employee carries `prevHash` (the previous
 * record's hash, "GENESIS" for the first) and `hash` = SHA-256 of the record's fields joined by "|"
 * in a fixed order. The workflows compute it in ASL (States.Hash over States.Format with exactly
 * this order); `npm run audit -- --verify` recomputes it here.
 */
import { createHash } from 'node:crypto';

export const GENESIS = 'GENESIS';

export interface AuditRecord {
  employeeId: string;
  /** Position in the employee's chain, from 1. */
  seq: number;
  day: string;
  at: string;
  eventId: string;
  workflow: string;
  step: string;
  outcome: string;
  reason: string;
  sessionId: string;
  contactId: string;
  callerNumberMasked: string;
  locale: string;
  executionId: string;
  prevHash: string;
  hash: string;
}

/** The hashed fields, in the order the ASL's States.Format writes them: every stored field but `hash` itself. */
export const CHAINED_FIELDS = [
  'prevHash',
  'employeeId',
  'seq',
  'eventId',
  'at',
  'workflow',
  'step',
  'outcome',
  'reason',
  'sessionId',
  'contactId',
  'callerNumberMasked',
  'locale',
  'executionId',
  'day',
] as const satisfies ReadonlyArray<keyof AuditRecord>;

export function chainInput(record: AuditRecord): string {
  return CHAINED_FIELDS.map((f) => String(record[f])).join('|');
}

export function auditHash(record: AuditRecord): string {
  return createHash('sha256').update(chainInput(record), 'utf8').digest('hex');
}

export interface ChainBreak {
  employeeId: string;
  seq: number;
  eventId: string;
  problem: 'HASH_MISMATCH' | 'BROKEN_LINK' | 'MISSING_RECORD';
  detail: string;
}

/** Checks one employee's chain (records in any order); returns every break found. */
export function verifyChain(records: readonly AuditRecord[]): ChainBreak[] {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  const breaks: ChainBreak[] = [];
  let previous: AuditRecord | undefined;
  for (const record of sorted) {
    const at = { employeeId: record.employeeId, seq: record.seq, eventId: record.eventId };
    const expectedPrev = previous ? previous.hash : GENESIS;
    if (previous && record.seq !== previous.seq + 1)
      breaks.push({ ...at, problem: 'MISSING_RECORD', detail: `records ${previous.seq + 1}..${record.seq - 1} are missing` });
    else if (!previous && record.seq !== 1)
      breaks.push({ ...at, problem: 'MISSING_RECORD', detail: `records 1..${record.seq - 1} are missing` });
    if (record.prevHash !== expectedPrev)
      breaks.push({ ...at, problem: 'BROKEN_LINK', detail: 'prevHash does not match the previous record' });
    const recomputed = auditHash(record);
    if (recomputed !== record.hash) breaks.push({ ...at, problem: 'HASH_MISMATCH', detail: 'the record was changed after it was written' });
    previous = record;
  }
  return breaks;
}
