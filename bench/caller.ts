/**
 * One simulated caller doing a full reset through the call API, timing every turn: dial (language
 * preset), menu by keypad, ID, confirmation, the code from the inbox, the readout, hang-up.
 */
export interface CallerResult {
  employeeId: string;
  turnsMs: number[];
  password?: string;
  code?: string;
  error?: string;
}

interface Snapshot {
  contactId: string;
  prompts: Array<{ text: string; ssml: string | null }>;
  ended: boolean;
  disposition?: string;
}

/**
 * `thinkMs`: the pause before each turn — a person listening to the prompts and answering (a random
 * 50–150 % of it). 0 is a closed loop: every caller answers the instant the last turn returns.
 */
export async function resetByPhone(
  base: string,
  employee: { employeeId: string; email: string; mobile?: string },
  callerNumber: string,
  thinkMs = 0,
): Promise<CallerResult> {
  const turnsMs: number[] = [];
  const result: CallerResult = { employeeId: employee.employeeId, turnsMs };
  const turn = async (method: string, path: string, body?: unknown): Promise<Snapshot> => {
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
    const started = performance.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Snapshot & { error?: string };
    turnsMs.push(performance.now() - started);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error}`);
    return json;
  };
  try {
    const call = await turn('POST', '/api/calls', { from: callerNumber, locale: 'en-US' });
    const input = (body: object) => turn('POST', `/api/calls/${call.contactId}/input`, body);
    await input({ dtmf: '1' });
    await input({ dtmf: `${employee.employeeId}#` });
    await input({ dtmf: '1' });
    const sent = await input({ dtmf: '1' });
    if (!sent.prompts.some((p) => p.text.includes('we just sent'))) throw new Error(`no code sent: ${JSON.stringify(sent.prompts)}`);
    // The code is texted after the answer (off the caller's path): a person would wait for it too.
    let code: string | undefined;
    for (let waited = 0; !code && waited < 10_000; waited += 50) {
      const texts = (await (await fetch(`${base}/api/sms?to=${encodeURIComponent(employee.mobile ?? '')}`)).json()) as {
        messages: Array<{ body: string }>;
      };
      code = /\b(\d{6})\b/.exec(texts.messages[0]?.body ?? '')?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 50));
    }
    if (!code) throw new Error('no code texted');
    result.code = code;
    const readout = await input({ dtmf: `${code}#` });
    const ssml = readout.prompts.find((p) => p.ssml?.includes('interpret-as="characters"'))?.ssml;
    if (!ssml) throw new Error(`no readout: ${JSON.stringify(readout.prompts.map((p) => p.text))}`);
    result.password = [...ssml.matchAll(/<say-as interpret-as="characters">([^<]*)<\/say-as>/g)].map((m) => m[1]).join('');
    const end = await input({ dtmf: '2' });
    if (!end.ended || end.disposition !== 'DISCONNECTED') throw new Error(`call did not end cleanly: ${end.disposition}`);
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}
