/**
 * The twin's Lambda host: runs the project's handlers in-process with a realistic context
 * (function name, request id, remaining time honouring the configured timeout) and routes what a
 * handler writes to stdout/stderr into `lambda-logs.jsonl`, as CloudWatch Logs would keep it.
 * Environment variables are the ones CDK sets; the twin puts them in process.env before any handler loads.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import type { JsonlFile } from '../retention/jsonl-file';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { systemClock, type Clock, type TimerHandle } from '../time/clock';
import { onInvokingFunction } from './invoking-function';

export type Handler = (event: unknown, context: Context) => Promise<unknown> | unknown;

export interface InvocationError {
  errorType: string;
  errorMessage: string;
}

export type InvocationResult = { ok: true; payload: unknown } | { ok: false; error: InvocationError };

interface InvocationScope {
  functionName: string;
  requestId: string;
}

const invocationScope = new AsyncLocalStorage<InvocationScope>();

/**
 * A synchronous invocation's response may be 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html);
 * past it the invocation fails with this error, as Lambda reports it.
 */
const MAX_RESPONSE_BYTES = 6_291_556;
const RESPONSE_TOO_LARGE: InvocationError = {
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
};

export class LambdaHost {
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly handlers = new Map<string, Handler>();
  private readonly aliases = new Map<string, string>();
  private readonly logListeners = new Set<(record: { functionName: string; requestId: string; message: unknown }) => void>();
  private readonly invocationListeners = new Set<(invocation: { functionName: string; memoryMb: number; durationMs: number }) => void>();
  private restoreStreams: (() => void) | undefined;
  /** Stops naming this host's functions on their outgoing requests (local/lambda/invoking-function.ts). */
  private readonly forgetInvokingFunction: () => void;

  constructor(
    functions: readonly FunctionDefinition[],
    private readonly options: { repoRoot: string; logFile: JsonlFile; clock?: Clock },
  ) {
    for (const fn of functions) this.register(fn);
    this.captureHandlerOutput();
    // A handler's AWS calls say which function made them, so the emulators can check its role.
    this.forgetInvokingFunction = onInvokingFunction(() => invocationScope.getStore()?.functionName);
  }

  /** A registered function's definition (its catalogue entry: access, limits), or undefined. */
  definition(name: string): FunctionDefinition | undefined {
    return this.functions.get(name);
  }

  register(fn: FunctionDefinition, handler?: Handler): void {
    this.functions.set(fn.name, fn);
    if (handler) this.handlers.set(fn.name, handler);
    else this.handlers.delete(fn.name);
  }

  /** Observes every invocation once it ends: the function, its configured memory and how long it ran (what Lambda bills). */
  onInvocation(listener: (invocation: { functionName: string; memoryMb: number; durationMs: number }) => void): () => void {
    this.invocationListeners.add(listener);
    return () => this.invocationListeners.delete(listener);
  }

  /** Observes every log line a handler writes (the twin's CloudWatch metrics read EMF from them). */
  onLog(listener: (record: { functionName: string; requestId: string; message: unknown }) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** Another name for a function (e.g. the function an exported flow names, mapped to a project handler). */
  alias(name: string, functionName: string): void {
    this.aliases.set(name, functionName);
  }

  list(): FunctionDefinition[] {
    return [...this.functions.values()];
  }

  arnOf(name: string): string {
    return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
  }

  /** Accepts a function name, a function ARN or a qualified ARN (`...:function:name:alias`). */
  resolveName(nameOrArn: string): string | undefined {
    const match = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
    const given = match ? match[1]! : nameOrArn;
    const name = this.aliases.get(given) ?? given;
    return this.functions.has(name) ? name : undefined;
  }

  async invoke(nameOrArn: string, event: unknown): Promise<InvocationResult> {
    const name = this.resolveName(nameOrArn);
    if (!name) return { ok: false, error: { errorType: 'ResourceNotFoundException', errorMessage: `Function not found: ${nameOrArn}` } };
    const fn = this.functions.get(name)!;
    const requestId = randomUUID();
    const clock = this.options.clock ?? systemClock;
    const deadline = clock.now() + fn.timeoutSeconds * 1000;
    const context = this.context(fn, requestId, () => Math.max(0, deadline - clock.now()));
    const logFile = this.options.logFile;
    logFile.append({ time: new Date().toISOString(), functionName: name, requestId, message: `START RequestId: ${requestId}` });
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(
        () =>
          reject(Object.assign(new Error(`Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`), { name: 'Sandbox.Timedout' })),
        fn.timeoutSeconds * 1000,
      );
    });
    const started = performance.now();
    try {
      // Init runs in the first invocation's time, and a failed init fails that invocation (the error the
      // module threw, as Lambda's Node.js runtime reports it) and runs again at the next one: Node keeps no
      // module that threw while loading.
      const handler = this.load(fn);
      const payload = await Promise.race([
        invocationScope.run({ functionName: name, requestId }, async () => handler(JSON.parse(JSON.stringify(event ?? null)), context)),
        timeout,
      ]);
      // Lambda serialises the result: undefined becomes null, and non-JSON values fail.
      const serialized = payload === undefined ? 'null' : JSON.stringify(payload);
      if (Buffer.byteLength(serialized, 'utf8') > MAX_RESPONSE_BYTES) return { ok: false, error: RESPONSE_TOO_LARGE };
      return { ok: true, payload: JSON.parse(serialized) };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      // Lambda's own error line: type and message only, the stack stays out of the caller's answer.
      logFile.append({
        time: new Date().toISOString(),
        functionName: name,
        requestId,
        level: 'ERROR',
        errorType: err.name,
        errorMessage: err.message,
      });
      return { ok: false, error: { errorType: err.name || 'Error', errorMessage: err.message } };
    } finally {
      clock.clearTimeout(timer);
      const durationMs = performance.now() - started;
      for (const listener of this.invocationListeners) listener({ functionName: name, memoryMb: fn.memoryMb, durationMs });
      logFile.append({
        time: new Date().toISOString(),
        functionName: name,
        requestId,
        message: `REPORT RequestId: ${requestId} Duration: ${durationMs.toFixed(2)} ms`,
      });
    }
  }

  close(): void {
    this.forgetInvokingFunction();
    this.restoreStreams?.();
    this.restoreStreams = undefined;
  }

  private load(fn: FunctionDefinition): Handler {
    let handler = this.handlers.get(fn.name);
    if (!handler) {
      // require (not import) so the same path works under tsx and under Jest's transform.
      const mod = require(resolve(this.options.repoRoot, fn.entry)) as Record<string, unknown>;
      const exported = mod[fn.handler];
      if (typeof exported !== 'function') throw new Error(`${fn.entry} does not export a function ${fn.handler}`);
      handler = exported as Handler;
      this.handlers.set(fn.name, handler);
    }
    return handler;
  }

  private context(fn: FunctionDefinition, requestId: string, remainingMs: () => number): Context {
    const noop = () => undefined;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.arnOf(fn.name),
      memoryLimitInMB: String(fn.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${requestId.replace(/-/g, '')}`,
      getRemainingTimeInMillis: remainingMs,
      done: noop,
      fail: noop,
      succeed: noop,
    };
  }

  /** What a handler prints goes to its log group (lambda-logs.jsonl), not to the twin's console. */
  private captureHandlerOutput(): void {
    const logFile = this.options.logFile;
    const listeners = this.logListeners;
    const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
    const wrap = (stream: NodeJS.WriteStream, original: typeof process.stdout.write) =>
      function write(this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
        const scope = invocationScope.getStore();
        if (!scope) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          const record = { functionName: scope.functionName, requestId: scope.requestId, message: parseLine(line) };
          logFile.append({ time: new Date().toISOString(), ...record });
          for (const listener of listeners) listener(record);
        }
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      };
    process.stdout.write = wrap(process.stdout, originals.stdout) as typeof process.stdout.write;
    process.stderr.write = wrap(process.stderr, originals.stderr) as typeof process.stderr.write;
    this.restoreStreams = () => {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    };
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}
