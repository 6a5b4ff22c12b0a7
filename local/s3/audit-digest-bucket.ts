/**
 * The bucket the audit digests are kept in: Object Lock on, default retention COMPLIANCE for 400
 * days, so a digest cannot be deleted or overwritten by anyone — its account root included — before
 * the retention ends (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes).
 * The twin creates it at start (`startTwin`'s `auditDigestRetentionDays` shortens the period for tests);
 * in AWS the stack does.
 */
import type { BucketSetup } from './s3-object-store';

export const AUDIT_DIGEST_BUCKET = 'support-desk-audit-digests';
export const AUDIT_DIGEST_RETENTION_DAYS = 400;

export function auditDigestBucket(retentionDays = AUDIT_DIGEST_RETENTION_DAYS): BucketSetup {
  return { name: AUDIT_DIGEST_BUCKET, objectLock: { mode: 'COMPLIANCE', days: retentionDays } };
}
