/**
 * The call API on the twin's HTTP server (what the softphones, tests and benchmarks use), plus the
 * local inbox and the demo directory's logon:
 *   POST   /api/calls                    {"from", "locale"?}          → 201 snapshot
 *   POST   /api/calls/{contactId}/input  {"text"} | {"dtmf"}          → snapshot (prompts since last input)
 *   POST   /api/calls/{contactId}/listen                              → snapshot (prompts played since the last snapshot, without input:
 *                                                                       a caller handed back to the desk by an agent hears its flow;
 *                                                                       not input: it does not reset the idle timeout)
 *   DELETE /api/calls/{contactId}                                     → snapshot (ended; a call waiting for an agent leaves its queue)
 *   GET    /api/calls/{contactId}                                     → transcript, disposition, queue, queueState
 *   GET    /api/mail?to=                                              → the inbox, newest first
 *   POST   /api/directory/login          {"employeeId", "password"}   → {ok, mustChangePassword}
 */
import type { DemoDirectory } from '../../lambdas/directory/demo-directory';
import { EMPLOYEE_ID_PATTERN } from '../../lambdas/domain/employee';
import { CallError, type CallCenter } from '../connect/call-center';
import { LOCALES, isLocale } from '../../lambdas/domain/locale';
import type { SesEmulator } from '../ses/ses-emulator';
import { HttpError, type ApiRouter } from './api-router';

const PHONE = /^\+?[0-9]{3,15}$|^anonymous$/;
const DTMF = /^[0-9*#]{0,32}$/;
const MAX_TEXT = 10_000;

function body(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

async function calling<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CallError) throw new HttpError(error.status, error.message);
    throw error;
  }
}

export function registerCallApi(router: ApiRouter, deps: { calls: CallCenter; ses: SesEmulator; directory: DemoDirectory }): void {
  router.on('POST', '/api/calls', async (req) => {
    const input = body(req.body ?? {});
    const from = input.from ?? 'anonymous';
    if (typeof from !== 'string' || !PHONE.test(from)) throw new HttpError(400, '"from" must be a phone number such as +15555550100');
    const { locale } = input;
    if (locale !== undefined && !isLocale(locale)) throw new HttpError(400, `"locale" must be one of ${LOCALES.join(', ')}`);
    return { status: 201, body: await calling(() => deps.calls.startCall({ from, ...(locale !== undefined && { locale }) })) };
  });

  router.on('POST', '/api/calls/:contactId/input', async (req) => {
    const input = body(req.body);
    const hasText = input.text !== undefined;
    const hasDtmf = input.dtmf !== undefined;
    if (hasText === hasDtmf) throw new HttpError(400, 'send exactly one of "text" (what the caller says) or "dtmf" (keys pressed)');
    if (hasText && (typeof input.text !== 'string' || input.text.length > MAX_TEXT))
      throw new HttpError(400, `"text" must be a string of at most ${MAX_TEXT} characters`);
    if (hasDtmf && (typeof input.dtmf !== 'string' || !DTMF.test(input.dtmf)))
      throw new HttpError(400, '"dtmf" must be keypad keys: digits, * and #, at most 32');
    const said = hasText ? { text: input.text as string } : { dtmf: input.dtmf as string };
    return { body: await calling(() => deps.calls.input(req.params.contactId!, said)) };
  });

  router.on('POST', '/api/calls/:contactId/listen', async (req) => ({
    body: await calling(() => deps.calls.listen(req.params.contactId!)),
  }));

  router.on('DELETE', '/api/calls/:contactId', async (req) => ({ body: await calling(() => deps.calls.hangUp(req.params.contactId!)) }));

  router.on('GET', '/api/calls/:contactId', async (req) => ({
    body: await calling(async () => deps.calls.details(req.params.contactId!)),
  }));

  router.on('GET', '/api/calls', () => ({ body: { calls: deps.calls.list() } }));

  router.on('GET', '/api/mail', (req) => {
    const to = req.query.get('to');
    const messages = deps.ses
      .emails()
      .filter((m) => !to || m.destination.to.some((address) => address.toLowerCase().includes(to.toLowerCase())))
      .map((m) => ({
        id: m.messageId,
        to: m.destination.to,
        from: m.from,
        subject: m.subject,
        text: m.body.text ?? '',
        html: m.body.html ?? null,
        at: new Date(m.at * 1000).toISOString(),
      }))
      .reverse();
    return { body: { messages } };
  });

  router.on('POST', '/api/directory/login', async (req) => {
    const input = body(req.body);
    if (typeof input.employeeId !== 'string' || !EMPLOYEE_ID_PATTERN.test(input.employeeId))
      throw new HttpError(400, '"employeeId" must be 7 digits');
    if (typeof input.password !== 'string' || input.password.length === 0 || input.password.length > 256)
      throw new HttpError(400, '"password" is required');
    return { body: await deps.directory.login(input.employeeId, input.password) };
  });
}
