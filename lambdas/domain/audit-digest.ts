/**
 * Audit digests: what anchors the audit trail outside its table, as CloudTrail's digest files anchor
 * its logs (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html).
 *
 * Every few minutes a digest records the head (`seq`, `hash`) of every employee's chain that changed
 * since the previous digest, and the previous digest's hash, so digests chain to each other. The digest
 * body is signed with an asymmetric KMS key only the digest writer may use, and kept in an S3 bucket
 * under Object Lock. The verifier needs only the public key: a rewritten chain no longer ends in an
 * anchored hash, deleted records leave an anchored `seq` with nothing at it, a deleted digest breaks
 * the digest chain, an altered one fails its signature.
 *
 * Plain TypeScript: the signing and the bucket are adapters (lambdas/aws/audit-digest-*.ts).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

export const DIGEST_VERSION = 1;
/** KMS's ECDSA over SHA-256 (the key spec is ECC_NIST_P256); signatures are DER-encoded. */
export const DIGEST_SIGNING_ALGORITHM = 'ECDSA_SHA_256';
export const DIGEST_PREFIX = 'digests/';
/**
 * How far before the previous digest's end the writer looks again for changed chains: a record's `at` is
 * its execution's start, and it is written up to the workflow's TimeoutSeconds later (240 s, 270 s;
 * test/unit/audit-digest.test.ts holds this above both). Looking again costs a repeated head, never a missed one.
 */
export const DIGEST_LOOKBACK_SECONDS = 600;
/** The digest writer's schedule by default (deployment config `auditDigestIntervalMinutes`). */
export const DIGEST_INTERVAL_MINUTES = 5;

export interface ChainHead {
  employeeId: string;
  seq: number;
  hash: string;
}

export interface AuditDigest {
  version: typeof DIGEST_VERSION;
  /** When the digest was made (ISO, UTC); also its key in the bucket. */
  digestTime: string;
  /** Records with `at` in (windowStart, windowEnd] were looked for; null: from the beginning. */
  windowStart: string | null;
  windowEnd: string;
  /** The previous digest's key and the SHA-256 (hex) of its body; null for the first digest. */
  previousDigestKey: string | null;
  previousDigestHash: string | null;
  /** Heads of the chains that changed in the window, by employee ID. */
  heads: ChainHead[];
}

/** What the bucket holds: the body exactly as signed, and its signature. */
export interface SignedDigest {
  body: string;
  /** Base64 of the DER-encoded signature. */
  signature: string;
  signingAlgorithm: typeof DIGEST_SIGNING_ALGORITHM;
  /** The signing key (its ARN), so a verifier knows which public key to fetch. */
  keyId: string;
}

/** The body as signed: fixed field order, heads sorted, so the same digest is always the same bytes. */
export function digestBody(digest: AuditDigest): string {
  const heads = [...digest.heads]
    .sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0))
    .map((h) => ({ employeeId: h.employeeId, seq: h.seq, hash: h.hash }));
  return JSON.stringify({
    version: digest.version,
    digestTime: digest.digestTime,
    windowStart: digest.windowStart,
    windowEnd: digest.windowEnd,
    previousDigestKey: digest.previousDigestKey,
    previousDigestHash: digest.previousDigestHash,
    heads,
  });
}

/** SHA-256 of a body: what a digest signs (KMS MessageType DIGEST) and what the next digest links to. */
export function digestHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** `digests/YYYY/MM/DD/<digestTime>.json`: a day per prefix, and keys sort in time order. */
export function digestKey(digestTime: string): string {
  const day = digestTime.slice(0, 10).replaceAll('-', '/');
  return `${DIGEST_PREFIX}${day}/${digestTime}.json`;
}

/** The day prefixes from `from` to `to` (UTC), oldest first. */
export function digestDayPrefixes(from: Date, to: Date): string[] {
  const prefixes: string[] = [];
  const day = 86_400_000;
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t <= to.getTime(); t += day)
    prefixes.push(`${DIGEST_PREFIX}${new Date(t).toISOString().slice(0, 10).replaceAll('-', '/')}/`);
  return prefixes;
}

/** Whether the signature over the body's SHA-256 holds for this public key (DER SubjectPublicKeyInfo or PEM). */
export function signatureHolds(signed: SignedDigest, publicKey: Uint8Array | string): boolean {
  if (signed.signingAlgorithm !== DIGEST_SIGNING_ALGORITHM) return false;
  try {
    const key =
      typeof publicKey === 'string'
        ? createPublicKey(publicKey)
        : createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    return verify('sha256', Buffer.from(signed.body, 'utf8'), key, Buffer.from(signed.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Parses a digest body; undefined when it is not one (an altered or foreign object). */
export function parseDigest(body: string): AuditDigest | undefined {
  try {
    const d = JSON.parse(body) as AuditDigest;
    const ok =
      d.version === DIGEST_VERSION &&
      typeof d.digestTime === 'string' &&
      typeof d.windowEnd === 'string' &&
      Array.isArray(d.heads) &&
      d.heads.every((h) => typeof h.employeeId === 'string' && Number.isInteger(h.seq) && typeof h.hash === 'string');
    return ok ? d : undefined;
  } catch {
    return undefined;
  }
}

/** The next digest, given the previous one (its key and body) and the heads of the chains that changed. */
export function nextDigest(options: {
  digestTime: string;
  windowEnd: string;
  previous?: { key: string; body: string; digest: AuditDigest };
  heads: ChainHead[];
}): AuditDigest {
  return {
    version: DIGEST_VERSION,
    digestTime: options.digestTime,
    windowStart: options.previous ? options.previous.digest.windowEnd : null,
    windowEnd: options.windowEnd,
    previousDigestKey: options.previous?.key ?? null,
    previousDigestHash: options.previous ? digestHash(options.previous.body) : null,
    heads: options.heads,
  };
}
