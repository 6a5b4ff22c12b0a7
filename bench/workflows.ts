/**
 * `npm run bench:workflows`: start + verify pairs through the twin's Step Functions endpoint, at
 * concurrency 1 and 50 (override with `-- --concurrency 1,10,50 --pairs 200`). Each pair starts a
 * reset for its own synthetic employee, reads the code from the twin's inbox and verifies it.
 * Reports per-call and per-pair latency percentiles and pairs per second.
 */
import { textedCode } from './texted-code';
import '../local/polyfills';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { startTwin, type Twin } from '../local/twin';
import { syntheticEmployee } from '../local/seed/demo-employees';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../state-machines/state-machine-catalogue';
import { localClientConfig } from '../local/local-credentials';
import { report, summarize, type Row } from './benchmark-report';
import { respondBy } from '../lambdas/domain/deadline';
import { TIME_BUDGET } from '../lambdas/configuration/time-budget';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const levels = option('concurrency', '1,50').split(',').map(Number);
  const pairsPerLevel = Number(option('pairs', '200'));
  const totalPairs = levels.length * pairsPerLevel + 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-bench-'));
  const twin: Twin = await startTwin({
    dataDir,
    port: 0,
    seedEmployees: totalPairs,
    // Each pair uses its own employee and caller number; limits stay at their defaults.
  });
  const sfn = new SFNClient({ ...localClientConfig(twin.endpoints.stepfunctions), disableHostPrefix: true, maxAttempts: 1 });
  const run = async (workflow: string, input: unknown) => {
    const out = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: twin.stepFunctions.machineArn(workflow), input: JSON.stringify(input) }),
    );
    if (out.status !== 'SUCCEEDED') throw new Error(`${workflow}: ${out.error}`);
    return JSON.parse(out.output!) as Record<string, unknown>;
  };
  let next = 0;
  const onePair = async (timings: { start: number[]; verify: number[]; pair: number[] }) => {
    const index = next++;
    const employee = syntheticEmployee(index);
    const t0 = performance.now();
    const started = await run(START_WORKFLOW, {
      contactId: `bench-${index}`,
      employeeId: employee.employeeId,
      callerNumber: `+1555888${String(index).padStart(4, '0')}`,
      locale: 'en-US',
    });
    const t1 = performance.now();
    if (started.status !== 'CODE_SENT') throw new Error(`start: ${String(started.status)}`);
    // The code is texted after the start answered (issue-verification-code): wait for it, as a caller would.
    const code = await textedCode(twin, employee.mobile!);
    const t2 = performance.now();
    const verified = await run(VERIFY_WORKFLOW, {
      sessionId: started.sessionId,
      code,
      contactId: `bench-${index}`,
      respondBy: respondBy(TIME_BUDGET.verifyWorkflowCallMs, TIME_BUDGET.responseMarginMs, Date.now()),
    });
    const t3 = performance.now();
    if (verified.status !== 'RESET') throw new Error(`verify: ${String(verified.status)}`);
    timings.start.push(t1 - t0);
    timings.verify.push(t3 - t2);
    timings.pair.push(t3 - t0);
  };

  // Warm-up: load every handler once (cold starts are measured by bench:cold-start).
  for (let i = 0; i < 5; i += 1) await onePair({ start: [], verify: [], pair: [] });

  const rows: Row[] = [];
  for (const concurrency of levels) {
    const timings = { start: [] as number[], verify: [] as number[], pair: [] as number[] };
    let remaining = pairsPerLevel;
    let errors = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (remaining > 0) {
          remaining -= 1;
          await onePair(timings).catch((error: unknown) => {
            errors += 1;
            if (errors <= 3) console.error(error);
          });
        }
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    const s = summarize(timings.start);
    const v = summarize(timings.verify);
    const p = summarize(timings.pair);
    rows.push({
      concurrency,
      pairs: timings.pair.length,
      errors,
      'start p50/p95/p99 ms': `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.p99.toFixed(1)}`,
      'verify p50/p95/p99 ms': `${v.p50.toFixed(1)} / ${v.p95.toFixed(1)} / ${v.p99.toFixed(1)}`,
      'pair p50/p95/p99 ms': `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)}`,
      'pairs/s': Number((timings.pair.length / seconds).toFixed(1)),
    });
  }
  sfn.destroy();
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
  report('Workflows: start + verify pairs', `npm run bench:workflows -- --concurrency ${levels.join(',')} --pairs ${pairsPerLevel}`, rows, [
    'each pair: StartSyncExecution password-reset-start (breaker, rate limits, lookup, live session, audit, events), the code texted after it through the End User Messaging SMS endpoint and read from the SMS store, StartSyncExecution password-reset-verify (attempt, HMAC compare, scrypt-hashed temporary password set, audit, events)',
    'client, twin and emulators share the same 2 cores; latencies include the HTTP hop to the Step Functions endpoint',
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
