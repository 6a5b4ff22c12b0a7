/**
 * `GET /api/audit?employeeId=&type=&from=&to=&limit=&cursor=` on the twin's server: the audit trail
 * through its key and index (AuditTrail), newest first, paginated. Bad parameters get a 400 with
 * the reason.
 */
import { AuditQueryError, parseSince, type AuditTrail } from '../../audit/audit-trail';
import { HttpError, type ApiRouter } from './api-router';

export function registerAuditApi(router: ApiRouter, trail: AuditTrail): void {
  // The chain check the CLI's --verify runs, for the console.
  router.on('GET', '/api/audit/verify', async (req) => {
    let since: Date;
    try {
      since = parseSince(req.query.get('since') ?? '30d');
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const result = await trail.verify({ from: since, to: new Date() });
    return { body: { ok: result.breaks.length === 0, ...result } };
  });

  router.on('GET', '/api/audit', async (req) => {
    const q = req.query;
    const employeeId = q.get('employeeId') ?? undefined;
    if (employeeId !== undefined && !/^(\d{7}|-)$/.test(employeeId)) throw new HttpError(400, 'employeeId must be 7 digits');
    const type = q.get('type') ?? undefined;
    if (type !== undefined && !/^[A-Z_]{2,40}$/.test(type)) throw new HttpError(400, 'type must be an outcome such as RESET or LOCKED');
    const limit = q.get('limit');
    try {
      const page = await trail.query({
        ...(employeeId ? { employeeId } : {}),
        ...(type ? { type } : {}),
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
