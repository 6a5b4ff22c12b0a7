/**
 * Offline validation of a contact flow (`npm run flow:check`, and the twin before it runs a flow):
 * the JSON shape, every transition target present, nothing unreachable, every `$.` reference well
 * formed, every action checked against the JSON Schema of its Type (flow-action-schemas.ts, built
 * from the AWS flow language reference), and, for the twin, every action type one its runner can
 * run. Each problem names the action Identifier, where inside the action (a JSON path such as
 * `Transitions.Errors[1].ErrorType`) and the reason.
 */
import Ajv, { type ErrorObject, type JSONType, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { ACTION_SCHEMAS, MAX_ACTIONS, REFERENCE, type ActionSchema, type FlowChannel } from './flow-action-schemas';
import { RUNNER_ACTION_TYPES, isWellFormedReference, references, type ContactFlow, type FlowAction } from './flow-language';

export interface FlowProblem {
  identifier: string;
  /** Where inside the action (or the flow, for `(flow)`): `Parameters.InvocationTimeLimitSeconds`. Absent when it is the whole action. */
  path?: string;
  reason: string;
}

export interface FlowValidationOptions {
  /**
   * The channel the flow serves. Some parameters are supported on one channel only (SSML and
   * PromptId on voice, LexInitializationData on chat): on another they are errors. Default VOICE,
   * the channel of the project's flows.
   */
  channel?: FlowChannel;
  /** An action type without a schema is a warning instead of an error (`flow:check --allow-unknown`). */
  allowUnknownTypes?: boolean;
  /** Refuse action types the twin's runner cannot run (RUNNER_ACTION_TYPES). Default true: the twin loads flows through this. */
  requireRunnable?: boolean;
}

export interface FlowReport {
  errors: FlowProblem[];
  warnings: FlowProblem[];
}

/** The errors in a flow: empty when it is valid. */
export function validateFlow(input: unknown, options: FlowValidationOptions = {}): FlowProblem[] {
  return checkFlow(input, options).errors;
}

/** `<Identifier> <path>: <reason>`, or `<Identifier>: <reason>` for the whole action. */
export function describeProblem(problem: FlowProblem): string {
  return `${problem.identifier}${problem.path ? ` ${problem.path}` : ''}: ${problem.reason}`;
}

/** The errors and warnings in a flow. */
export function checkFlow(input: unknown, options: FlowValidationOptions = {}): FlowReport {
  const channel = options.channel ?? 'VOICE';
  const problems: FlowProblem[] = [];
  const warnings: FlowProblem[] = [];
  const flow = input as Partial<ContactFlow>;
  if (!flow || typeof flow !== 'object' || Array.isArray(flow))
    return { errors: [{ identifier: '(flow)', reason: 'not a JSON object' }], warnings };
  // https://docs.aws.amazon.com/connect/latest/APIReference/flow-language-example.html: these four fields and no others.
  for (const key of Object.keys(flow))
    if (!['Version', 'StartAction', 'Metadata', 'Actions'].includes(key))
      problems.push({
        identifier: '(flow)',
        path: key,
        reason: `unknown property ${key} (a flow has Version, StartAction, Metadata, Actions)`,
      });
  if (flow.Version !== '2019-10-30')
    problems.push({ identifier: '(flow)', reason: `Version must be "2019-10-30", got ${JSON.stringify(flow.Version)}` });
  if (flow.Metadata !== undefined && (!flow.Metadata || typeof flow.Metadata !== 'object' || Array.isArray(flow.Metadata)))
    problems.push({ identifier: '(flow)', path: 'Metadata', reason: 'must be an object' });
  if (!Array.isArray(flow.Actions) || flow.Actions.length === 0)
    return { errors: [...problems, { identifier: '(flow)', reason: 'Actions must be a non-empty array' }], warnings };
  if (flow.Actions.length > MAX_ACTIONS)
    problems.push({
      identifier: '(flow)',
      path: 'Actions',
      reason: `a flow may have no more than ${MAX_ACTIONS} actions, got ${flow.Actions.length}`,
    });
  if (typeof flow.StartAction !== 'string') problems.push({ identifier: '(flow)', reason: 'StartAction is missing' });

  const ids = new Map<string, FlowAction>();
  for (const [index, action] of flow.Actions.entries()) {
    const id = typeof action?.Identifier === 'string' && action.Identifier ? action.Identifier : `(action #${index})`;
    if (id.startsWith('(action')) problems.push({ identifier: id, reason: 'Identifier is missing' });
    else if (ids.has(id)) problems.push({ identifier: id, reason: 'duplicate Identifier' });
    ids.set(id, action);
    const wellFormed = checkShape(id, action, problems);
    if (typeof action?.Type === 'string') {
      if (options.requireRunnable !== false && !(RUNNER_ACTION_TYPES as readonly string[]).includes(action.Type))
        problems.push({ identifier: id, reason: `action type ${action.Type} is not supported by the runner` });
      if (!Object.hasOwn(ACTION_SCHEMAS, action.Type))
        (options.allowUnknownTypes ? warnings : problems).push({
          identifier: id,
          path: 'Type',
          reason: `action type ${action.Type} has no schema${suggestion(action.Type, Object.keys(ACTION_SCHEMAS))}`,
        });
      else if (wellFormed) problems.push(...schemaProblems(id, action, channel));
    }
    for (const ref of references(action?.Parameters ?? {})) {
      if (!isWellFormedReference(ref)) problems.push({ identifier: id, reason: `malformed reference ${ref}` });
    }
  }
  if (typeof flow.StartAction === 'string' && !ids.has(flow.StartAction))
    problems.push({ identifier: '(flow)', reason: `StartAction ${flow.StartAction} does not exist` });

  const targets = (a: FlowAction) =>
    [
      a.Transitions?.NextAction,
      ...arrayOf(a.Transitions?.Conditions).map((c) => c?.NextAction),
      ...arrayOf(a.Transitions?.Errors).map((e) => e?.NextAction),
    ].filter((t): t is string => typeof t === 'string');
  for (const [id, action] of ids) {
    for (const target of targets(action))
      if (!ids.has(target)) problems.push({ identifier: id, reason: `transition to missing action ${target}` });
  }

  const reachable = new Set<string>();
  const queue = typeof flow.StartAction === 'string' ? [flow.StartAction] : [];
  while (queue.length) {
    const id = queue.pop()!;
    if (reachable.has(id) || !ids.has(id)) continue;
    reachable.add(id);
    queue.push(...targets(ids.get(id)!));
  }
  for (const id of ids.keys()) if (!reachable.has(id)) problems.push({ identifier: id, reason: 'unreachable from StartAction' });
  return { errors: problems, warnings };
}

/** The envelope every action needs before its schema can say anything useful; false when it is broken. */
function checkShape(id: string, action: FlowAction | undefined, problems: FlowProblem[]): boolean {
  let ok = true;
  if (typeof action?.Type !== 'string') {
    problems.push({ identifier: id, reason: 'Type is missing' });
    ok = false;
  }
  if (!action?.Parameters || typeof action.Parameters !== 'object') {
    problems.push({ identifier: id, reason: 'Parameters must be an object' });
    ok = false;
  }
  if (!action?.Transitions || typeof action.Transitions !== 'object') {
    problems.push({ identifier: id, reason: 'Transitions must be an object' });
    ok = false;
  }
  return ok;
}

const arrayOf = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** The value at `path` inside `value`, or undefined. */
const get = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);

// ---------------------------------------------------------------------------------------------
// Schema validation: one ajv instance per channel (the x-channels keyword depends on it), each
// schema compiled once, on first use.
// ---------------------------------------------------------------------------------------------

const validators = new Map<FlowChannel, { ajv: Ajv; compiled: Map<string, ValidateFunction> }>();

function schemaProblems(identifier: string, action: FlowAction, channel: FlowChannel): FlowProblem[] {
  let entry = validators.get(channel);
  if (!entry) {
    entry = { ajv: createAjv(channel), compiled: new Map() };
    validators.set(channel, entry);
  }
  let validate = entry.compiled.get(action.Type);
  if (!validate) {
    validate = entry.ajv.compile(ACTION_SCHEMAS[action.Type] as ActionSchema);
    entry.compiled.set(action.Type, validate);
  }
  const type = action.Type;
  if (validate(action)) return [];
  const seen = new Set<string>();
  const problems: FlowProblem[] = [];
  for (const error of validate.errors ?? []) {
    // An if/then failure is reported by the keyword that failed inside `then`; a propertyNames
    // failure by the keyword that failed on the name.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const problem = toProblem(identifier, type, error);
    const key = `${problem.path}\u0000${problem.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  // In document order of the action, whatever order ajv evaluated the keywords in.
  return problems.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '', 'en', { numeric: true }));
}

function createAjv(channel: FlowChannel): Ajv {
  // strictSchema: a misspelt keyword in a schema is an error, not a silently ignored annotation.
  const ajv = new Ajv({ allErrors: true, verbose: true, strictSchema: true, strictTypes: false, strictTuples: false });
  ajv.addVocabulary(['x-reason']);
  const keyword = <S>(
    name: string,
    schemaType: JSONType | JSONType[],
    validate: (schema: S, data: unknown, path: string) => Partial<ErrorObject>[],
  ) => {
    const fn: SchemaValidateFunction = (schema, data, _parent, cxt) => {
      const errors = validate(schema as S, data, cxt?.instancePath ?? '').map((e) => ({ keyword: name, params: {}, ...e }));
      fn.errors = errors;
      return errors.length === 0;
    };
    ajv.addKeyword({ keyword: name, schemaType, errors: true, validate: fn });
  };
  const has = (data: unknown, key: string) => !!data && typeof data === 'object' && Object.hasOwn(data, key);
  const at = (path: string, ...segments: Array<string | number>) =>
    path + segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

  keyword('x-integer', 'object', (spec: { minimum: number; maximum?: number; reference?: boolean }, data) => {
    if (typeof data !== 'string') return [];
    if (spec.reference && new RegExp(`^(?:${REFERENCE})$`).test(data)) return [];
    const n = /^(0|[1-9][0-9]*)$/.test(data) ? Number(data) : Number.NaN;
    if (!Number.isNaN(n) && n >= spec.minimum && (spec.maximum === undefined || n <= spec.maximum)) return [];
    const range = spec.maximum === undefined ? `${spec.minimum} or more` : `from ${spec.minimum} to ${spec.maximum}`;
    return [
      {
        message: `must be a whole number ${range}, written as a string${spec.reference ? ', or a single $. reference' : ''}; got ${show(data)}`,
      },
    ];
  });
  keyword('x-atMostOneOf', 'array', (groups: string[][], data, path) =>
    groups.flatMap((group) => {
      const set = group.filter((key) => has(data, key));
      return set.length > 1
        ? [
            {
              instancePath: at(path, set[1]!),
              message: `only one of these properties may be defined: [${set.join(', ')}] (one of ${group.join(', ')})`,
            },
          ]
        : [];
    }),
  );
  keyword('x-atLeastOneOf', 'array', (groups: string[][], data) =>
    groups.flatMap((group) =>
      group.some((key) => has(data, key)) ? [] : [{ message: `At least one of [${group.join(', ')}] must be set` }],
    ),
  );
  keyword('x-forbidden', 'object', (forbidden: Record<string, string>, data, path) =>
    Object.entries(forbidden).flatMap(([key, reason]) => (has(data, key) ? [{ instancePath: at(path, key), message: reason }] : [])),
  );
  keyword('x-channels', ['array', 'object'], (spec: FlowChannel[] | { channels: FlowChannel[]; reason: string }, data, path) => {
    const allowed = Array.isArray(spec) ? spec : spec.channels;
    if (allowed.includes(channel)) return [];
    const what = path ? path.split('/').at(-1) : String(get(data, 'Type'));
    const reason = Array.isArray(spec)
      ? `${what} is only supported on the ${allowed.join(' or ')} channel; this flow is checked as {channel}`
      : spec.reason;
    return [{ message: reason.replace('{channel}', channel) }];
  });
  keyword('x-requiredErrors', 'array', (required: string[], data, path) => {
    const declared = list(get(data, 'Errors')).map((e) => get(e, 'ErrorType'));
    const where = Array.isArray(get(data, 'Errors')) ? at(path, 'Errors') : path;
    return required
      .filter((type) => !declared.includes(type))
      .map((type) => ({ instancePath: where, message: `must declare the error ${type}` }));
  });
  keyword('x-requiredConditions', 'array', (operands: string[], data, path) => {
    const present = list(get(data, 'Conditions'))
      .filter((c) => get(c, 'Condition', 'Operator') === 'Equals')
      .flatMap((c) => list(get(c, 'Condition', 'Operands')));
    const where = Array.isArray(get(data, 'Conditions')) ? at(path, 'Conditions') : path;
    return operands
      .filter((operand) => !present.includes(operand))
      .map((operand) => ({ instancePath: where, message: `must have a condition Equals "${operand}"` }));
  });
  keyword('x-distinct', 'string', (itemPath: string, data, path) => {
    if (!Array.isArray(data)) return [];
    const segments = itemPath.split('/');
    const seen = new Set<string>();
    const errors: Partial<ErrorObject>[] = [];
    for (const [index, item] of data.entries()) {
      const value = get(item, ...segments);
      if (value === undefined) continue;
      const key = JSON.stringify(value);
      if (seen.has(key)) errors.push({ instancePath: at(path, index, ...segments), message: `${show(value)} is declared twice` });
      seen.add(key);
    }
    return errors;
  });
  return ajv;
}

/** A problem from an ajv error, with the JSON path and a reason a flow author can act on. */
function toProblem(identifier: string, type: string, error: ErrorObject): FlowProblem {
  // Inside propertyNames, ajv reports the object and names the offending key.
  let pointer = error.propertyName === undefined ? error.instancePath : `${error.instancePath}/${error.propertyName}`;
  const parent = (error.parentSchema ?? {}) as ActionSchema;
  const custom = typeof parent['x-reason'] === 'string' ? (parent['x-reason'] as string) : undefined;
  let reason: string;
  switch (error.keyword) {
    case 'required': {
      const name = String(error.params.missingProperty);
      pointer += `/${name}`;
      reason = custom ?? `${name} is required`;
      break;
    }
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty);
      pointer += `/${name}`;
      const known = Object.keys((parent.properties ?? {}) as object);
      const what = error.instancePath === '/Parameters' ? `parameter ${name} for ${type}` : `property ${name}`;
      reason = `unknown ${what}${suggestion(name, known)}`;
      break;
    }
    case 'type': {
      const data = error.data;
      const hint =
        error.params.type === 'string' && (typeof data === 'number' || typeof data === 'boolean')
          ? ' (the flow language writes numbers and booleans as strings)'
          : '';
      reason = `must be ${article(String(error.params.type))}, got ${show(data)}${hint}`;
      break;
    }
    case 'enum':
      reason = custom ?? `must be one of ${(error.params.allowedValues as unknown[]).map(show).join(', ')}, got ${show(error.data)}`;
      break;
    case 'const':
      reason = custom ?? `must be ${show(error.params.allowedValue)}, got ${show(error.data)}`;
      break;
    default:
      reason = error.keyword.startsWith('x-')
        ? (error.message ?? error.keyword)
        : (custom ?? `${error.message ?? error.keyword}, got ${show(error.data)}`);
  }
  reason = reason.replace(/\{value\}/g, () => show(error.data));
  const path = jsonPath(pointer);
  return path ? { identifier, path, reason } : { identifier, reason };
}

/** `/Transitions/Errors/1/ErrorType` → `Transitions.Errors[1].ErrorType`. */
export function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => {
      if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return path ? `${path}.${segment}` : segment;
      return `${path}[${JSON.stringify(segment)}]`;
    }, '');
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** ` (did you mean X?)` when a known name is a small edit away. */
function suggestion(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best && best !== name ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
