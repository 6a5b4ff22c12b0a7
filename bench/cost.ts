/**
 * `npm run bench:cost [-- --resets 50 --concurrency 5]`: what a reset costs on AWS (issue #21).
 *
 * Runs full resets by phone on a twin started with metering on (HELPDESK_METERING=1,
 * local/metering/aws-usage-meter.ts): every AWS operation the product makes — workflow executions with
 * their billed duration, Lambda invocations with their memory and duration, DynamoDB request units,
 * e-mails, texts, events, Secrets Manager calls, log bytes — is counted while the resets run and until
 * the event consumers have delivered. It divides by the completed resets and prices each line with the
 * dated on-demand prices of bench/aws-prices.ts: $ per reset for the infrastructure, and the same with
 * Connect's voice minutes and Lex's speech requests for a typical 2-minute call.
 *
 * Then one more caller, alone, turn by turn: the AWS calls each turn makes while the caller waits, and
 * the Task states of the workflows it runs, give a turn's sequential calls; with the dated per-call
 * latencies of bench/aws-latencies.ts that is an estimate of a turn on AWS, warm and cold, beside
 * Connect's 8-second limit.
 *
 * What the twin's durations are not: AWS's. Lambda and Express durations are measured on this machine
 * (both ends of every call share two cores), so the duration-priced lines are an upper bound; requests,
 * request units, messages and events are exact counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEmployee } from '../local/seed/demo-employees';
import type { UsageLine } from '../local/metering/aws-usage-meter';
import { startTwinProcess, type TwinProcess } from './twin-process';
import { resetByPhone } from './caller';
import { PRICES, PRICES_AS_OF } from './aws-prices';
import { LATENCIES, LATENCIES_AS_OF, type Latency } from './aws-latencies';
import { report, type Row } from './benchmark-report';
import { textedCodeOverHttp } from './texted-code';
import { RULES } from '../events/rule-catalogue';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** A typical call to the desk (issue #21): two minutes of voice. */
const CALL_MINUTES = 2;
/** Functions Connect or Lex invoke while the caller waits. */
const CALLER_PATH_FUNCTIONS = new Set(['get-prompts', 'authentication-code-hook', 'verify-code', 'agent-context', 'read-out-agent-action']);
/** Functions the event rules invoke: off the caller's path (they run after the turn answered). */
const EVENT_CONSUMERS = new Set(RULES.flatMap((rule) => rule.targets.map((target) => target.functionName)));

async function usage(twin: TwinProcess): Promise<UsageLine[]> {
  return ((await (await fetch(`${twin.url}/api/metering`)).json()) as { usage: UsageLine[] }).usage;
}

/** Waits until the counts stop moving (the event consumers have delivered). */
async function settled(twin: TwinProcess): Promise<UsageLine[]> {
  let last = JSON.stringify(await usage(twin));
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 400));
    const now = JSON.stringify(await usage(twin));
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return JSON.parse(last) as UsageLine[];
}

/** The price of one usage line, and what it is made of. */
function priced(line: UsageLine): { usd: number; what: string } {
  const { service, operation } = line;
  if (service === 'stepfunctions' && operation === 'StartSyncExecution')
    return {
      usd: line.requests * PRICES.stepFunctionsExpressRequest.usd + line.gbSeconds * PRICES.stepFunctionsExpressGbSecond.usd,
      what: `${line.requests} Express requests, ${line.gbSeconds.toFixed(4)} GB-s`,
    };
  if (service === 'lambda')
    return {
      usd: line.requests * PRICES.lambdaRequest.usd + line.gbSeconds * PRICES.lambdaGbSecondArm.usd,
      what: `${line.requests} invocations, ${line.gbSeconds.toFixed(4)} GB-s`,
    };
  if (service === 'dynamodb')
    return {
      usd: line.readRequestUnits * PRICES.dynamoDbReadRequestUnit.usd + line.writeRequestUnits * PRICES.dynamoDbWriteRequestUnit.usd,
      what: `${line.requests} requests, ${line.readRequestUnits} RRU, ${line.writeRequestUnits} WRU`,
    };
  if (service === 'ses' && operation === 'SendEmail') return { usd: line.requests * PRICES.sesEmail.usd, what: `${line.requests} e-mails` };
  if (service === 'sms' && operation === 'SendTextMessage')
    return { usd: line.requests * PRICES.smsUnitedStates.usd, what: `${line.requests} texts (1 part each)` };
  if (service === 'eventbridge') return { usd: line.events * PRICES.eventBridgeEvent.usd, what: `${line.events} events` };
  if (service === 'secretsmanager') return { usd: line.requests * PRICES.secretsManagerCall.usd, what: `${line.requests} calls` };
  if (service === 'kms') return { usd: line.requests * PRICES.kmsRequest.usd, what: `${line.requests} requests` };
  if (service === 'lex') return { usd: 0, what: `${line.requests} speech requests (priced with the call)` };
  return { usd: 0, what: `${line.requests} requests (not billed per request)` };
}

function perReset(lines: UsageLine[], resets: number): UsageLine[] {
  return lines.map((l) => ({
    ...l,
    requests: l.requests / resets,
    readRequestUnits: l.readRequestUnits / resets,
    writeRequestUnits: l.writeRequestUnits / resets,
    gbSeconds: l.gbSeconds / resets,
    durationMs: l.durationMs / resets,
    events: l.events / resets,
    logBytes: l.logBytes / resets,
  }));
}

const usd = (value: number) => `$${value < 0.0001 ? value.toExponential(2) : value.toFixed(6)}`;

/** The difference of two snapshots (what a turn did). */
function delta(after: UsageLine[], before: UsageLine[]): UsageLine[] {
  const key = (l: UsageLine) => `${l.service}/${l.operation}`;
  const earlier = new Map(before.map((l) => [key(l), l]));
  return after
    .map((l) => {
      const b = earlier.get(key(l));
      return b ? { ...l, requests: l.requests - b.requests, durationMs: l.durationMs - b.durationMs } : l;
    })
    .filter((l) => l.requests > 0);
}

async function main(): Promise<void> {
  const resets = Number(option('resets', '50'));
  const concurrency = Number(option('concurrency', '5'));
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-bench-cost-'));
  const twin = await startTwinProcess({
    dataDir,
    fresh: true,
    seedEmployees: resets + 10,
    env: { HELPDESK_METERING: '1', COMPANY_DAILY_FAILURE_LIMIT: '10000' },
  });
  let next = 0;
  const phone = (i: number) => `+1444${String(i).padStart(7, '0')}`;
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    // Warm-up: every handler loaded, every cache filled; then count from zero.
    for (let i = 0; i < 2; i += 1, next += 1) await resetByPhone(twin.url, syntheticEmployee(next), phone(next));
    await settled(twin);
    await fetch(`${twin.url}/api/metering/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    let completed = 0;
    let failed = 0;
    const queue = Array.from({ length: resets }, () => next++);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const result = await resetByPhone(twin.url, syntheticEmployee(i), phone(i));
          if (result.error) failed += 1;
          else completed += 1;
        }
      }),
    );
    if (completed === 0) throw new Error('no reset completed');
    const lines = perReset(await settled(twin), completed);
    let infrastructure = 0;
    let logBytes = 0;
    const byService = new Map<string, number>();
    for (const line of lines) {
      logBytes += line.logBytes;
      if (line.service === 'logs') continue; // the log bytes are priced together below
      const { usd: cost, what } = priced(line);
      infrastructure += cost;
      byService.set(line.service, (byService.get(line.service) ?? 0) + cost);
      rows.push({ service: line.service, operation: line.operation, 'per reset': what, '$ per reset': usd(cost) });
    }
    const logs = (logBytes / 2 ** 30) * PRICES.logsIngestedGb.usd;
    infrastructure += logs;
    byService.set('logs', (byService.get('logs') ?? 0) + logs);
    rows.push({ service: 'logs', operation: 'ingested', 'per reset': `${(logBytes / 1024).toFixed(1)} KB`, '$ per reset': usd(logs) });
    const lexRequests = lines.filter((l) => l.service === 'lex').reduce((n, l) => n + l.requests, 0);
    const connect = CALL_MINUTES * (PRICES.connectVoiceMinute.usd + PRICES.connectDidInboundMinute.usd);
    const lex = lexRequests * PRICES.lexSpeechRequest.usd;
    const ranked = [...byService.entries()].sort((a, b) => b[1] - a[1]);
    // The code's text (or e-mail) and the security notice are messages to people: priced per message,
    // whatever the compute behind them. Everything else is the product's own infrastructure.
    const messages = (byService.get('sms') ?? 0) + (byService.get('ses') ?? 0);
    const compute = infrastructure - messages;
    const byEmail = compute + 2 * PRICES.sesEmail.usd;
    notes.push(
      `${completed} resets completed (${failed} failed), ${concurrency} callers at a time, after 2 warm-up resets; counted until the event consumers had delivered`,
      `**infrastructure per completed reset: ${usd(compute)}** (Lambda, Step Functions, DynamoDB, EventBridge, Secrets Manager, logs; target ≤ $0.001); with the messages to people — the code by text (${usd(PRICES.smsUnitedStates.usd)} a text) and the reset notice by e-mail — ${usd(infrastructure)}; with the code by e-mail instead, ${usd(byEmail)}`,
      `what dominates: ${ranked
        .filter(([, v]) => v > 0)
        .map(([s, v]) => `${s} ${((v / infrastructure) * 100).toFixed(0)} %`)
        .join(', ')}`,
      `with a typical ${CALL_MINUTES}-minute call: Connect voice ${usd(connect)} (${CALL_MINUTES} × ($${PRICES.connectVoiceMinute.usd} service + $${PRICES.connectDidInboundMinute.usd} US DID inbound)) + Lex ${usd(lex)} (${lexRequests.toFixed(1)} speech requests × $${PRICES.lexSpeechRequest.usd}) = **${usd(infrastructure + connect + lex)} per reset call**; the call itself is ${(((connect + lex) / (infrastructure + connect + lex)) * 100).toFixed(0)} % of it`,
      `prices: on-demand, US East (N. Virginia), as of ${PRICES_AS_OF}, first tier; sources: ${[...new Set(Object.values(PRICES).map((p) => p.source))].join(', ')} (bench/aws-prices.ts)`,
      'counts (requests, request units, messages, events) are exact; Lambda and Express durations are this machine\u2019s (both ends of every call on two cores), so their GB-second lines are an upper bound; DynamoDB request units are sized from the wire by the documented item-size rules (local/metering/dynamodb-capacity.ts)',
    );

    // One caller alone, turn by turn: what each turn makes AWS do while the caller waits.
    notes.push(...(await turnByTurn(twin, syntheticEmployee(next), phone(next))));
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report(
    'Cost of a reset on AWS, counted on the twin',
    `npm run bench:cost -- --resets ${resets} --concurrency ${concurrency}`,
    rows,
    notes,
  );
}

interface TurnCalls {
  turn: string;
  lex: number;
  /** What Connect or Lex invoked, with its duration here (which includes any workflow it waited for). */
  lambdas: Array<{ name: string; ms: number }>;
  workflows: string[];
  /** How long those workflows ran here (to take out of the waiting Lambda's duration). */
  workflowMs: number;
  /** Task states of the workflows this turn ran: each one sequential AWS call (the ASL has no Parallel). */
  tasks: number;
  /** Lambda tasks of those workflows, with their own compute here (the scrypt hash, the HMAC). */
  taskLambdas: Array<{ name: string; ms: number }>;
}

/** The sequential AWS calls of each turn of one reset, and the estimated turn on AWS. */
async function turnByTurn(twin: TwinProcess, employee: ReturnType<typeof syntheticEmployee>, from: string): Promise<string[]> {
  await settled(twin);
  const turns: TurnCalls[] = [];
  let contactId = '';
  const take = async (name: string, send: () => Promise<Response>) => {
    const before = await usage(twin);
    const startedAt = new Date();
    const res = await send();
    const body = (await res.json()) as { contactId: string; prompts: Array<{ text: string }> };
    contactId ||= body.contactId;
    const made = delta(await usage(twin), before);
    const executions = (
      (await (await fetch(`${twin.url}/api/executions?limit=20`)).json()) as {
        executions: Array<{ executionArn: string; stateMachine: string; startDate: string; durationMs: number | null }>;
      }
    ).executions.filter((e) => Date.parse(e.startDate) >= startedAt.getTime());
    const lambdaLines = made.filter((l) => l.service === 'lambda' && !EVENT_CONSUMERS.has(l.operation));
    let tasks = 0;
    for (const execution of executions) {
      const timeline = (await (
        await fetch(`${twin.url}/api/executions/timeline?arn=${encodeURIComponent(execution.executionArn)}`)
      ).json()) as {
        states: Array<{ type: string }>;
      };
      tasks += timeline.states.filter((s) => s.type === 'Task').length;
    }
    turns.push({
      turn: name,
      lex: made.filter((l) => l.service === 'lex').reduce((n, l) => n + l.requests, 0),
      lambdas: lambdaLines
        .filter((l) => CALLER_PATH_FUNCTIONS.has(l.operation))
        .map((l) => ({ name: l.operation, ms: l.durationMs / l.requests })),
      workflows: executions.map((e) => e.stateMachine),
      workflowMs: executions.reduce((ms, e) => ms + (e.durationMs ?? 0), 0),
      tasks,
      taskLambdas: lambdaLines.filter((l) => !CALLER_PATH_FUNCTIONS.has(l.operation)).map((l) => ({ name: l.operation, ms: l.durationMs })),
    });
    return body;
  };
  const json = { 'content-type': 'application/json' };
  const input = (name: string, dtmf: string) =>
    take(name, () => fetch(`${twin.url}/api/calls/${contactId}/input`, { method: 'POST', headers: json, body: JSON.stringify({ dtmf }) }));
  await take('dial (language preset) → menu', () =>
    fetch(`${twin.url}/api/calls`, { method: 'POST', headers: json, body: JSON.stringify({ from, locale: 'en-US' }) }),
  );
  await input('menu: 1 (reset)', '1');
  await input('employee ID', `${employee.employeeId}#`);
  await input('confirm: 1', '1');
  await input('channel: 1 (text) → start workflow', '1');
  const code = await textedCodeOverHttp(twin.url, employee.mobile!);
  await input('code → verify workflow, readout', `${code}#`);
  await input('2 → thanks', '2');

  // A Lambda that waited for a workflow counts its own compute only (its duration here less the
  // workflow's); the workflow counts as its start, its Task states, and its Lambda tasks' own compute.
  // Cold: every Lambda of the turn starts cold (the worst case).
  const estimate = (turn: TurnCalls, pick: (l: Latency) => number, cold: boolean) => {
    const coldStarts = cold ? (turn.lambdas.length + turn.taskLambdas.length) * pick(LATENCIES.lambdaColdStart) : 0;
    const ownMs = Math.max(0, turn.lambdas.reduce((ms, l) => ms + l.ms, 0) - turn.workflowMs);
    return (
      turn.lex * pick(LATENCIES.lexRecognition) +
      turn.lambdas.length * pick(LATENCIES.lambdaInvoke) +
      ownMs +
      turn.workflows.length * pick(LATENCIES.stepFunctionsStartSync) +
      turn.tasks * pick(LATENCIES.workflowTask) +
      turn.taskLambdas.reduce((ms, l) => ms + l.ms, 0) +
      coldStarts
    );
  };
  const lines = turns.map((t) => {
    const warm50 = estimate(t, (l) => l.p50, false);
    const warm99 = estimate(t, (l) => l.p99, false);
    const cold99 = estimate(t, (l) => l.p99, true);
    return `turn "${t.turn}": ${t.lex} Lex request(s), ${t.lambdas.map((l) => `${l.name} (${l.ms.toFixed(0)} ms here)`).join(' + ') || 'no Lambda'}${
      t.workflows.length
        ? `, ${t.workflows.join(' + ')} (${t.workflowMs} ms here; ${t.tasks} Task states, Lambda tasks ${t.taskLambdas.map((l) => `${l.name} ${l.ms.toFixed(0)} ms`).join(', ')})`
        : ''
    } → on AWS ≈ ${warm50.toFixed(0)} ms p50, ${warm99.toFixed(0)} ms p99 warm, ${cold99.toFixed(0)} ms p99 cold (every Lambda of the turn cold); Connect waits ≤ 8,000 ms for a Lambda`;
  });
  return [
    `turn latency on AWS, on paper: one caller alone, the calls each turn makes while the caller waits, with the per-call latencies of bench/aws-latencies.ts (as of ${LATENCIES_AS_OF}; AWS's figures where published, else assumptions said as such) and each function's own compute as measured here, uncontended`,
    ...lines,
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
