/**
 * Scheduled (every few minutes) and on demand: writes the next audit digest (lambdas/domain/audit-digest.ts):
 * the heads of the chains that changed since the previous digest, linked to it, signed with the digest key,
 * put in the Object Lock bucket. Writes one even when nothing changed, so a gap in the digests shows.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AuditTrail } from '../../audit/audit-trail';
import { documentClient } from '../aws/dynamodb-client';
import { AuditDigestBucket } from '../aws/audit-digest-bucket';
import { AuditDigestSigner } from '../aws/audit-digest-signer';
import { ENV, positiveIntegerEnv, requiredEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import {
  DIGEST_LOOKBACK_SECONDS,
  digestBody,
  digestKey,
  nextDigest,
  parseDigest,
  type ChainHead,
  type SignedDigest,
} from '../domain/audit-digest';

const trail = new AuditTrail(documentClient, tableName('Audit'));
const bucket = new AuditDigestBucket(requiredEnv(ENV.auditDigestBucket));
const signer = new AuditDigestSigner(requiredEnv(ENV.auditDigestKeyId));
const lookbackMs = positiveIntegerEnv(ENV.auditDigestLookbackSeconds, DIGEST_LOOKBACK_SECONDS) * 1000;
/** The first digest looks this far back (the audit table's retention horizon for queries). */
const FIRST_DIGEST_DAYS = 400;
const tools = observability();
const { logger, metrics } = tools;

export interface DigestWritten {
  key: string;
  /** Another invocation for the same scheduled time wrote it first (EventBridge delivers at least once). */
  alreadyWritten: boolean;
  heads: number;
  windowStart: string | null;
  windowEnd: string;
}

/** An EventBridge scheduled event (its `time` is the scheduled time, the same in a duplicate delivery). */
interface ScheduledEvent {
  'detail-type'?: string;
  time?: string;
}

/** The digest's time: the schedule's slot when scheduled (a duplicate invocation then names the same key), else now. */
function digestTimeOf(event: ScheduledEvent | undefined, now: Date): Date {
  if (event?.['detail-type'] !== 'Scheduled Event' || typeof event.time !== 'string') return now;
  const scheduled = new Date(event.time);
  return Number.isNaN(scheduled.getTime()) || scheduled > now ? now : scheduled;
}

export const handler = instrumented(tools, async (event: ScheduledEvent | undefined): Promise<DigestWritten> => {
  const clock = new Date();
  const now = digestTimeOf(event, clock);
  // The newest digest as of the clock, not as of the slot: a run delivered late (EventBridge retries an
  // invocation for hours) for a slot on an earlier day than the newest digest would otherwise not see it, and
  // write a second digest after the same previous one.
  const previousKey = await bucket.latestKey(clock, FIRST_DIGEST_DAYS);
  let previous: { key: string; body: string; digest: NonNullable<ReturnType<typeof parseDigest>> } | undefined;
  if (previousKey) {
    const signed = JSON.parse(await bucket.read(previousKey)) as SignedDigest;
    const digest = parseDigest(signed.body);
    // A digest the writer cannot read is for the verifier to name; the next one still links to its key and bytes.
    if (!digest) throw new Error(`the latest digest ${previousKey} is not a digest`);
    previous = { key: previousKey, body: signed.body, digest };
  }
  // A late or repeated scheduled run: a digest at or after its slot exists, and digests only move forward.
  if (previous && now.toISOString() <= previous.digest.digestTime)
    return {
      key: previous.key,
      alreadyWritten: true,
      heads: 0,
      windowStart: previous.digest.windowStart,
      windowEnd: previous.digest.windowEnd,
    };
  const since = previous
    ? new Date(new Date(previous.digest.windowEnd).getTime() - lookbackMs)
    : new Date(now.getTime() - FIRST_DIGEST_DAYS * 86_400_000);
  const heads: ChainHead[] = [];
  for (const employeeId of await trail.employeesBetween(since, now)) {
    const head = await trail.head(employeeId);
    if (head) heads.push({ employeeId, seq: Number(head.seq), hash: head.hash });
  }
  const digest = nextDigest({ digestTime: now.toISOString(), windowEnd: now.toISOString(), ...(previous ? { previous } : {}), heads });
  const key = digestKey(digest.digestTime);
  if (!(await bucket.put(key, await signer.sign(digestBody(digest))))) {
    logger.info('audit digest already written', { key });
    return { key, alreadyWritten: true, heads: 0, windowStart: digest.windowStart, windowEnd: digest.windowEnd };
  }
  metrics.addMetric('AuditDigestWritten', MetricUnit.Count, 1);
  metrics.addMetric('AuditDigestHeads', MetricUnit.Count, heads.length);
  logger.info('audit digest written', { key, heads: heads.length });
  return { key, alreadyWritten: false, heads: heads.length, windowStart: digest.windowStart, windowEnd: digest.windowEnd };
});
