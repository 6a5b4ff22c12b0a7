/**
 * F4 as the attack: tell a real employee ID from an unknown one by the start turn, with the code's
 * delivery (a text, AWS End User Messaging SMS) slowed by 150 ms (the review separated them from one
 * sample with SES: 186 vs 24 ms) and with delivery failing (only real IDs used to hear "we're having trouble"). Through the call API, as a caller measures it: the prompts are
 * identical and the latency distributions overlap (Mann-Whitney AUC, the probability that a real ID's
 * turn is the slower one, stays inside the band a same-distribution pair keeps).
 */
import { startTestTwin } from '../support/test-twin';
import { Phone } from '../../local/softphone/phone';
import { syntheticEmployee } from '../../local/seed/demo-employees';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let callerSeq = 0;
const nextCaller = () => `+1555333${String(++callerSeq).padStart(4, '0')}`;
const SAMPLES = 24;

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: SAMPLES + 4 });
});
afterAll(() => twin.cleanup());

/** P(a > b) + ½ P(a = b) over all pairs: 0.5 when neither is slower. */
function auc(a: readonly number[], b: readonly number[]): number {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x > y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
}

/** The start turn of one call ("yes" to the read-back ID): its prompts and how long the caller waited. */
async function startTurn(employeeId: string): Promise<{ ms: number; prompts: string[] }> {
  const p = new Phone(twin.url);
  await p.dial(nextCaller(), 'en-US');
  await p.key('1');
  await p.key(`${employeeId}#`);
  await p.key('1');
  const t0 = performance.now();
  const out = await p.key('1');
  const ms = performance.now() - t0;
  await p.hangUp();
  // What the real ID set going (the text) finishes before the next sample, as between two callers.
  await twin.settle();
  return { ms, prompts: out.prompts.map((x) => x.text) };
}

it('the statistic sees a difference when there is one (a planted 150 ms)', () => {
  const base = Array.from({ length: SAMPLES }, (_, i) => 20 + (i % 7));
  expect(
    auc(
      base.map((x) => x + 150),
      base,
    ),
  ).toBe(1);
  expect(auc(base, base)).toBe(0.5);
});

it('with texts 150 ms slower: the same words, and no latency difference a caller can measure', async () => {
  twin.faults.inject({ service: 'sms', operation: 'SendTextMessage', delayMs: 150 });
  try {
    const real: number[] = [];
    const unknown: number[] = [];
    const prompts = new Set<string>();
    for (let i = 0; i < SAMPLES; i += 1) {
      // Interleaved, so drift on the machine falls on both alike.
      const a = await startTurn(syntheticEmployee(i).employeeId);
      const b = await startTurn(`80000${String(i).padStart(2, '0')}`);
      real.push(a.ms);
      unknown.push(b.ms);
      prompts.add(JSON.stringify(a.prompts));
      prompts.add(JSON.stringify(b.prompts));
    }
    expect(prompts.size).toBe(1);
    expect([...prompts][0]).toContain('we just sent a six-digit code');
    // Before #16: AUC 1.0 (every real ID slower by the delivery call). Same distribution: 0.5 ± 0.09 (n = 24).
    const area = auc(real, unknown);
    expect(area).toBeGreaterThan(0.2);
    expect(area).toBeLessThan(0.8);
    // Every real ID got its code all the same, after the answer.
    expect(twin.sms.texts().filter((t) => /^Support Desk code: \d{6}\./.test(t.body)).length).toBe(SAMPLES);
  } finally {
    twin.faults.clear();
  }
}, 120_000);

it('with texts failing: a real ID hears exactly what an unknown one hears', async () => {
  twin.faults.inject({ service: 'sms', operation: 'SendTextMessage', errorCode: 'InternalServerException', httpStatus: 500 });
  try {
    const real = await startTurn(syntheticEmployee(SAMPLES).employeeId);
    const unknown = await startTurn('8000099');
    expect(real.prompts).toEqual(unknown.prompts);
  } finally {
    twin.faults.clear();
  }
});
