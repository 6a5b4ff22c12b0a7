/**
 * Appends one record to an employee's hash-chained audit trail from a Lambda, the way the workflows'
 * audit states do (state-machines/*.asl.json: ReadAuditChain → WriteAudit): read the chain's head
 * (consistent), write the next sequence number on condition that nobody took it, and go round again
 * on contention, at most AUDIT_ROUNDS times. The same fields and the same hash, format v2 with `actor`
 * and `agentId` (lambdas/domain/audit-chain.ts), so `npm run audit -- --verify` and the signed digests cover these
 * records like any other. Used where an outcome happens outside a workflow: a code that could not be
 * delivered (no recovery channel, or the sending failed), which the caller never hears about.
 *
 * Written by hand: the chain is this product's own format; no library appends to it.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import { auditHash, GENESIS, type AuditRecord, type AuditRecordV2 } from '../domain/audit-chain';

/** As the workflows' counted loop (AuditRetry?: 20 rounds). */
export const AUDIT_ROUNDS = 20;
/** How far back a redelivered event's record is looked for (one employee's records of one delivery). */
const RECENT_RECORDS = 5;

/** Always a v2 record: who acted (`actor`, `agentId`) is part of every entry. */
export type AuditEntry = Omit<AuditRecordV2, 'seq' | 'prevHash' | 'hash' | 'day'>;

/**
 * Appends `entry` to its employee's chain. Returns false when the record of this `eventId` and `step` is
 * already there (a redelivered event), true when written; throws when the chain stayed contended for
 * every round or DynamoDB failed (the caller raises AuditWriteFailed, as the workflows do).
 */
export async function appendAuditRecord(table: string, entry: AuditEntry): Promise<boolean> {
  for (let round = 0; round < AUDIT_ROUNDS; round += 1) {
    const recent = await documentClient.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'employeeId = :e',
        ExpressionAttributeValues: { ':e': entry.employeeId },
        ScanIndexForward: false,
        Limit: RECENT_RECORDS,
        ConsistentRead: true,
        ProjectionExpression: 'seq, #hash, eventId, step',
        ExpressionAttributeNames: { '#hash': 'hash' },
      }),
    );
    const items = (recent.Items ?? []) as Array<Pick<AuditRecord, 'seq' | 'hash' | 'eventId' | 'step'>>;
    if (items.some((r) => r.eventId === entry.eventId && r.step === entry.step)) return false;
    const head = items[0];
    const record: AuditRecordV2 = {
      ...entry,
      seq: head ? Number(head.seq) + 1 : 1,
      prevHash: head ? head.hash : GENESIS,
      day: entry.at.slice(0, 10),
      hash: '',
    };
    record.hash = auditHash(record);
    try {
      await documentClient.send(new PutCommand({ TableName: table, Item: record, ConditionExpression: 'attribute_not_exists(seq)' }));
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new Error(`the audit chain stayed contended for ${AUDIT_ROUNDS} rounds`);
}
