/**
 * The twin's Lambda host through the Lambda Invoke REST API (@aws-sdk/client-lambda): results,
 * FunctionError on a throw or a failed init (retried at the next invocation), the 6 MB limits, timeouts, unknown functions, and handler output kept in lambda-logs.jsonl.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { localClient, retainedRecords, startTestTwin } from '../support/test-twin';
import { ECHO_FUNCTION, FAILING_FUNCTION, FAILING_INIT_FUNCTION, PROBE_FUNCTIONS, fixtureInitMarker } from '../fixtures/fixture-functions';
import { fakeClock } from '../support/fake-clock';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { threadCpuMs } from '../../bench/process-cpu';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let lambda: LambdaClient;
// Lambda's timeout runs on the twin's clock: the timeout test moves it instead of waiting.
const clock = fakeClock();
const decode = (payload?: Uint8Array) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

beforeAll(async () => {
  twin = await startTestTwin({ clock, functions: [ECHO_FUNCTION, FAILING_FUNCTION, FAILING_INIT_FUNCTION, ...PROBE_FUNCTIONS] });
  lambda = new LambdaClient({ ...localClient(twin.endpoints.lambda), maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await twin.cleanup();
});

it('invokes a handler with a realistic context', async () => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'test-echo', Payload: Buffer.from('{"a":1}') }));
  expect(out.StatusCode).toBe(200);
  expect(out.FunctionError).toBeUndefined();
  const body = decode(out.Payload);
  expect(body).toMatchObject({ echoed: { a: 1 }, functionName: 'test-echo' });
  // Counted from the start of the invocation (its environment's init included), in real time.
  expect(body.remainingMs).toBeLessThanOrEqual(3000);
  expect(body.remainingMs).toBeGreaterThan(0);
  // A warm invocation starts with nearly the whole configured timeout (3 s).
  const warm = decode((await lambda.send(new InvokeCommand({ FunctionName: 'test-echo', Payload: Buffer.from('{}') }))).Payload);
  expect(warm.remainingMs).toBeGreaterThan(2500);
});

it('reports a thrown error as FunctionError Unhandled, without a stack', async () => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: twin.lambdas.arnOf('test-failing'), Payload: Buffer.from('{}') }));
  expect(out.FunctionError).toBe('Unhandled');
  expect(decode(out.Payload)).toEqual({ errorType: 'InvalidInputError', errorMessage: 'fixture refuses this input' });
});

it('fails the invocation whose init fails (FunctionError, the error the module threw), and runs init again at the next', async () => {
  const invoke = () => lambda.send(new InvokeCommand({ FunctionName: 'test-failing-init', Payload: Buffer.from('{}') }));
  const failed = await invoke();
  expect(failed.FunctionError).toBe('Unhandled');
  expect(decode(failed.Payload)).toEqual({
    errorType: 'ConfigurationError',
    errorMessage: 'fixture init marker is missing',
  });
  writeFileSync(fixtureInitMarker(), '');
  try {
    const out = await invoke();
    expect(out.FunctionError).toBeUndefined();
    expect(decode(out.Payload)).toEqual({ initialized: true });
  } finally {
    rmSync(fixtureInitMarker(), { force: true });
  }
});

it('gives each function an execution environment of its own: its modules, and the variables Lambda sets', async () => {
  const probe = async (name: string, event: object = {}) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    return { error: out.FunctionError, body: decode(out.Payload) };
  };
  // The same code in two functions: module state is kept per function (one process shared it before).
  expect((await probe('test-probe-a')).body.invocations).toBe(1);
  expect((await probe('test-probe-a')).body.invocations).toBe(2);
  expect((await probe('test-probe-b')).body).toEqual({
    invocations: 1,
    functionName: 'test-probe-b',
    memorySize: '256',
    connectInstanceId: null,
  });
});

it.each([
  ['an unhandled rejection', 'rejection', { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: fixture rejection' }],
  ['an uncaught exception', 'exception', { errorType: 'TypeError', errorMessage: 'fixture exception' }],
  [
    'an exit',
    'exit',
    {
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 2$/),
    },
  ],
  [
    'more memory than configured',
    'memory',
    {
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/),
    },
  ],
])('ends the environment at %s: the invocation fails, and the next starts a new environment', async (_, crash, error) => {
  const invoke = (event: object) =>
    lambda.send(new InvokeCommand({ FunctionName: 'test-probe-a', Payload: Buffer.from(JSON.stringify(event)) }));
  expect(decode((await invoke({})).Payload).invocations).toBeGreaterThan(0);
  const crashed = await invoke({ crash });
  expect(crashed.FunctionError).toBe('Unhandled');
  expect(decode(crashed.Payload)).toEqual(error);
  // Module state starts again: a new environment ran init.
  expect(decode((await invoke({})).Payload).invocations).toBe(1);
});

it('times a handler out at its configured timeout', async () => {
  const timers = clock.countTimers();
  const answer = lambda.send(new InvokeCommand({ FunctionName: 'test-failing', Payload: Buffer.from('{"sleepMs":60000}') }));
  while (clock.countTimers() === timers) await new Promise((resolve) => setImmediate(resolve));
  clock.tick(1_000);
  const out = await answer;
  expect(out.FunctionError).toBe('Unhandled');
  expect(decode(out.Payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
});

it('resets the environment of an invocation that timed out: the next invocation starts a new one', async () => {
  const invoke = (event: object) =>
    lambda.send(new InvokeCommand({ FunctionName: 'test-probe-b', Payload: Buffer.from(JSON.stringify(event)) }));
  expect(decode((await invoke({})).Payload).invocations).toBeGreaterThan(0);
  const timers = clock.countTimers();
  const answer = invoke({ sleepMs: 60_000 });
  while (clock.countTimers() === timers) await new Promise((resolve) => setImmediate(resolve));
  clock.tick(3_000);
  expect(decode((await answer).Payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' });
  expect(decode((await invoke({})).Payload).invocations).toBe(1);
});

it('ends a retired environment once the invocation it was still running has answered', async () => {
  const invoke = (event: object) =>
    lambda.send(new InvokeCommand({ FunctionName: 'test-probe-a', Payload: Buffer.from(JSON.stringify(event)) }));
  await invoke({});
  const threadOf = () => twin.lambdas.threads().find(({ functionName }) => functionName === 'test-probe-a')?.osThreadId;
  const before = threadOf();
  // Started once its timeout is on the twin's clock (the answer in an object: an async function would wait for it).
  const started = async (event: object) => {
    const timers = clock.countTimers();
    const answer = invoke(event);
    while (clock.countTimers() === timers) await new Promise((resolve) => setImmediate(resolve));
    return { answer };
  };
  // The first invocation times out while the second, started 2 s later on the twin's clock, still runs: the
  // environment is retired, and ends when the second answers.
  const timingOut = await started({ sleepMs: 60_000 });
  clock.tick(2_000);
  const running = await started({ sleepMs: 300 });
  clock.tick(1_000);
  expect(decode((await timingOut.answer).Payload).errorType).toBe('Sandbox.Timedout');
  expect(decode((await running.answer).Payload).invocations).toBeGreaterThan(1);
  if (before !== undefined) expect(twin.lambdas.threads().map(({ osThreadId }) => osThreadId)).not.toContain(before);
  expect(threadOf()).toBeUndefined();
});

it('holds a synchronous invocation to 6 MB each way, as Lambda does', async () => {
  const big = await lambda.send(new InvokeCommand({ FunctionName: 'test-echo', Payload: Buffer.from(JSON.stringify({ pad: 6_300_000 })) }));
  expect(big.FunctionError).toBe('Unhandled');
  expect(decode(big.Payload)).toEqual({
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
  });
  const fits = await lambda.send(
    new InvokeCommand({ FunctionName: 'test-echo', Payload: Buffer.from(JSON.stringify({ pad: 6_000_000 })) }),
  );
  expect(fits.FunctionError).toBeUndefined();
  const request = lambda.send(
    new InvokeCommand({ FunctionName: 'test-echo', Payload: Buffer.from(JSON.stringify({ text: 'z'.repeat(6_300_000) })) }),
  );
  await expect(request).rejects.toMatchObject({ name: 'RequestEntityTooLargeException', $metadata: { httpStatusCode: 413 } });
});

it('answers an unknown function with ResourceNotFoundException', async () => {
  await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

it('keeps what a handler writes to stdout in lambda-logs.jsonl, with its request id', async () => {
  const result = await twin.lambdas.invoke('test-echo', { n: 1 });
  expect(result.ok).toBe(true);
  const logs = await retainedRecords(twin, 'lambdaLogs');
  const line = logs.find((l) => l.functionName === 'test-echo' && l.message?.message === 'echo');
  expect(line).toBeDefined();
  expect(line.message.requestId).toBe(line.requestId);
  expect(logs.some((l) => l.requestId === line.requestId && /^REPORT RequestId: /.test(l.message))).toBe(true);
  expect(logs.some((l) => l.functionName === 'test-failing' && l.errorType === 'InvalidInputError')).toBe(true);
});

it("names each function's thread and dynalite's (GET /api/threads): a busy function's CPU shows on its own thread", async () => {
  const invoke = (name: string, payload: object) =>
    lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  await Promise.all([invoke('test-probe-a', {}), invoke('test-probe-b', {})]);
  const { pid, threads } = (await (await fetch(`${twin.url}/api/threads`)).json()) as {
    pid: number;
    threads: Array<{ name: string; osThreadId: number }>;
  };
  expect(pid).toBe(process.pid);
  if (!existsSync('/proc/thread-self')) return expect(threads).toEqual([]);
  expect(threads.map(({ name }) => name)).toEqual(
    expect.arrayContaining(['DynamoDB (dynalite)', 'Lambda test-probe-a', 'Lambda test-probe-b']),
  );
  expect(new Set(threads.map(({ osThreadId }) => osThreadId)).size).toBe(threads.length);
  const cpu = (name: string) => threadCpuMs(pid, threads.find((thread) => thread.name === name)!.osThreadId)!;
  const [a, b] = [cpu('Lambda test-probe-a'), cpu('Lambda test-probe-b')];
  await invoke('test-probe-a', { spinMs: 300 });
  await invoke('test-probe-b', { sleepMs: 300 });
  expect(cpu('Lambda test-probe-a') - a).toBeGreaterThan(cpu('Lambda test-probe-b') - b);
});
