/**
 * `npm run audit -- --verify`: the audit trail checked against itself and against the signed digests,
 * with read access only (DynamoDB Query, S3 List/Get, and a public key: from kms:GetPublicKey or a file).
 *
 * - records against their chains: every stored field hashed (by the record's format, v1 or v2), links, no gap
 *   (lambdas/domain/audit-chain.ts);
 * - chains against the digests: each anchored head (`seq`, `hash`) still in its chain — a rewritten chain
 *   no longer ends in an anchored hash, deleted latest records leave an anchored `seq` with nothing at it,
 *   a deleted chain leaves an anchored employee with no records;
 * - digests against the key and each other: every version's signature, every link to the previous
 *   digest, no delete marker, no second version, and the newest digest recent enough.
 * A range that holds nothing says so: it is not reported as verified.
 */
import { storedFieldsOf, verifyChain } from '../lambdas/domain/audit-chain';
import {
  digestDayPrefixes,
  digestHash,
  digestKey,
  parseDigest,
  signatureHolds,
  type AuditDigest,
  type SignedDigest,
} from '../lambdas/domain/audit-digest';
import type { DigestReader } from '../lambdas/aws/audit-digest-bucket';
import type { AuditTrail } from './audit-trail';

export type FindingProblem =
  | 'HASH_MISMATCH'
  | 'BROKEN_LINK'
  | 'MISSING_RECORD'
  | 'UNHASHED_FIELD'
  | 'CHAIN_REWRITTEN'
  | 'RECORDS_DELETED'
  | 'CHAIN_DELETED'
  | 'DIGEST_SIGNATURE_INVALID'
  | 'DIGEST_UNREADABLE'
  | 'DIGEST_MISPLACED'
  | 'DIGEST_MISSING'
  | 'DIGEST_FORK'
  | 'DIGEST_OVERWRITTEN'
  | 'DIGEST_DELETED'
  | 'DIGEST_LATE';

export interface Finding {
  problem: FindingProblem;
  /** "employee 1234567 record 3", or "digest digests/2026/…json". */
  where: string;
  detail: string;
}

export interface VerificationReport {
  from: string;
  to: string;
  employees: number;
  records: number;
  digests: number;
  /** Records newer than their chain's last anchored head: covered by the next digest. */
  unanchored: number;
  /** The newest digest's time, if any. */
  newestDigest?: string;
  findings: Finding[];
  /** Nothing in the range: no record and no digest written in it. */
  empty: boolean;
}

/** The longest range a verification covers: the digests' default retention. */
export const MAX_VERIFY_DAYS = 400;
const DAY_MS = 86_400_000;

interface ReadDigest {
  key: string;
  body: string;
  digest: AuditDigest;
}

export async function verifyAuditTrail(options: {
  trail: Pick<AuditTrail, 'chain' | 'employeesBetween'>;
  digests: DigestReader;
  publicKey: Uint8Array | string;
  from: Date;
  to: Date;
  now?: Date;
  employeeId?: string;
  /** The writer's schedule: the newest digest may be at most three intervals old. */
  digestIntervalMinutes: number;
}): Promise<VerificationReport> {
  const now = options.now ?? new Date();
  if (options.from > options.to) throw new RangeError('--since must be before --until');
  if (options.to.getTime() - options.from.getTime() > MAX_VERIFY_DAYS * DAY_MS)
    throw new RangeError(`a verification covers at most ${MAX_VERIFY_DAYS} days (the digests' retention); narrow --since`);
  const findings: Finding[] = [];

  // 1. Digests written from the day before the range to the day after it (they anchor its records):
  //    signatures, versions, links.
  const listUntil = new Date(Math.min(now.getTime(), options.to.getTime() + DAY_MS));
  const prefixes = digestDayPrefixes(new Date(options.from.getTime() - DAY_MS), listUntil);
  const objects = await options.digests.listVersions(prefixes);
  const read: ReadDigest[] = [];
  for (const object of objects) {
    const where = `digest ${object.key}`;
    if (object.versions.some((v) => v.deleteMarker))
      findings.push({ problem: 'DIGEST_DELETED', where, detail: 'a delete marker hides it (the locked version is still there)' });
    const versions = object.versions.filter((v) => !v.deleteMarker);
    if (versions.length > 1)
      findings.push({
        problem: 'DIGEST_OVERWRITTEN',
        where,
        detail: `${versions.length} versions: it was written again after it was signed`,
      });
    let original: ReadDigest | undefined;
    for (const version of versions) {
      const text = await options.digests.read(object.key, version.versionId);
      const signed = parseSigned(text);
      const digest = signed && parseDigest(signed.body);
      if (!signed || !digest) {
        findings.push({ problem: 'DIGEST_UNREADABLE', where, detail: `version ${version.versionId} is not a signed digest` });
        continue;
      }
      if (!signatureHolds(signed, options.publicKey)) {
        findings.push({
          problem: 'DIGEST_SIGNATURE_INVALID',
          where,
          detail: `version ${version.versionId}: the signature does not match its content`,
        });
        continue;
      }
      if (digestKey(digest.digestTime) !== object.key) {
        findings.push({ problem: 'DIGEST_MISPLACED', where, detail: `it was signed as ${digestKey(digest.digestTime)}` });
        continue;
      }
      original ??= { key: object.key, body: signed.body, digest };
    }
    if (original) read.push(original);
  }
  const byKey = new Map(read.map((d) => [d.key, d]));
  const successors = new Map<string, string[]>();
  for (const d of read) {
    const previous = d.digest.previousDigestKey;
    if (previous === null) continue;
    successors.set(previous, [...(successors.get(previous) ?? []), d.key]);
    const found = byKey.get(previous);
    if (found) {
      if (digestHash(found.body) !== d.digest.previousDigestHash)
        findings.push({
          problem: 'DIGEST_MISSING',
          where: `digest ${d.key}`,
          detail: `its previous digest ${previous} is not the one it was linked to`,
        });
    } else if (prefixes.some((p) => previous.startsWith(p))) {
      // Within the listed days: it should be here.
      findings.push({ problem: 'DIGEST_MISSING', where: `digest ${d.key}`, detail: `its previous digest ${previous} is missing` });
    }
  }
  for (const [previous, keys] of successors)
    if (keys.length > 1)
      findings.push({
        problem: 'DIGEST_FORK',
        where: `digest ${previous}`,
        detail: `${keys.length} digests link to it: ${keys.join(', ')}`,
      });
  const newest = read.at(-1)?.digest.digestTime;
  const lateAfterMs = 3 * options.digestIntervalMinutes * 60_000;
  if (newest && now.getTime() - new Date(newest).getTime() > lateAfterMs && options.to.getTime() > now.getTime() - lateAfterMs)
    findings.push({
      problem: 'DIGEST_LATE',
      where: `digest ${read.at(-1)!.key}`,
      detail: `the newest digest is from ${newest}: the writer stopped, or later digests were removed`,
    });

  // 2. Anchored heads by employee, from every readable digest.
  const anchors = new Map<string, Array<{ seq: number; hash: string; key: string }>>();
  // The same head is often anchored again (the writer looks back past the workflows' timeouts): keep the first.
  for (const d of read)
    for (const h of d.digest.heads) {
      const known = anchors.get(h.employeeId) ?? [];
      if (!known.some((a) => a.seq === h.seq && a.hash === h.hash))
        anchors.set(h.employeeId, [...known, { seq: h.seq, hash: h.hash, key: d.key }]);
    }

  // 3. The chains: of the employee asked for, or of everyone with a record in the range or a head in a digest of it.
  const employees = options.employeeId
    ? [options.employeeId]
    : [
        ...new Set([
          ...(await options.trail.employeesBetween(options.from, options.to)),
          ...read.filter((d) => d.digest.digestTime >= options.from.toISOString()).flatMap((d) => d.digest.heads.map((h) => h.employeeId)),
        ]),
      ].sort();
  let records = 0;
  let unanchored = 0;
  for (const employeeId of employees) {
    const chain = await options.trail.chain(employeeId);
    records += chain.length;
    for (const b of verifyChain(chain))
      findings.push({ problem: b.problem, where: `employee ${b.employeeId} record ${b.seq} (event ${b.eventId})`, detail: b.detail });
    for (const record of chain) {
      // v1 records (no `actor`) store v1's fields, v2 records v2's (lambdas/domain/audit-chain.ts, chainFieldsOf).
      const stored = storedFieldsOf(record);
      const extra = Object.keys(record).filter((f) => !stored.has(f));
      if (extra.length)
        findings.push({
          problem: 'UNHASHED_FIELD',
          where: `employee ${employeeId} record ${record.seq}`,
          detail: `stored fields no hash covers: ${extra.join(', ')}`,
        });
    }
    const anchored = anchors.get(employeeId) ?? [];
    if (anchored.length && chain.length === 0) {
      findings.push({
        problem: 'CHAIN_DELETED',
        where: `employee ${employeeId}`,
        detail: `no records, but digest ${anchored.at(-1)!.key} anchored record ${anchored.at(-1)!.seq}`,
      });
      continue;
    }
    const bySeq = new Map(chain.map((r) => [Number(r.seq), r]));
    const lastSeq = chain.reduce((max, r) => Math.max(max, Number(r.seq)), 0);
    const highest = anchored.reduce<(typeof anchored)[number] | undefined>((top, a) => (!top || a.seq > top.seq ? a : top), undefined);
    if (highest && lastSeq < highest.seq)
      findings.push({
        problem: 'RECORDS_DELETED',
        where: `employee ${employeeId} records ${lastSeq + 1}..${highest.seq}`,
        detail: `digest ${highest.key} anchored record ${highest.seq}; the chain ends at ${lastSeq}`,
      });
    for (const a of anchored) {
      const record = bySeq.get(a.seq);
      if (record && record.hash !== a.hash)
        findings.push({
          problem: 'CHAIN_REWRITTEN',
          where: `employee ${employeeId} record ${a.seq}`,
          detail: `its hash is not the one digest ${a.key} anchored: the chain was rewritten`,
        });
    }
    unanchored += chain.filter((r) => Number(r.seq) > (highest?.seq ?? 0)).length;
  }
  return {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    employees: employees.length,
    records,
    digests: read.length,
    unanchored,
    ...(newest ? { newestDigest: newest } : {}),
    findings,
    empty:
      records === 0 &&
      !read.some((d) => d.digest.digestTime >= options.from.toISOString() && d.digest.digestTime <= options.to.toISOString()),
  };
}

function parseSigned(text: string): SignedDigest | undefined {
  try {
    const s = JSON.parse(text) as SignedDigest;
    return typeof s.body === 'string' && typeof s.signature === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Lines for a person: one per finding, then the verdict. */
export function reportLines(report: VerificationReport, where: string): string[] {
  const lines = report.findings.map((f) => `BROKEN ${f.where}: ${f.problem}: ${f.detail}`);
  if (report.findings.length) {
    lines.push(`${report.findings.length} problem(s) in ${report.employees} chain(s) and ${report.digests} digest(s) from ${where}`);
  } else if (report.empty) {
    lines.push(`EMPTY: no audit records and no digests between ${report.from} and ${report.to} in ${where}: nothing was verified`);
  } else {
    lines.push(
      `OK: ${report.employees} chain(s), ${report.records} record(s) and ${report.digests} digest(s) verified from ${where}` +
        (report.unanchored ? `; ${report.unanchored} record(s) newer than the last digest (the next one anchors them)` : '') +
        (report.newestDigest ? `; newest digest ${report.newestDigest}` : '; no digest yet'),
    );
  }
  return lines;
}
