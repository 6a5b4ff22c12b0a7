/**
 * The twin's agent desk (issue #20): an agent accepts a waiting caller (the contact is then CONNECTED to
 * that agent), verifies the caller by a one-time code sent to the employee's recovery channel, through the
 * same workflows the IVR uses, as `actor: 'agent'` with the agent's identity (audited, in the events, on
 * the employee's shared failure budget), and ends the call.
 *
 * - accept: a WAITING contact becomes CONNECTED to the agent (the same agent again: no change); 409 when it
 *   is another agent's, 404 when there is no such contact. end: only the connected agent (403 otherwise).
 * - startVerification: the contact must be CONNECTED to the calling agent, with an employee ID the caller
 *   confirmed in the IVR (its allow-listed context); otherwise it is refused (403). It runs
 *   password-reset-start with `action: 'VERIFY'` and answers the start's status only (CODE_SENT for every
 *   employee, known or not: the same answer, never a code). The session ID stays here, keyed by contact.
 * - checkCode: the contact must still be connected to the calling agent and have a verification an agent
 *   started (403 otherwise);
 *   runs password-reset-verify and answers `{status, attemptsLeft?}`. The code is never echoed or kept.
 *
 * The HTTP layer (local/http/agent-api.ts) only maps these to routes; the workflows are called through
 * `run`, the twin's Step Functions endpoint (StartSyncExecution), as any other caller of them.
 */
import { parseActor } from '../../lambdas/domain/actor';
import { respondBy } from '../../lambdas/domain/deadline';
import type { StartResetInput, StartStatus, VerifyCodeInput, VerifyStatus } from '../../lambdas/domain/reset-session';
import { START_STATUSES } from '../../lambdas/domain/reset-session';
import { CODE_PATTERN } from '../../lambdas/domain/verification-code';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../../state-machines/state-machine-catalogue';
import type { AgentActionOutcome, AgentContact } from './agent-queue';
import { queuedContactContext } from './queued-contact-context';

/** What an agent is told of a code check: the workflow's answers an agent can get (never a password). */
export type AgentVerifyStatus = Extract<VerifyStatus, 'VERIFIED' | 'INVALID' | 'LOCKED' | 'EXPIRED' | 'UNAVAILABLE'>;
export const AGENT_VERIFY_STATUSES: readonly AgentVerifyStatus[] = ['VERIFIED', 'INVALID', 'LOCKED', 'EXPIRED', 'UNAVAILABLE'];

/** How long the agent API waits for a workflow: its deadline (`respondBy`). Nothing irreversible follows a VERIFY. */
export const AGENT_WORKFLOW_WAIT_MS = 20_000;

/** A refusal, with the HTTP status the API answers and a reason that names no secret. */
export class AgentDeskError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export const REFUSALS = {
  noActiveContact: 'no active contact for that employee with this agent',
  unknownContact: 'no such contact waiting for or connected to an agent',
  otherAgent: 'the contact is connected to another agent',
  notConnected: 'the contact is not connected to this agent',
  noConfirmedId: 'the caller has not confirmed an employee ID',
  noVerification: 'no verification was started for this contact',
  badAgentId: '"agentId" must be an agent identity: 1–128 of A-Z a-z 0-9 . _ @ : / + = -',
  badCode: '"code" must be the 6 digits the caller reads out',
} as const;

export interface AgentDeskDeps {
  /** The contacts waiting in the agent queues or connected to an agent (CallCenter.agentContacts). */
  contacts: () => readonly AgentContact[];
  /** An agent takes a waiting contact (CallCenter.acceptContact). */
  accept: (contactId: string, agentId: string) => AgentActionOutcome;
  /** The connected agent ends a contact (CallCenter.endContact). */
  end: (contactId: string, agentId: string) => AgentActionOutcome;
  /** The calling number of a contact (E.164, or "anonymous"). */
  callerNumber: (contactId: string) => string;
  /** Runs a workflow synchronously and answers its output; throws when the execution did not succeed. */
  run: (workflow: string, input: unknown) => Promise<unknown>;
  /** Wall-clock milliseconds, for respondBy (the workflows compare it with real time). */
  now?: () => number;
}

interface Verification {
  sessionId: string;
  employeeId: string;
}

function fields(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The agent's identity from a request body, or a 400. */
export function agentIdOf(body: unknown): string {
  const by = parseActor({ actor: 'agent', agentId: fields(body).agentId });
  if (!by.valid) throw new AgentDeskError(400, REFUSALS.badAgentId);
  return by.agentId;
}

/** The code from a request body, or a 400 (it is never echoed, even in the reason). */
export function codeOf(body: unknown): string {
  const { code } = fields(body);
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) throw new AgentDeskError(400, REFUSALS.badCode);
  return code;
}

export class AgentDesk {
  /** Verifications started by an agent, by contact; dropped once the contact is gone. */
  private readonly verifications = new Map<string, Verification>();
  private readonly now: () => number;

  constructor(private readonly deps: AgentDeskDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The contact connected to this agent, or a 403; forgets the verifications of contacts that are gone. */
  private connected(contactId: string, agentId: string): AgentContact {
    const contacts = this.deps.contacts();
    const present = new Set(contacts.map((c) => c.contactId));
    for (const id of this.verifications.keys()) if (!present.has(id)) this.verifications.delete(id);
    const contact = contacts.find((c) => c.contactId === contactId);
    if (contact?.state !== 'CONNECTED' || contact.agentId !== agentId) throw new AgentDeskError(403, REFUSALS.noActiveContact);
    return contact;
  }

  /** The agent takes a waiting contact: CONNECTED to the agent; 409 another agent's, 404 unknown. */
  accept(contactId: string, body: unknown): { contactId: string; state: 'CONNECTED'; agentId: string } {
    const agentId = agentIdOf(body);
    const outcome = this.deps.accept(contactId, agentId);
    if (outcome === 'UNKNOWN') throw new AgentDeskError(404, REFUSALS.unknownContact);
    if (outcome === 'NOT_YOURS') throw new AgentDeskError(409, REFUSALS.otherAgent);
    return { contactId, state: 'CONNECTED', agentId };
  }

  /** The connected agent ends the contact (its verification is forgotten); 403 anyone else, 404 unknown. */
  end(contactId: string, body: unknown): { contactId: string; state: 'ENDED' } {
    const agentId = agentIdOf(body);
    const outcome = this.deps.end(contactId, agentId);
    if (outcome === 'UNKNOWN') throw new AgentDeskError(404, REFUSALS.unknownContact);
    if (outcome === 'NOT_YOURS') throw new AgentDeskError(403, REFUSALS.notConnected);
    this.verifications.delete(contactId);
    return { contactId, state: 'ENDED' };
  }

  async startVerification(contactId: string, body: unknown): Promise<{ status: StartStatus }> {
    const agentId = agentIdOf(body);
    const contact = this.connected(contactId, agentId);
    const context = queuedContactContext(contact.attributes);
    if (!context.employeeId) throw new AgentDeskError(403, REFUSALS.noConfirmedId);
    // A new verification replaces the previous one (the start voids the employee's older sessions).
    this.verifications.delete(contactId);
    const input: StartResetInput = {
      contactId,
      employeeId: context.employeeId,
      callerNumber: this.deps.callerNumber(contactId),
      locale: context.locale ?? 'en-US',
      action: 'VERIFY',
      actor: 'agent',
      agentId,
    };
    let out: { status?: unknown; sessionId?: unknown };
    try {
      out = (await this.deps.run(START_WORKFLOW, input)) as typeof out;
    } catch {
      return { status: 'UNAVAILABLE' };
    }
    const status = START_STATUSES.includes(out?.status as StartStatus) ? (out.status as StartStatus) : 'UNAVAILABLE';
    if (status === 'CODE_SENT' && typeof out.sessionId === 'string')
      this.verifications.set(contactId, { sessionId: out.sessionId, employeeId: context.employeeId });
    return { status };
  }

  async checkCode(contactId: string, body: unknown): Promise<{ status: AgentVerifyStatus; attemptsLeft?: number }> {
    const agentId = agentIdOf(body);
    const code = codeOf(body);
    this.connected(contactId, agentId);
    const verification = this.verifications.get(contactId);
    if (!verification) throw new AgentDeskError(403, REFUSALS.noVerification);
    const input: VerifyCodeInput = {
      sessionId: verification.sessionId,
      code,
      contactId,
      actor: 'agent',
      agentId,
      respondBy: respondBy(AGENT_WORKFLOW_WAIT_MS, 0, this.now()),
    };
    let out: { status?: unknown; attemptsLeft?: unknown };
    try {
      out = (await this.deps.run(VERIFY_WORKFLOW, input)) as typeof out;
    } catch {
      return { status: 'UNAVAILABLE' };
    }
    // A VERIFY session answers only these; anything else (never expected) is not passed on.
    const status = AGENT_VERIFY_STATUSES.includes(out?.status as AgentVerifyStatus) ? (out.status as AgentVerifyStatus) : 'UNAVAILABLE';
    if (status === 'INVALID' && typeof out.attemptsLeft === 'number') return { status, attemptsLeft: out.attemptsLeft };
    return { status };
  }
}
