/**
 * The local phone's inbox on the twin's HTTP API, beside `/api/mail` (local/http/call-api.ts):
 *   GET /api/sms?to=<E.164>   → { messages: [{ to, from, body, at, messageId }] }, newest first
 * Without `to`, every text. `from` is the origination identity the sender named (null when it named
 * none, and AWS chose one). A `to` that is not E.164 is a 400 with the reason. In a URL a `+` reads as
 * a space unless it is sent as %2B, so a leading space before the digits is read as the `+` it was.
 */
import { E164_PATTERN, type SmsStore } from '../sms/sms-voice-endpoint';
import { HttpError, type ApiRouter } from './api-router';

export interface SmsMessage {
  to: string;
  from: string | null;
  body: string;
  at: string;
  messageId: string;
}

export function registerSmsApi(router: ApiRouter, store: SmsStore): void {
  router.on('GET', '/api/sms', (req) => {
    const raw = req.query.get('to');
    const to = raw === null ? undefined : raw.replace(/^ (?=[0-9])/, '+');
    if (to !== undefined && !E164_PATTERN.test(to))
      throw new HttpError(400, '"to" must be a phone number in E.164 format, such as +15555550100 (send the + as %2B)');
    const messages: SmsMessage[] = store
      .texts(to === undefined ? {} : { to })
      .map((t) => ({ to: t.destination, from: t.originationIdentity ?? null, body: t.body, at: t.time, messageId: t.messageId }))
      .reverse();
    return { body: { messages } };
  });
}
