/**
 * Offline validation of a contact flow (`npm run flow:check`): the JSON shape, every action type
 * known to the twin's runner, every transition target present, nothing unreachable, every `$.`
 * reference well formed. Each problem names the action Identifier and the reason.
 */
import { RUNNER_ACTION_TYPES, isWellFormedReference, references, type ContactFlow, type FlowAction } from './flow-language';

export interface FlowProblem {
  identifier: string;
  reason: string;
}

export function validateFlow(input: unknown): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const flow = input as Partial<ContactFlow>;
  if (!flow || typeof flow !== 'object' || Array.isArray(flow)) return [{ identifier: '(flow)', reason: 'not a JSON object' }];
  if (flow.Version !== '2019-10-30')
    problems.push({ identifier: '(flow)', reason: `Version must be "2019-10-30", got ${JSON.stringify(flow.Version)}` });
  if (!Array.isArray(flow.Actions) || flow.Actions.length === 0)
    return [...problems, { identifier: '(flow)', reason: 'Actions must be a non-empty array' }];
  if (typeof flow.StartAction !== 'string') problems.push({ identifier: '(flow)', reason: 'StartAction is missing' });

  const ids = new Map<string, FlowAction>();
  for (const [index, action] of flow.Actions.entries()) {
    const id = typeof action?.Identifier === 'string' && action.Identifier ? action.Identifier : `(action #${index})`;
    if (id.startsWith('(action')) problems.push({ identifier: id, reason: 'Identifier is missing' });
    else if (ids.has(id)) problems.push({ identifier: id, reason: 'duplicate Identifier' });
    ids.set(id, action);
    if (typeof action?.Type !== 'string') problems.push({ identifier: id, reason: 'Type is missing' });
    else if (!(RUNNER_ACTION_TYPES as readonly string[]).includes(action.Type))
      problems.push({ identifier: id, reason: `action type ${action.Type} is not supported by the runner` });
    if (!action?.Parameters || typeof action.Parameters !== 'object')
      problems.push({ identifier: id, reason: 'Parameters must be an object' });
    if (!action?.Transitions || typeof action.Transitions !== 'object')
      problems.push({ identifier: id, reason: 'Transitions must be an object' });
    for (const ref of references(action?.Parameters ?? {})) {
      if (!isWellFormedReference(ref)) problems.push({ identifier: id, reason: `malformed reference ${ref}` });
    }
  }
  if (typeof flow.StartAction === 'string' && !ids.has(flow.StartAction))
    problems.push({ identifier: '(flow)', reason: `StartAction ${flow.StartAction} does not exist` });

  const targets = (a: FlowAction) =>
    [
      a.Transitions?.NextAction,
      ...(a.Transitions?.Conditions ?? []).map((c) => c.NextAction),
      ...(a.Transitions?.Errors ?? []).map((e) => e.NextAction),
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
  return problems;
}
