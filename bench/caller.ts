/**
 * One simulated caller doing a full reset through the call API, timing every turn: dial (language
 * preset), menu by keypad, ID, confirmation, the channel, the code from the texts, the readout, hang-up.
 */
import type { CallSnapshot } from '../local/connect/call-snapshot';
import { Phone } from '../local/softphone/phone';
import { passwordFromReadout } from '../lambdas/domain/password-readout';
import { textedCodeOverHttp } from './texted-code';

export interface CallerResult {
  employeeId: string;
  turnsMs: number[];
  password?: string;
  code?: string;
  error?: string;
}

/**
 * How a caller paces its turns:
 * - `closed`: every caller answers the instant the last turn returns (the throughput measure);
 * - `human`: a pause of a random 50–150 % of `thinkMs` before each turn;
 * - `spoken`: before each turn the caller hears the prompts of the last one, spoken at `wordsPerMinute`
 *   (their words), then answers in a random `answerMs` [min, max]: how people call (issue #21).
 */
export type Pacing =
  | { kind: 'closed' }
  | { kind: 'human'; thinkMs: number }
  | { kind: 'spoken'; wordsPerMinute: number; answerMs: readonly [number, number] };

export const SPOKEN: Pacing = { kind: 'spoken', wordsPerMinute: 150, answerMs: [1000, 3000] };

export function describePacing(pacing: Pacing): string {
  if (pacing.kind === 'closed') return 'closed loop';
  if (pacing.kind === 'human') return `human (${pacing.thinkMs} ms ± 50 %)`;
  return `spoken (${pacing.wordsPerMinute} words/min + ${pacing.answerMs[0] / 1000}–${pacing.answerMs[1] / 1000} s)`;
}

/** How long a caller waits before the turn after hearing `prompts`. */
export function pauseBefore(pacing: Pacing, prompts: ReadonlyArray<{ text: string }>, random = Math.random): number {
  if (pacing.kind === 'closed') return 0;
  if (pacing.kind === 'human') return pacing.thinkMs * (0.5 + random());
  const words = prompts.reduce((n, p) => n + p.text.split(/\s+/).filter(Boolean).length, 0);
  const [min, max] = pacing.answerMs;
  return (words / pacing.wordsPerMinute) * 60_000 + min + (max - min) * random();
}

export async function resetByPhone(
  base: string,
  employee: { employeeId: string; email: string; mobile?: string },
  callerNumber: string,
  pacing: Pacing = { kind: 'closed' },
): Promise<CallerResult> {
  const turnsMs: number[] = [];
  const result: CallerResult = { employeeId: employee.employeeId, turnsMs };
  const phone = new Phone(base);
  /** The prompts of the last turn: what the caller listens to before the next one. */
  let heard: ReadonlyArray<{ text: string }> = [];
  const turn = async (act: () => Promise<CallSnapshot>): Promise<CallSnapshot> => {
    const pause = pauseBefore(pacing, heard);
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    const started = performance.now();
    try {
      const snapshot = await act();
      heard = snapshot.prompts;
      return snapshot;
    } finally {
      // A refused turn is timed too: under load, refusals are part of what callers wait for.
      turnsMs.push(performance.now() - started);
    }
  };
  try {
    await turn(() => phone.dial(callerNumber, 'en-US'));
    const input = (dtmf: string) => turn(() => phone.key(dtmf));
    await input('1');
    await input(`${employee.employeeId}#`);
    await input('1');
    const sent = await input('1');
    if (!sent.prompts.some((p) => p.text.includes('we just sent'))) throw new Error(`no code sent: ${JSON.stringify(sent.prompts)}`);
    // The code is texted after the answer (off the caller's path): a person would wait for it too.
    const code = await textedCodeOverHttp(base, employee.mobile ?? '');
    result.code = code;
    const readout = await input(`${code}#`);
    const ssml = readout.prompts.find((p) => p.ssml?.includes('interpret-as="characters"'))?.ssml;
    if (!ssml) throw new Error(`no readout: ${JSON.stringify(readout.prompts.map((p) => p.text))}`);
    result.password = passwordFromReadout(ssml);
    const end = await input('2');
    if (!end.ended || end.disposition !== 'DISCONNECTED') throw new Error(`call did not end cleanly: ${end.disposition}`);
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}
