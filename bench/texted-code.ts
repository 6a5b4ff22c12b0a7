/**
 * Waiting for the code a caller is texted, as the benchmarks' callers do: the code goes out after the
 * start answered (issue-verification-code, off the caller's path), so a caller waits for it as a person
 * would. One loop for every benchmark: in-process (the twin's SMS store) or over HTTP (GET /api/sms).
 */
import type { Twin } from '../local/twin';
import { codeIn } from '../local/sms/code-in-message';

/** Polls `read` every `everyMs` until it yields a code; throws after `timeoutMs`. */
export async function waitForCode(
  read: () => string | undefined | Promise<string | undefined>,
  what: string,
  { timeoutMs = 10_000, everyMs = 5 } = {},
): Promise<string> {
  for (let waited = 0; waited < timeoutMs; waited += everyMs) {
    const code = await read();
    if (code) return code;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`no code texted to ${what}`);
}

/** The newest code the in-process twin texted to `mobile`. */
export function textedCode(twin: Pick<Twin, 'sms'>, mobile: string): Promise<string> {
  return waitForCode(() => codeIn(twin.sms.texts({ to: mobile }).at(-1)?.body), mobile);
}

/** The newest code a twin in another process texted to `mobile` (its call API's GET /api/sms, newest first). */
export function textedCodeOverHttp(base: string, mobile: string): Promise<string> {
  return waitForCode(
    async () => {
      const texts = (await (await fetch(`${base}/api/sms?to=${encodeURIComponent(mobile)}`)).json()) as {
        messages: Array<{ body: string }>;
      };
      return codeIn(texts.messages[0]?.body);
    },
    mobile,
    { everyMs: 50 },
  );
}
