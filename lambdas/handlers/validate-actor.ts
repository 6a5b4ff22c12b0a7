/**
 * Step of `password-reset-verify`, only when the input names an agent: validates the agent's identity
 * (lambdas/domain/actor.ts), which ASL cannot (no pattern match, no length), before the session is read
 * or an attempt counted. The IVR sends no actor and never reaches it. Needs no AWS access.
 */
import type { Context } from 'aws-lambda';
import { parseActor, type ActorIdentity } from '../domain/actor';
import { instrumented, observability } from '../observability/instrumented-handler';

const tools = observability();

export interface ValidatedActor extends ActorIdentity {
  valid: boolean;
}

export const handler = instrumented(tools, async (event: unknown, _context: Context): Promise<ValidatedActor> => {
  const raw = (event && typeof event === 'object' ? event : {}) as { actor?: unknown; agentId?: unknown };
  const by = parseActor({ actor: raw.actor, agentId: raw.agentId });
  // Never the rejected value itself in the log: it is whatever the input held.
  if (!by.valid) tools.logger.warn('verify input rejected: the actor claim is not valid');
  return by;
});
