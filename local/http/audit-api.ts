/**
 * The audit trail on the twin's server:
 * - `GET /api/audit?employeeId=&type=&actor=&from=&to=&limit=&cursor=`: through its key and index (AuditTrail),
 *   newest first, paginated;
 * - `GET /api/audit/verify?since=`: what `npm run audit -- --verify` checks (records, chains, signed digests);
 * - `POST /api/audit/digest`: the digest writer, now (it also runs on the twin's schedule);
 * - `GET /api/audit/digests`: the digests' status for the console (the newest, the last anchored heads).
 * Bad parameters get a 400 with the reason.
 */
import { AuditQueryError, parseSince, type AuditTrail } from '../../audit/audit-trail';
import { MAX_VERIFY_DAYS, verifyAuditTrail } from '../../audit/audit-verification';
import { ACTORS, type Actor } from '../../lambdas/domain/actor';
import type { AuditDigestBucket } from '../../lambdas/aws/audit-digest-bucket';
import { digestDayPrefixes, parseDigest, type SignedDigest } from '../../lambdas/domain/audit-digest';
import { HttpError, type ApiRouter } from './api-router';

export interface AuditDigestsAccess {
  bucket: AuditDigestBucket;
  publicKey(): Promise<Uint8Array>;
  intervalMinutes: number;
  /** Runs the digest writer now. */
  write(): Promise<unknown>;
}

export function registerAuditApi(router: ApiRouter, trail: AuditTrail, digests: AuditDigestsAccess): void {
  router.on('GET', '/api/audit/verify', async (req) => {
    let since: Date;
    try {
      since = parseSince(req.query.get('since') ?? '30d');
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const to = new Date();
    if (to.getTime() - since.getTime() > MAX_VERIFY_DAYS * 86_400_000)
      throw new HttpError(400, `since may reach back at most ${MAX_VERIFY_DAYS} days`);
    const report = await verifyAuditTrail({
      trail,
      digests: digests.bucket,
      publicKey: await digests.publicKey(),
      from: since,
      to,
      digestIntervalMinutes: digests.intervalMinutes,
    });
    return { body: { ok: report.findings.length === 0 && !report.empty, ...report } };
  });

  router.on('POST', '/api/audit/digest', async () => ({ body: await digests.write() }));

  router.on('GET', '/api/audit/digests', async () => {
    const now = new Date();
    const objects = await digests.bucket.listVersions(digestDayPrefixes(new Date(now.getTime() - 86_400_000), now));
    const newestKey = objects.at(-1)?.key;
    let newest: { key: string; digestTime: string; heads: number } | undefined;
    let lastAnchored: string | undefined;
    // Newest first, until one anchored a head: the time of the last anchored head.
    for (const object of [...objects].reverse()) {
      const version = object.versions.find((v) => !v.deleteMarker);
      if (!version) continue;
      const digest = parseDigest((JSON.parse(await digests.bucket.read(object.key, version.versionId)) as SignedDigest).body);
      if (!digest) continue;
      if (object.key === newestKey) newest = { key: object.key, digestTime: digest.digestTime, heads: digest.heads.length };
      if (digest.heads.length) {
        lastAnchored = digest.digestTime;
        break;
      }
    }
    return {
      body: {
        intervalMinutes: digests.intervalMinutes,
        digestsLastDay: objects.length,
        ...(newest ? { newest } : {}),
        ...(lastAnchored ? { lastAnchoredHeadAt: lastAnchored } : {}),
      },
    };
  });

  router.on('GET', '/api/audit', async (req) => {
    const q = req.query;
    const employeeId = q.get('employeeId') ?? undefined;
    if (employeeId !== undefined && !/^(\d{7}|-)$/.test(employeeId)) throw new HttpError(400, 'employeeId must be 7 digits');
    const type = q.get('type') ?? undefined;
    if (type !== undefined && !/^[A-Z_]{2,40}$/.test(type)) throw new HttpError(400, 'type must be an outcome such as RESET or LOCKED');
    const actor = q.get('actor') ?? undefined;
    if (actor !== undefined && !ACTORS.includes(actor as Actor)) throw new HttpError(400, `actor must be one of ${ACTORS.join(', ')}`);
    const limit = q.get('limit');
    try {
      const page = await trail.query({
        ...(employeeId ? { employeeId } : {}),
        ...(type ? { type } : {}),
        ...(actor ? { actor: actor as Actor } : {}),
        ...(q.get('from') ? { from: parseSince(q.get('from')!) } : {}),
        ...(q.get('to') ? { to: parseSince(q.get('to')!) } : {}),
        ...(limit !== null ? { limit: Number(limit) } : {}),
        ...(q.get('cursor') ? { cursor: q.get('cursor')! } : {}),
      });
      return { body: page };
    } catch (error) {
      if (error instanceof AuditQueryError) throw new HttpError(400, error.message);
      throw error;
    }
  });
}
