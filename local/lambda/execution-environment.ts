/**
 * One Lambda function's execution environment in the twin: a worker thread of its own, started by the
 * Lambda host (lambda-host.ts) at the function's first invocation. As on AWS, a function has its own
 * module registry (no module state is shared with another function), its own `process.env` (exactly the
 * variables it is given, plus Lambda's reserved ones) and its own SDK clients, and it runs on a core of
 * its own. It loads its handler module at the first invocation (init; a module that throws fails that
 * invocation, and the host starts a new environment for the next), runs each invocation with a Lambda
 * context, and sends back
 * the result (serialized as Lambda serializes it) and every line the handler writes (its log stream).
 * Each HTTP request it makes carries the function's name (invoking-function.ts), so the emulators check
 * its role. Twin-only: nothing deployed loads this.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { invocationErrorOf, type InvocationError } from './invocation-error';
import { nameRequestsAs } from './invoking-function';
import { osThreadId } from '../os-thread';

export interface EnvironmentSettings {
  functionName: string;
  invokedFunctionArn: string;
  /** The handler module's absolute path, and the name it exports the handler as. */
  entry: string;
  handler: string;
  memoryMb: number;
}

export type ToEnvironment = {
  type: 'invoke';
  id: number;
  requestId: string;
  /** The event as JSON: the environment parses its own copy, as Lambda's runtime does. */
  event: string;
  /** When the invocation times out, in `Date.now()` time (getRemainingTimeInMillis counts down to it). */
  deadline: number;
};

export type FromEnvironment =
  | { type: 'result'; id: number; ok: true; payload: string }
  /** `initFailed`: the handler module did not load; Lambda starts a new environment for the next invocation. */
  | { type: 'result'; id: number; ok: false; error: InvocationError; initFailed?: true }
  /** A line the function wrote (parsed when it is JSON), in the invocation it wrote it in, if any. */
  | { type: 'log'; requestId?: string; message: unknown }
  /** The environment is ending: an uncaught exception or an unhandled rejection, which fails what it was running. */
  | { type: 'crashed'; error: InvocationError }
  /** The environment's thread has started (the system's id for it, to read its CPU: GET /api/threads). */
  | { type: 'started'; osThreadId: number | undefined };

type Handler = (event: unknown, context: Context) => Promise<unknown> | unknown;

const settings = workerData as EnvironmentSettings;
const port = parentPort!;
const scope = new AsyncLocalStorage<string>();
let handler: Handler | undefined;

// Every request this environment makes is the function's (its role's credentials on AWS).
nameRequestsAs(settings.functionName);
captureOutput();
port.postMessage({ type: 'started', osThreadId: osThreadId() } satisfies FromEnvironment);
// As Lambda's Node.js runtime (aws-lambda-nodejs-runtime-interface-client, Errors.js and index.js): an
// unhandled rejection is Runtime.UnhandledPromiseRejection, an uncaught exception keeps its own type, and
// either ends the runtime process; Lambda starts a new environment for the next invocation.
process.on('unhandledRejection', (reason) => crash({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: String(reason) }));
process.on('uncaughtException', (error) => crash(invocationErrorOf(error)));

function crash(error: InvocationError): never {
  port.postMessage({ type: 'crashed', error } satisfies FromEnvironment);
  process.exit(129);
}

port.on('message', (message: ToEnvironment) => {
  if (message.type === 'invoke') void invoke(message);
});

async function invoke({ id, requestId, event, deadline }: ToEnvironment): Promise<void> {
  port.postMessage(await scope.run(requestId, () => run(id, JSON.parse(event), context(requestId, deadline))));
}

async function run(id: number, event: unknown, invocation: Context): Promise<FromEnvironment> {
  let handle: Handler;
  try {
    handle = load();
  } catch (error) {
    return { ...failure(id, error), initFailed: true };
  }
  try {
    const payload = await handle(event, invocation);
    // Lambda serializes the result: undefined becomes null, and a value JSON cannot hold fails.
    return { type: 'result', id, ok: true, payload: payload === undefined ? 'null' : JSON.stringify(payload) };
  } catch (error) {
    return failure(id, error);
  }
}

function failure(id: number, error: unknown): Extract<FromEnvironment, { ok: false }> {
  return { type: 'result', id, ok: false, error: invocationErrorOf(error) };
}

/** Init runs in the first invocation's time (and counts against its timeout, which is stricter than Lambda's separate init phase). */
function load(): Handler {
  if (handler) return handler;
  // require (not import): tsx's CommonJS loader, registered by the entry, compiles the TypeScript.
  const mod = require(settings.entry) as Record<string, unknown>;
  const exported = mod[settings.handler];
  if (typeof exported !== 'function') throw new Error(`${settings.entry} does not export a function ${settings.handler}`);
  handler = exported as Handler;
  return handler;
}

function context(requestId: string, deadline: number): Context {
  const noop = () => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: settings.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: settings.invokedFunctionArn,
    memoryLimitInMB: String(settings.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${settings.functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

/** What the function prints goes to its log stream (the host writes lambda-logs.jsonl), line by line. */
function captureOutput(): void {
  const wrap = () =>
    function write(chunk: unknown, ...rest: unknown[]): boolean {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const requestId = scope.getStore();
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const message: FromEnvironment = { type: 'log', message: parseLine(line), ...(requestId ? { requestId } : {}) };
        port.postMessage(message);
      }
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = wrap() as typeof process.stdout.write;
  process.stderr.write = wrap() as typeof process.stderr.write;
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}
