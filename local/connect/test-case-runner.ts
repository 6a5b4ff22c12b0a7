/**
 * Runs an Amazon Connect test case (Testing language, docs/connect-testing-language.md) against the
 * twin's call center, as Connect runs it against an instance: a simulated voice call whose events
 * (messages played, flow blocks started, the start and the end of the test) are matched against the
 * active observations, each observation matching once and then activating its NextObservations; the
 * matched observation's actions run in their NextAction chain (send the caller's input, override a
 * block once, first in first out, assert, log, end the test). Written here because nothing else runs
 * the Testing language outside an instance.
 *
 * Approximations, documented: `Similarity` matching is "most of the expected words are in the message"
 * (AWS documents no threshold). When the flow waits for the caller and no matched observation answers,
 * the caller is silent: the waiting block times out as on a call (`Timeout`, no input), up to 10 times in
 * a row, where Connect would stop the test at 5 minutes. What this runner does not support fails the test with
 * "unsupported: …", never a silent pass. One test case at a time per twin (events are taken from the
 * first call that starts).
 */
import type { CallCenter } from './call-center';
import type { BlockOverride, ObservedParameters } from './blocks/block';
import type { Contact } from './contact';
import { testCaseProblems } from '../../connect/test-case-schema';

// biome-ignore lint/suspicious/noExplicitAny: the document was validated against TEST_CASE_SCHEMA before it is read here.
type Json = Record<string, any>;

export interface ObservationResult {
  identifier: string;
  status: 'PASSED' | 'FAILED' | 'NOT_REACHED';
  message?: string;
}

export interface TestCaseResult {
  passed: boolean;
  observations: ObservationResult[];
  /** Why the test failed, when it did not fail on an observation (invalid, unsupported, stuck). */
  failure?: string;
  /** The LogData lines, what the caller heard and what matched, in order. */
  log: string[];
}

export interface TestCaseEnvironment {
  calls: CallCenter;
  /** `${Name}` placeholders in the test case (ARNs of this deployment), as the flow's are substituted. */
  substitutions: Record<string, string>;
  /** The caller's number for the simulated call. */
  from?: string;
  /**
   * The twin's hook for secrets a test case must not hold: a DTMF Value `{{code:<address>}}` becomes the
   * newest code sent to that mobile (E.164: a text) or e-mail address when it is sent, `{{not-code:<address>}}` a code certainly not it (a `#` may
   * follow either). Twin only; on an instance, override the Lambda instead.
   */
  latestCode?: (address: string) => Promise<string>;
}

type ObservedEvent =
  | { type: 'TestInitiated' | 'TestCompleted' }
  | { type: 'MessageReceived'; text: string; ssml: string | null }
  | { type: 'FlowActionStarted'; actionType: string; parameters: ObservedParameters };

class Unsupported extends Error {}

/** The password readout's signature (lambdas/domain/password-readout.ts spells it in say-as characters). */
const isPasswordReadout = (ssml: string | null) => ssml?.includes('interpret-as="characters"') === true;

/** Timeouts in a row with nothing matched before the runner gives up (every flow here ends sooner). */
const MAX_SILENCES = 10;

const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/<[^>]+>/g, ' ')
    .match(/[\p{L}\p{N}']+/gu) ?? [];
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Whether a message event matches; `Similarity` is this runner's approximation (see the header). */
function messageMatches(expected: Json, criteria: string | undefined, text: string, ssml: string | null): boolean {
  if (expected.PromptId !== undefined || expected.Media !== undefined)
    throw new Unsupported('unsupported: MessageReceived by PromptId or Media');
  const wanted = expected.Text ?? expected.SSML;
  const heard = expected.Text !== undefined ? text : (ssml ?? '');
  if (criteria === 'Similarity') {
    const want = words(wanted);
    const have = new Set(words(heard));
    return want.length > 0 && want.filter((w) => have.has(w)).length / want.length >= 0.8;
  }
  // Inclusion (and no criteria): the message contains the text.
  return squash(heard).includes(squash(wanted));
}

const sameIdentity = (expected: unknown, actual: unknown): boolean =>
  typeof expected === 'object' && expected !== null
    ? Object.entries(expected).every(([k, v]) => sameIdentity(v, (actual as Json | undefined)?.[k]))
    : expected === actual;

function eventMatches(event: Json, observed: ObservedEvent): boolean {
  if (event.Type !== observed.type) return false;
  if (observed.type === 'MessageReceived')
    return messageMatches(
      event.Properties,
      event.Properties.MatchingCriteria?.Type ?? event.MatchingCriteria,
      observed.text,
      observed.ssml,
    );
  if (observed.type === 'FlowActionStarted')
    return event.Properties.ActionType === observed.actionType && sameIdentity(event.Properties.ActionParameters, observed.parameters);
  return true;
}

/** An OverrideSystemBehavior's effect, as the flow runner applies it. */
function overrideOf(behavior: Json): { actionType: string; parameters: Json; effect: BlockOverride } {
  const p = behavior.Properties;
  const strategy = p.Strategy;
  let effect: BlockOverride;
  if (strategy.Type === 'SubstituteResource') {
    if (p.ActionType !== 'InvokeLambdaFunction') throw new Unsupported(`unsupported: SubstituteResource for ${p.ActionType}`);
    effect = { kind: 'substitute', arn: strategy.SubstituteArn };
  } else if (strategy.Response.Type === 'Error') {
    if (strategy.Response.Error.DelaySeconds) throw new Unsupported('unsupported: DelaySeconds in a mocked error');
    effect = { kind: 'error', errorType: strategy.Response.Error.Value };
  } else {
    const result = strategy.Response.ExecutionResult;
    if (result.DelaySeconds) throw new Unsupported('unsupported: DelaySeconds in a mocked response');
    if (p.ActionType === 'InvokeLambdaFunction') effect = { kind: 'external', loadedData: JSON.parse(result.LoadedData ?? '{}') };
    else if (p.ActionType === 'CheckHoursOfOperation' && (result.Value === 'InHours' || result.Value === 'OutOfHours'))
      effect = { kind: 'hours', open: result.Value === 'InHours' };
    else throw new Unsupported(`unsupported: a mocked response for ${p.ActionType}`);
  }
  return { actionType: p.ActionType, parameters: p.ActionParameters, effect };
}

function substitute(document: unknown, substitutions: Record<string, string>): Json {
  const text = JSON.stringify(document).replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Unsupported(`unsupported: no substitution for \${${key}}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text) as Json;
}

/** Assert: the documented operators, on the contact's data at the time (the same JSONPaths a flow reads). */
function assertHolds(contact: Contact | undefined, parameters: Json): string | undefined {
  const actual = contact?.resolve(parameters.Namespace);
  const operand = String(parameters.Operand);
  const ok = (() => {
    if (actual === undefined) return false;
    switch (parameters.Operator) {
      case 'Equals':
        return actual === operand;
      case 'TextStartsWith':
        return actual.startsWith(operand);
      case 'TextEndsWith':
        return actual.endsWith(operand);
      case 'TextContains':
        return actual.includes(operand);
      case 'NumberGreaterThan':
        return Number(actual) > Number(operand);
      case 'NumberGreaterOrEqualTo':
        return Number(actual) >= Number(operand);
      case 'NumberLessThan':
        return Number(actual) < Number(operand);
      case 'NumberLessOrEqualTo':
        return Number(actual) <= Number(operand);
      default:
        throw new Unsupported(`unsupported: operator ${parameters.Operator}`);
    }
  })();
  return ok
    ? undefined
    : `${parameters.Namespace} ${parameters.Operator} ${operand}: found ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`;
}

/** The actions of an observation in NextAction order, starting from the one no other action points to. */
function actionChain(actions: Json[]): Json[] {
  const pointed = new Set(actions.map((a) => a.Transitions?.NextAction).filter(Boolean));
  const byId = new Map(actions.map((a) => [a.Identifier, a]));
  const chain: Json[] = [];
  for (let a = actions.find((x) => !pointed.has(x.Identifier)); a && !chain.includes(a); a = byId.get(a.Transitions?.NextAction))
    chain.push(a);
  // Actions outside the chain still run, in document order (the pages do not say otherwise).
  for (const a of actions) if (!chain.includes(a)) chain.push(a);
  return chain;
}

export async function runTestCase(raw: unknown, env: TestCaseEnvironment): Promise<TestCaseResult> {
  const problems = testCaseProblems(raw);
  if (problems.length > 0)
    return { passed: false, observations: [], failure: problems.map((p) => `${p.path}: ${p.message}`).join('; '), log: [] };
  const log: string[] = [];
  let document: Json;
  try {
    document = substitute(raw, env.substitutions);
  } catch (error) {
    return { passed: false, observations: [], failure: (error as Error).message, log };
  }
  const observations: Json[] = document.Observations;
  const pointedTo = new Set(observations.flatMap((o) => o.Transitions?.NextObservations ?? []));
  const active = new Set<string>(observations.filter((o) => !pointedTo.has(o.Identifier)).map((o) => o.Identifier));
  const reached = new Set(active);
  const results = new Map<string, ObservationResult>();
  const overrides: Array<{ actionType: string; parameters: Json; effect: BlockOverride }> = [];
  const events: ObservedEvent[] = [];
  const inputs: Array<() => Promise<unknown>> = [];
  let contact: Contact | undefined;
  let ended = false;
  let failure: string | undefined;

  const stop = env.calls.observe({
    actionStarted: (c, actionType, parameters) => {
      contact ??= c;
      if (c === contact) events.push({ type: 'FlowActionStarted', actionType, parameters });
    },
    messagePlayed: (c, prompt) => {
      contact ??= c;
      if (c !== contact) return;
      events.push({ type: 'MessageReceived', text: prompt.text, ssml: prompt.ssml });
      // Security rule 2 (docs/design.md): the readout of a temporary password never reaches a log.
      log.push(isPasswordReadout(prompt.ssml) ? 'heard: [a temporary password, not logged]' : `heard: ${prompt.text}`);
    },
    override: (c, actionType, parameters) => {
      if (c !== contact) return undefined;
      // Single use, first in first out, per resource (admin guide, override system behavior).
      const i = overrides.findIndex((o) => o.actionType === actionType && sameIdentity(o.parameters, parameters));
      if (i < 0) return undefined;
      const [found] = overrides.splice(i, 1);
      log.push(`override used: ${actionType}`);
      return found!.effect;
    },
  });

  const runActions = async (observation: Json): Promise<string | undefined> => {
    for (const action of actionChain(observation.Actions)) {
      const p = action.Parameters;
      if (action.Type === 'OverrideSystemBehavior') overrides.push(overrideOf(p.Behavior));
      else if (action.Type === 'Assert') {
        const wrong = assertHolds(contact, p);
        if (wrong) return `assertion ${action.Identifier} failed: ${wrong}`;
      } else if (action.Type === 'TestControl') {
        if (p.Command.Type === 'EndTest') {
          ended = true;
          return undefined;
        }
        for (const [label, path] of Object.entries(p.Command.Properties.Expressions as Record<string, string>))
          log.push(`${label}: ${contact?.resolve(path) ?? '(nothing)'}`);
      } else if (action.Type === 'SendInstruction') {
        const instruction = p.Instruction;
        inputs.push(async () => {
          if (!contact) throw new Unsupported('unsupported: input before the call started');
          if (instruction.Type === 'Disconnect') return env.calls.hangUp(contact.contactId);
          if (instruction.Type === 'DtmfInput') {
            let value = String(instruction.Properties.Value);
            const hook = /^\{\{(code|not-code):([^}]+)\}\}(#?)$/.exec(value);
            if (hook) {
              if (!env.latestCode) throw new Unsupported(`unsupported: {{${hook[1]}:…}} outside the twin`);
              const code = await env.latestCode(hook[2]!);
              // not-code: a code that is certainly wrong (the same digits shifted by one).
              const keyed = hook[1] === 'code' ? code : code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
              value = `${keyed}${hook[3]}`;
            }
            return env.calls.input(contact.contactId, { dtmf: value });
          }
          const props = instruction.Properties;
          return env.calls.input(contact.contactId, { text: props.Text ?? props.Value ?? props.SSML });
        });
      }
    }
    return undefined;
  };

  /** Matches the queued events, in order, against the active observations. */
  const drain = async (): Promise<void> => {
    while (events.length > 0 && !failure && !ended) {
      const event = events.shift()!;
      const observation = observations.find((o) => active.has(o.Identifier) && eventMatches(o.Event, event));
      if (!observation) continue;
      active.delete(observation.Identifier);
      log.push(`matched ${observation.Identifier}`);
      const wrong = await runActions(observation);
      results.set(observation.Identifier, {
        identifier: observation.Identifier,
        status: wrong ? 'FAILED' : 'PASSED',
        ...(wrong && { message: wrong }),
      });
      if (wrong) failure = wrong;
      for (const next of observation.Transitions?.NextObservations ?? []) {
        active.add(next);
        reached.add(next);
      }
    }
  };

  try {
    events.push({ type: 'TestInitiated' });
    await drain();
    if (!ended && !failure) {
      const call = await env.calls.startCall({ from: env.from ?? '+15555550199' });
      let ongoing = !call.ended;
      let silences = 0;
      while (!failure && !ended) {
        await drain();
        if (failure || ended) break;
        const next = inputs.shift();
        if (next) {
          silences = 0;
          const snapshot = (await next()) as { ended?: boolean } | undefined;
          ongoing = !snapshot?.ended;
          continue;
        }
        if (!ongoing) break;
        // Nobody answers: the block waiting for input times out, as on a real call (silence).
        if (++silences > MAX_SILENCES) {
          failure = `the flow waited for the caller ${MAX_SILENCES} times and no matched observation answered (Connect stops a test at 5 minutes)`;
          break;
        }
        log.push('silence');
        const snapshot = await env.calls.input(contact!.contactId, { text: '' });
        ongoing = !snapshot.ended;
      }
      if (contact && !contact.ended) await env.calls.hangUp(contact.contactId);
    }
    ended = false;
    events.push({ type: 'TestCompleted' });
    await drain();
  } catch (error) {
    failure = error instanceof Unsupported ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    stop();
  }

  for (const o of observations) {
    if (results.has(o.Identifier)) continue;
    // Active and never matched: Connect fails it when the test ends; never activated: a branch not taken.
    results.set(
      o.Identifier,
      reached.has(o.Identifier)
        ? { identifier: o.Identifier, status: 'FAILED', message: 'never observed' }
        : { identifier: o.Identifier, status: 'NOT_REACHED' },
    );
  }
  const ordered = observations.map((o) => results.get(o.Identifier)!);
  const passed = !failure && ordered.every((r) => r.status !== 'FAILED');
  return { passed, observations: ordered, ...(failure && { failure }), log };
}
