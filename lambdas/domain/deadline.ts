/**
 * The timing budget's runtime half (docs/design.md, "Timing budget"). A caller-facing Lambda gives a
 * workflow `respondBy`: the instant by which the execution must have ended for the caller still to be
 * listening. A step that cannot be undone (a code sent, a password set) starts only if it, and the
 * rest of the workflow after it, can end by then; otherwise it refuses and nothing irreversible
 * happens after the caller was told otherwise. Plain TypeScript, no AWS import.
 */

/** The workflow catches this name and answers UNAVAILABLE, having done nothing irreversible. */
export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
}

/** ISO 8601 in UTC with milliseconds, as `Date.toISOString` writes it; nothing else is a deadline. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The instant a caller that waits `callTimeoutMs` for a workflow needs it to have ended:
 * `responseMarginMs` earlier, for the answer's way back through the caller's Lambda.
 */
export function respondBy(callTimeoutMs: number, responseMarginMs: number, nowMs: number): string {
  return new Date(nowMs + callTimeoutMs - responseMarginMs).toISOString();
}

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export interface IrreversibleStep {
  /** From the workflow input: when the execution must have ended. */
  respondBy: unknown;
  /** From the ASL: the worst case of the workflow after this step (checked by the timing-budget test). */
  reserveSeconds: unknown;
}

/**
 * How long the irreversible call may take, or a DeadlineExceededError when even `budgetMs` (the most
 * the call is allowed) plus the reserve would end past `respondBy`. A missing or malformed deadline is
 * refused too: without it nothing proves the caller is still listening.
 */
export function timeForIrreversibleStep(step: IrreversibleStep, budgetMs: number, nowMs: number): number {
  if (!isInstant(step.respondBy)) throw new DeadlineExceededError('no valid respondBy: refusing an irreversible step');
  const reserve = step.reserveSeconds;
  if (typeof reserve !== 'number' || !Number.isInteger(reserve) || reserve < 0)
    throw new DeadlineExceededError('no valid reserveSeconds: refusing an irreversible step');
  const latestStart = Date.parse(step.respondBy) - reserve * 1000 - budgetMs;
  if (nowMs > latestStart) throw new DeadlineExceededError(`too late by ${nowMs - latestStart} ms: the caller would have been answered`);
  return budgetMs;
}

/** Runs `action`, giving up (with `onTimeout`'s error) after `ms`; the action's own abort signal fires too. */
export async function within<T>(ms: number, action: (signal: AbortSignal) => Promise<T>, onTimeout: () => Error): Promise<T> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(onTimeout());
    }, ms);
  });
  try {
    return await Promise.race([action(abort.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
