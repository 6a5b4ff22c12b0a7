/**
 * Who acted in a reset: the caller, through the IVR, or an agent, on the caller's behalf (issue #20).
 * The workflows take optional `actor` and `agentId` inputs; the IVR sends neither (a caller). An agent's
 * identity is the principal the agent API runs for (on AWS an IAM principal or a Connect user ID), so it
 * is a bounded token, never free text: it goes into the hash-chained audit record and its events.
 *
 * Plain TypeScript, shared by prepare-reset (the start), validate-actor (the verify) and the audit appender.
 */

export type Actor = 'caller' | 'agent';
export const ACTORS: readonly Actor[] = ['caller', 'agent'];

/** The `agentId` of a caller's record. */
export const CALLER_AGENT_ID = '-';
/**
 * The `agentId` of a record whose input claimed an actor that is not valid (its `actor` is then `agent`):
 * outside the identity's characters, so it can never be a real agent's, and never taken for a caller.
 */
export const UNVERIFIED_AGENT_ID = '?';
/** An agent's identity: 1–128 of these characters (IAM principals, ARNs, Connect user IDs), and not "-". */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9._@:/+=-]{1,128}$/;

export interface ActorIdentity {
  actor: Actor;
  agentId: string;
}

export const CALLER: ActorIdentity = { actor: 'caller', agentId: CALLER_AGENT_ID };
/** What an input with an invalid actor claim is recorded as: refused as invalid input, never as a caller. */
export const UNVERIFIED_AGENT: ActorIdentity = { actor: 'agent', agentId: UNVERIFIED_AGENT_ID };

export function isAgentId(value: unknown): value is string {
  return typeof value === 'string' && value !== CALLER_AGENT_ID && AGENT_ID_PATTERN.test(value);
}

/**
 * The actor of a workflow input:
 * - neither field, or `actor: 'caller'` with no `agentId` (or "-"): the caller;
 * - `actor: 'agent'` with a valid `agentId`: that agent;
 * - anything else (an unknown actor, an agent without a valid identity, a caller with an agent's
 *   identity): not valid, recorded as UNVERIFIED_AGENT.
 */
export function parseActor(input: { actor?: unknown; agentId?: unknown }): ActorIdentity & { valid: boolean } {
  const { actor, agentId } = input;
  if ((actor === undefined || actor === 'caller') && (agentId === undefined || agentId === CALLER_AGENT_ID))
    return { valid: true, ...CALLER };
  if (actor === 'agent' && isAgentId(agentId)) return { valid: true, actor: 'agent', agentId };
  return { valid: false, ...UNVERIFIED_AGENT };
}
