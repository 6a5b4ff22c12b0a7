/**
 * `npm run bench:guessing [-- --lines 20 --years 100000]`: the guessing bound of docs/security.md,
 * checked against the real workflows. An attacker with spoofed numbers and `--lines` parallel phone
 * lines guesses codes in the twin under the default policy, stealthily (two guesses a session, never a
 * lock-out), first against one employee, then across the company, until self-service refuses. What
 * counts is how many wrong codes reached a comparison in the day (the twin is one day: the caps are
 * per UTC day). A year is then simulated from the measured daily cap: `--years` Monte Carlo years of
 * 365 days, each guess right with probability 10^-6, for a 10,000-employee company (the company-wide
 * cap makes the result independent of its size). Results appended to BENCHMARKS.md.
 */
import { textedCode } from './texted-code';
import '../local/polyfills';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { startTwin, type Twin } from '../local/twin';
import { syntheticEmployee } from '../local/seed/demo-employees';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../state-machines/state-machine-catalogue';
import { localClientConfig } from '../local/local-credentials';
import { respondBy } from '../lambdas/domain/deadline';
import { TIME_BUDGET } from '../lambdas/configuration/time-budget';
import { DEFAULT_POLICY } from '../lambdas/domain/reset-policy';
import { expectedTakeoversPerYear } from '../lambdas/domain/failure-budget';
import { CODE_LENGTH } from '../lambdas/domain/verification-code';
import { report, type Row } from './benchmark-report';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Poisson(λ) by inversion (λ here is ~0.01: a handful of iterations). */
function poisson(lambda: number, random: () => number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let sum = p;
  const u = random();
  while (u > sum) {
    k += 1;
    p *= lambda / k;
    sum += p;
  }
  return k;
}

async function main(): Promise<void> {
  const lines = Number(option('lines', '20'));
  const years = Number(option('years', '100000'));
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-guessing-'));
  const twin: Twin = await startTwin({ dataDir, port: 0, seedEmployees: 400 });
  const sfn = new SFNClient({ ...localClientConfig(twin.endpoints.stepfunctions), disableHostPrefix: true, maxAttempts: 1 });
  const run = async (workflow: string, input: object) => {
    const out = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: twin.stepFunctions.machineArn(workflow), input: JSON.stringify(input) }),
    );
    if (out.status !== 'SUCCEEDED') throw new Error(`${workflow}: ${out.error}`);
    return JSON.parse(out.output!) as { status: string; sessionId?: string };
  };
  let numbers = 0;
  const spoofed = () => `+1555${String(2_000_000 + numbers++).padStart(7, '0')}`;
  const codeFor = (mobile: string): Promise<string> => textedCode(twin, mobile);
  /** One session of the stealthy attacker: at most two wrong codes. Returns how many counted, and whether self-service refused. */
  const session = async (index: number, contact: string) => {
    const employee = syntheticEmployee(index);
    const start = await run(START_WORKFLOW, {
      contactId: contact,
      employeeId: employee.employeeId,
      callerNumber: spoofed(),
      locale: 'en-US',
    });
    if (start.status !== 'CODE_SENT') return { counted: 0, refused: true, why: start.status };
    // The attacker does not have the code; waiting for its delivery keeps the twin's mail from piling up.
    const code = await codeFor(employee.mobile!);
    const wrong = code === '000000' ? '000001' : '000000';
    let counted = 0;
    for (let guess = 0; guess < 2; guess += 1) {
      const deadline = respondBy(TIME_BUDGET.verifyWorkflowCallMs, TIME_BUDGET.responseMarginMs, Date.now());
      const answer = await run(VERIFY_WORKFLOW, { sessionId: start.sessionId, code: wrong, contactId: contact, respondBy: deadline });
      if (answer.status === 'INVALID') counted += 1;
      else return { counted, refused: true, why: answer.status };
    }
    return { counted, refused: false, why: '' };
  };

  // One employee, three sessions an hour (the start limit), two guesses each.
  let targeted = 0;
  for (let s = 0; s < DEFAULT_POLICY.employeeStartsPerWindow; s += 1) targeted += (await session(0, `target-${s}`)).counted;

  // The company: `lines` attackers at once, a new employee and a new number every session.
  let next = 1;
  let sprayed = 0;
  let sessions = 0;
  let open = true;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: lines }, async (_, line) => {
      while (open && next < 400) {
        const outcome = await session(next++, `line-${line}-${sessions++}`);
        sprayed += outcome.counted;
        if (outcome.refused) open = false;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  sfn.destroy();
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });

  // Wrong codes that reached a comparison today, company-wide: the targeted ones count too.
  const perDay = targeted + sprayed;
  const perGuess = 10 ** -CODE_LENGTH;
  const lambda = 365 * perDay * perGuess;
  let withTakeover = 0;
  let takeovers = 0;
  const random = () => randomInt(0, 2 ** 32) / 2 ** 32;
  for (let y = 0; y < years; y += 1) {
    const k = poisson(lambda, random);
    takeovers += k;
    if (k > 0) withTakeover += 1;
  }
  const rows: Row[] = [
    {
      measure: 'wrong codes counted for one employee in a day (3 sessions × 2 guesses)',
      value: targeted,
      policy: DEFAULT_POLICY.employeeDailyFailures,
    },
    {
      measure: `wrong codes counted company-wide in a day (${lines} lines, ${sessions} sessions)`,
      value: perDay,
      policy: DEFAULT_POLICY.companyDailyFailures,
    },
    {
      measure: 'expected takeovers a year, 10,000 employees (365 × daily cap × 10^-6)',
      value: lambda.toFixed(6),
      policy: expectedTakeoversPerYear(DEFAULT_POLICY).toFixed(6),
    },
    { measure: `simulated years (${years}): mean takeovers a year`, value: (takeovers / years).toFixed(6), policy: '≤ 0.01' },
    {
      measure: `simulated years (${years}): share with at least one takeover`,
      value: `${((100 * withTakeover) / years).toFixed(3)} %`,
      policy: '≤ 1 %',
    },
  ];
  report('Guessing: the bound under the default policy', `npm run bench:guessing -- --lines ${lines} --years ${years}`, rows, [
    'attacker: spoofed numbers (a new one every session), as many lines as asked, two guesses a session (never a lock-out), against the real workflows in the twin',
    `the day ended when self-service refused (the circuit breaker) after ${seconds.toFixed(1)} s of attack`,
    'policy: 3 attempts a session, 5 wrong codes an employee a day and 10 a month, 25 company-wide a day (docs/security.md)',
  ]);
  if (perDay > DEFAULT_POLICY.companyDailyFailures || lambda > 0.01) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
