/**
 * The worst-case duration of an ASL state machine, from its own numbers: each Task's `TimeoutSeconds`
 * times its attempts (its Retry `MaxAttempts`) plus the retry delays (`IntervalSeconds` × `BackoffRate`^n,
 * capped by `MaxDelaySeconds`; `JitterStrategy: FULL` only shortens them), along the longest path of
 * the state graph, and a Wait's `Seconds`. Pass and Choice states count as 0. A loop counts only when a Choice ends it on a
 * `NumericLessThan` bound; any other cycle, and a Task without `TimeoutSeconds` (whose default is
 * 99,999,999 s, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html), is unbounded.
 * Written here because no ASL tool computes it. Used by the timing-budget test and the design doc.
 */

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
}
interface ChoiceRule {
  Next?: string;
  Variable?: string;
  NumericLessThan?: number;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
}
export interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Parameters?: Record<string, unknown>;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Next?: string;
  End?: boolean;
  Choices?: ChoiceRule[];
  Default?: string;
}
export interface AslDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}

export class UnboundedError extends Error {}

/** Seconds one Task state can take, all its attempts and retry delays included. */
export function taskWorstCaseSeconds(name: string, state: AslState): number {
  if (state.TimeoutSeconds === undefined) throw new UnboundedError(`${name}: a Task without TimeoutSeconds waits up to 99,999,999 s`);
  let attempts = 1;
  let delays = 0;
  for (const retrier of state.Retry ?? []) {
    // Defaults from the ASL specification: 1 s, 3 attempts, backoff 2.0.
    const max = retrier.MaxAttempts ?? 3;
    const interval = retrier.IntervalSeconds ?? 1;
    const backoff = retrier.BackoffRate ?? 2;
    for (let n = 0; n < max; n++) delays += Math.min(interval * backoff ** n, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
    attempts += max;
  }
  return attempts * state.TimeoutSeconds + delays;
}

/** What the analysis knows of `$.result`: set by a Pass state's literal `Result`, unknown after anything else. */
type Known = Record<string, unknown> | undefined;

function afterState(state: AslState, known: Known): Known {
  const writesResult = (state as { ResultPath?: string | null }).ResultPath === '$.result';
  if (!writesResult) return known;
  const literal = (state as { Result?: unknown }).Result;
  return state.Type === 'Pass' && literal && typeof literal === 'object' ? (literal as Record<string, unknown>) : undefined;
}

/**
 * The states a Choice can go to, given what is known of `$.result`: a rule on `$.result.<field>` with
 * `StringEquals` is decided when the field is known; anything else may or may not match.
 */
function choiceTargets(state: AslState, known: Known): string[] {
  const targets: string[] = [];
  for (const rule of state.Choices ?? []) {
    const field = rule.Variable?.startsWith('$.result.') ? rule.Variable.slice('$.result.'.length) : undefined;
    const expected = (rule as { StringEquals?: unknown }).StringEquals;
    const decidable = known && field && !field.includes('.') && typeof expected === 'string' && Object.keys(rule).length === 3;
    if (decidable) {
      if (known[field] === expected) return [...targets, rule.Next!];
      continue;
    }
    if (rule.Next) targets.push(rule.Next);
  }
  return state.Default ? [...targets, state.Default] : targets;
}

/** A Wait state's seconds; a wait on a path or a timestamp is not bounded by the definition. */
function waitSeconds(name: string, state: AslState): number {
  const seconds = (state as { Seconds?: unknown }).Seconds;
  if (typeof seconds !== 'number') throw new UnboundedError(`${name}: a Wait without a fixed Seconds`);
  return seconds;
}

function successors(state: AslState, known: Known): string[] {
  const next = state.Type === 'Choice' ? choiceTargets(state, known) : [state.Next, ...(state.Catch ?? []).map((c) => c.Next)];
  return [...new Set(next.filter((n): n is string => typeof n === 'string'))];
}

/** The `NumericLessThan` bound of a Choice rule that leads to `target`, if there is one. */
function loopBound(state: AslState, target: string): number | undefined {
  const rule = (state.Choices ?? []).find((c) => c.Next === target);
  return typeof rule?.NumericLessThan === 'number' ? rule.NumericLessThan : undefined;
}

/**
 * The longest time from entering `from` to the end of the execution, in seconds. The graph walked is
 * (state, what is known of `$.result`), so a second pass through shared states with another outcome
 * (the write-ahead audit, then the outcome's record) is not a loop.
 */
export function worstCaseSeconds(definition: AslDefinition, from: string = definition.StartAt, known: Known = undefined): number {
  return walk(definition, from, known, undefined, () => false);
}

/** With `stopAt`: the longest way from `from` to entering `stopAt` (a loop's body); ways that leave the loop do not count. */
function walk(
  definition: AslDefinition,
  from: string,
  start: Known,
  stopAt: string | undefined,
  settled: (known: Known) => boolean,
  stopKnown?: string,
): number {
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  // The extra time of the loops that go round to a state (keyed like onPath): added where the loop starts.
  const loopExtra = new Map<string, number>();
  // States whose worst case depends on a loop still open above them are not memoized.
  const openLoops = new Set<string>();
  const visit = (name: string, known: Known): number => {
    // A loop's body ends where it went round: the same state, knowing the same; reaching that state by
    // way of another outcome left the loop.
    if (name === stopAt) return JSON.stringify(known ?? null) === stopKnown ? 0 : Number.NEGATIVE_INFINITY;
    if (settled(known)) return 0;
    const key = `${name}|${JSON.stringify(known ?? null)}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const state = definition.States[name];
    if (!state) throw new UnboundedError(`no state ${name}`);
    onPath.add(key);
    const own = state.Type === 'Task' ? taskWorstCaseSeconds(name, state) : state.Type === 'Wait' ? waitSeconds(name, state) : 0;
    const after = afterState(state, known);
    const nextStates = successors(state, after);
    // The end of the execution: 0 more, unless measuring a loop's body, which the end is not part of.
    let rest = nextStates.length === 0 && stopAt === undefined ? 0 : Number.NEGATIVE_INFINITY;
    for (const next of nextStates) {
      const nextKey = `${next}|${JSON.stringify(after ?? null)}`;
      if (onPath.has(nextKey)) {
        // A back edge: bounded only by a counted Choice; its body runs at most `bound` more times, after
        // which the loop leaves by one of its other ways (counted from where the loop starts).
        const bound = state.Type === 'Choice' ? loopBound(state, next) : undefined;
        if (bound === undefined) throw new UnboundedError(`${name} → ${next}: a loop no Choice bounds with NumericLessThan`);
        const extra = bound * walk(definition, next, after, name, settled, JSON.stringify(known ?? null));
        loopExtra.set(nextKey, Math.max(loopExtra.get(nextKey) ?? 0, extra));
        openLoops.add(nextKey);
        continue;
      }
      rest = Math.max(rest, visit(next, after));
    }
    onPath.delete(key);
    openLoops.delete(key);
    const total = own + rest + (loopExtra.get(key) ?? 0);
    // Memoized only when no loop above it is still open (its worst case would then depend on the way in).
    if (openLoops.size === 0) memo.set(key, total);
    return total;
  };
  return visit(from, start);
}

/**
 * What must still fit after an irreversible Task succeeded: the worst case of the states it leads to,
 * given `known` (the outcome it was authorized as). A path stops counting once it has settled on
 * `status: UNAVAILABLE`: from there the caller hears that whether the execution ends in time or not.
 */
export function tailAfterSeconds(definition: AslDefinition, task: string, known: Known): number {
  const state = definition.States[task];
  if (!state?.Next) throw new UnboundedError(`${task} has no Next`);
  return walk(definition, state.Next, known, undefined, (k) => k?.status === 'UNAVAILABLE');
}
