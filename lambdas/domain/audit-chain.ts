/**
 * Tamper evidence for the audit trail: each record of an employee carries `prevHash` (the previous
 * record's hash, "GENESIS" for the first) and `hash` = SHA-256 of the record's fields joined by "|"
 * in a fixed order. The workflows compute it in ASL (States.Hash over States.Format with exactly
 * this order); `npm run audit -- --verify` recomputes it here.
 *
 * Two formats live in one chain, told apart by the record itself (`chainFieldsOf`):
 * - v1, the records written before agents existed: no `actor`; CHAINED_FIELDS_V1.
 * - v2, every record written since (issue #20): the v1 fields in the v1 order, then `actor` and
 *   `agentId`; CHAINED_FIELDS_V2. Removing `actor` from a v2 record, or adding one to a v1 record,
 *   changes the fields hashed, so the stored hash no longer matches (HASH_MISMATCH).
 */
import { createHash } from 'node:crypto';
import type { Actor } from './actor';

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
  /** v2: who acted, the caller (IVR) or an agent. Absent on v1 records. */
  actor?: Actor;
  /** v2: the agent's identity (lambdas/domain/actor.ts), "-" for a caller. Absent on v1 records. */
  agentId?: string;
}

/** A record as every writer writes it now (v2): `actor` and `agentId` always set. */
export type AuditRecordV2 = AuditRecord & Required<Pick<AuditRecord, 'actor' | 'agentId'>>;

/** v1's hashed fields, in the order the ASL's States.Format wrote them: every stored field of a v1 record but `hash` itself. */
export const CHAINED_FIELDS_V1 = [
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

/** v2's hashed fields, in the order the ASL's States.Format writes them: v1's, then `actor`, then `agentId`. */
export const CHAINED_FIELDS_V2 = [...CHAINED_FIELDS_V1, 'actor', 'agentId'] as const satisfies ReadonlyArray<keyof AuditRecord>;

/** The fields the hash of this record covers: v2's when it has an `actor` (stored, even if empty), else v1's. */
export function chainFieldsOf(record: Pick<AuditRecord, 'actor'>): ReadonlyArray<keyof AuditRecord> {
  return 'actor' in record && record.actor !== undefined ? CHAINED_FIELDS_V2 : CHAINED_FIELDS_V1;
}

/** Every field a record of this format may store: its hashed fields and `hash`; any other is UNHASHED_FIELD. */
export function storedFieldsOf(record: Pick<AuditRecord, 'actor'>): ReadonlySet<string> {
  return new Set<string>([...chainFieldsOf(record), 'hash']);
}

export function chainInput(record: AuditRecord): string {
  return chainFieldsOf(record)
    .map((f) => String(record[f]))
    .join('|');
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
