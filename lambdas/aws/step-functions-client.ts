/**
 * The Step Functions client for synchronous workflow calls. The SDK prefixes the host of
 * StartSyncExecution with "sync-"; that is right for AWS's endpoints and wrong for any custom
 * endpoint (AWS_ENDPOINT_URL_SFN), so the prefix is dropped exactly when one is configured.
 */
import { SFNClient, StartSyncExecutionCommand, type StartSyncExecutionCommandOutput } from '@aws-sdk/client-sfn';

/**
 * Exported for tests (aws-sdk-client-mock). One attempt only: StartSyncExecution is not
 * idempotent for Express workflows, so an SDK retry after a failure it cannot see through (a 5xx, a
 * reset connection) could run a verify twice and spend two attempts, or send two codes.
 */
export const sfn = new SFNClient({ maxAttempts: 1, disableHostPrefix: Boolean(process.env.AWS_ENDPOINT_URL_SFN) });

export class WorkflowError extends Error {
  override name = 'WorkflowError';
}

/**
 * Runs an Express workflow synchronously; throws WorkflowError unless it SUCCEEDED within `timeoutMs`.
 * `name` names the execution after the request that started it, so its audit record (`eventId`) and the
 * caller's log line meet. It does not deduplicate: Express executions are at-least-once and names are
 * not checked for uniqueness (docs/design.md, "Timing budget").
 */
export async function runWorkflow<T>(stateMachineArn: string, input: unknown, timeoutMs: number, name?: string): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new WorkflowError(`workflow call timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  let out: StartSyncExecutionCommandOutput;
  try {
    out = await Promise.race([
      sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name && { name }) }), {
        abortSignal: abort.signal,
      }),
      deadline,
    ]);
  } catch (error) {
    throw error instanceof WorkflowError ? error : new WorkflowError(`${(error as Error).name}: workflow call failed`);
  } finally {
    clearTimeout(timer);
  }
  if (out.status !== 'SUCCEEDED' || out.output === undefined)
    throw new WorkflowError(`workflow ${out.status}: ${out.error ?? 'no output'}`);
  return JSON.parse(out.output) as T;
}

/** An execution name from a request id: Step Functions allows 1–80 of [A-Za-z0-9_-]. */
export function executionName(prefix: string, requestId: string): string {
  return `${prefix}-${requestId}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
}

/** How long a caller-facing Lambda may wait: its setting, but never past its own timeout less the margin. */
export function callTimeoutMs(configuredMs: number, remainingMs: number, marginMs: number): number {
  return Math.max(0, Math.min(configuredMs, remainingMs - marginMs));
}
