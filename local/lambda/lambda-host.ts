/**
 * The twin's Lambda host: each function runs in an execution environment of its own, a worker thread
 * (execution-environment.ts) started at its first invocation, with its own modules and exactly the
 * environment variables it is given (`environment`, the ones CDK sets, plus Lambda's reserved ones). The
 * host keeps the Lambda side: names and ARNs, the configured timeout on the twin's clock, the 6 MB
 * response limit, what each invocation costs, and its log stream (`lambda-logs.jsonl`, as CloudWatch
 * Logs would keep it). An environment that crashes (an uncaught exception, an unhandled rejection) fails
 * the invocations it was running and is replaced at the next one, as Lambda replaces it.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import type { JsonlFile } from '../retention/jsonl-file';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { systemClock, type Clock, type TimerHandle } from '../time/clock';
import type { EnvironmentSettings, FromEnvironment, ToEnvironment } from './execution-environment';
import { invocationErrorOf, type InvocationError } from './invocation-error';

export type { InvocationError } from './invocation-error';

export type InvocationResult = { ok: true; payload: unknown } | { ok: false; error: InvocationError };

/**
 * A synchronous invocation's response may be 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html);
 * past it the invocation fails with this error, as Lambda reports it.
 */
const MAX_RESPONSE_BYTES = 6_291_556;
const RESPONSE_TOO_LARGE: InvocationError = {
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
};

/** Lambda's runtime sets these in every function's environment; a function's configuration cannot (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime). */
function reservedVariables(fn: FunctionDefinition): Record<string, string> {
  return {
    _HANDLER: `index.${fn.handler}`,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
  };
}

/** A running execution environment and the invocations it has not answered yet. */
interface ExecutionEnvironment {
  functionName: string;
  worker: Worker;
  /** The system's id of its thread, once it has started (Linux). */
  osThreadId?: number | undefined;
  /** Each waiting invocation's request id and how to answer it. */
  pending: Map<number, { requestId: string; done: (result: InvocationResult) => void }>;
}

export class LambdaHost {
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly aliases = new Map<string, string>();
  /** The environment each function's next invocation goes to. */
  private readonly environments = new Map<string, ExecutionEnvironment>();
  /**
   * Every environment whose thread runs, retired ones included (close ends them all). One no longer in
   * `environments` is retired: it takes no new invocation and ends once `pending` is empty.
   */
  private readonly alive = new Set<ExecutionEnvironment>();
  private readonly logListeners = new Set<(record: { functionName: string; requestId?: string; message: unknown }) => void>();
  private readonly invocationListeners = new Set<(invocation: { functionName: string; memoryMb: number; durationMs: number }) => void>();
  private nextInvocationId = 1;

  constructor(
    functions: readonly FunctionDefinition[],
    private readonly options: {
      repoRoot: string;
      logFile: JsonlFile;
      /** The variables a function is given (read when its environment starts): CDK's for that function. */
      environment: (fn: FunctionDefinition) => Record<string, string>;
      clock?: Clock;
    },
  ) {
    for (const fn of functions) this.functions.set(fn.name, fn);
  }

  /** A registered function's definition (its catalogue entry: access, limits), or undefined. */
  definition(name: string): FunctionDefinition | undefined {
    return this.functions.get(name);
  }

  /** Observes every invocation once it ends: the function, its configured memory and how long it ran (what Lambda bills). */
  onInvocation(listener: (invocation: { functionName: string; memoryMb: number; durationMs: number }) => void): () => void {
    this.invocationListeners.add(listener);
    return () => this.invocationListeners.delete(listener);
  }

  /** Observes every log line a handler writes (the twin's CloudWatch metrics read EMF from them). */
  onLog(listener: (record: { functionName: string; requestId?: string; message: unknown }) => void): () => void {
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
    const timeoutMs = fn.timeoutSeconds * 1000;
    const logFile = this.options.logFile;
    logFile.append({ time: new Date().toISOString(), functionName: name, requestId, message: `START RequestId: ${requestId}` });
    let timer: TimerHandle | undefined;
    const timedOut: InvocationResult = {
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds` },
    };
    const timeout = new Promise<InvocationResult>((done) => {
      timer = clock.setTimeout(() => done(timedOut), timeoutMs);
    });
    const started = performance.now();
    let result: InvocationResult = { ok: false, error: { errorType: 'ServiceException', errorMessage: 'The invocation did not complete' } };
    try {
      const environment = this.environmentOf(fn);
      const id = this.nextInvocationId++;
      const answered = new Promise<InvocationResult>((done) => environment.pending.set(id, { requestId, done }));
      const message: ToEnvironment = {
        type: 'invoke',
        id,
        requestId,
        event: JSON.stringify(event ?? null),
        // The environment counts down in its own time: the whole timeout remains as the invocation starts.
        deadline: Date.now() + timeoutMs,
      };
      environment.worker.postMessage(message);
      result = await Promise.race([answered, timeout]);
      environment.pending.delete(id);
      // "If the function crashes or times out during the Invoke phase, Lambda resets the execution environment"
      // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html): the next invocation gets a new one.
      if (result === timedOut) this.retire(fn.name, environment);
      return result;
    } catch (error) {
      result = { ok: false, error: invocationErrorOf(error) };
      return result;
    } finally {
      clock.clearTimeout(timer);
      if (!result.ok)
        // Lambda's own error line: type and message only, the stack stays out of the caller's answer.
        logFile.append({
          time: new Date().toISOString(),
          functionName: name,
          requestId,
          level: 'ERROR',
          errorType: result.error.errorType,
          errorMessage: result.error.errorMessage,
        });
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

  /** The threads of the environments running now, by function (Linux; empty elsewhere): GET /api/threads. */
  threads(): Array<{ functionName: string; osThreadId: number }> {
    return [...this.alive].flatMap(({ functionName, osThreadId }) => (osThreadId === undefined ? [] : [{ functionName, osThreadId }]));
  }

  /** Ends every execution environment (invocations still running are abandoned). */
  async close(): Promise<void> {
    const ending = [...this.alive].map((environment) => this.end(environment));
    this.environments.clear();
    await Promise.all(ending);
  }

  /** Terminates the environment's thread, once. */
  private async end(environment: ExecutionEnvironment): Promise<void> {
    if (this.alive.delete(environment)) await environment.worker.terminate();
  }

  /** The function's running environment, or a new one (its init runs at the invocation that started it). */
  private environmentOf(fn: FunctionDefinition): ExecutionEnvironment {
    const running = this.environments.get(fn.name);
    if (running) return running;
    const settings: EnvironmentSettings = {
      functionName: fn.name,
      invokedFunctionArn: this.arnOf(fn.name),
      entry: resolve(this.options.repoRoot, fn.entry),
      handler: fn.handler,
      memoryMb: fn.memoryMb,
    };
    const worker = new Worker(join(__dirname, 'execution-environment.cjs'), {
      workerData: settings,
      env: { ...this.options.environment(fn), ...reservedVariables(fn) },
      // Not the parent's flags (`--import tsx`, Jest's, profiling): the entry registers tsx itself.
      execArgv: [],
      // The configured memory caps the JavaScript heap (Lambda caps the whole process, so this is the lenient side).
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
    });
    // A twin that forgets to close must not be kept alive by its functions.
    worker.unref();
    const environment: ExecutionEnvironment = { functionName: fn.name, worker, pending: new Map() };
    this.environments.set(fn.name, environment);
    this.alive.add(environment);
    // The environment has ended: what it was running fails, and the next invocation starts another.
    const discard = (error: (requestId: string) => InvocationError) => {
      if (this.environments.get(fn.name) === environment) this.environments.delete(fn.name);
      this.alive.delete(environment);
      for (const { requestId, done } of environment.pending.values()) done({ ok: false, error: error(requestId) });
      environment.pending.clear();
    };
    worker.on('message', (message: FromEnvironment) => {
      if (message.type === 'result') {
        const waiting = environment.pending.get(message.id);
        environment.pending.delete(message.id);
        waiting?.done(message.ok ? this.response(message.payload) : { ok: false, error: message.error });
        // A function whose init failed gets a new environment at its next invocation, init again included;
        // a retired environment ends with its last answer.
        if ((!message.ok && message.initFailed) || this.environments.get(fn.name) !== environment) this.retire(fn.name, environment);
      } else if (message.type === 'crashed') discard(() => message.error);
      else if (message.type === 'started') environment.osThreadId = message.osThreadId;
      else this.log(fn.name, message.requestId, message.message);
    });
    // A failure of the thread itself (the environment reports its handler's crashes first, as 'crashed').
    worker.on('error', (error: Error & { code?: string }) =>
      discard((requestId) =>
        // Past its memory Lambda kills the runtime: "Runtime exited with error: signal: killed" (Runtime.ExitError).
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` }
          : invocationErrorOf(error),
      ),
    );
    // As Lambda reports a runtime that exits (https://repost.aws/knowledge-center/lambda-runtime-error).
    worker.on('exit', (code) =>
      discard((requestId) => ({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
      })),
    );
    return environment;
  }

  /**
   * No new invocation goes to this environment; it ends once the invocations it is still running have
   * answered (on AWS each of them would be in an environment of its own, which a reset does not touch).
   */
  private retire(name: string, environment: ExecutionEnvironment): void {
    if (this.environments.get(name) === environment) this.environments.delete(name);
    if (environment.pending.size === 0) void this.end(environment);
  }

  /** The result as the caller receives it, or the error Lambda gives a response over 6 MB. */
  private response(serialized: string): InvocationResult {
    if (Buffer.byteLength(serialized, 'utf8') > MAX_RESPONSE_BYTES) return { ok: false, error: RESPONSE_TOO_LARGE };
    return { ok: true, payload: JSON.parse(serialized) };
  }

  private log(functionName: string, requestId: string | undefined, message: unknown): void {
    const record = { functionName, ...(requestId ? { requestId } : {}), message };
    this.options.logFile.append({ time: new Date().toISOString(), ...record });
    for (const listener of this.logListeners) listener(record);
  }
}
