/**
 * The twin's agent desk (issue #20): an agent verifies a waiting caller by a one-time code sent to the
 * employee's recovery channel, through the same workflows the IVR uses, as `actor: 'agent'` with the
 * agent's identity (audited, in the events, on the employee's shared failure budget).
 *
 * - startVerification: the contact must be WAITING in the twin's agent queue with an employee ID the caller
 *   confirmed in the IVR (its allow-listed context); otherwise it is refused (403). It runs
 *   password-reset-start with `action: 'VERIFY'` and answers the start's status only (CODE_SENT for every
 *   employee, known or not: the same answer, never a code). The session ID stays here, keyed by contact.
 * - checkCode: the contact must still be waiting and have a verification an agent started (403 otherwise);
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
import type { WaitingContact } from './agent-queue';
import { queuedContactContext } from './queued-contact-context';

/** What an agent is told of a code check: the workflow's answers an agent can get (never a password). */
export type AgentVerifyStatus = Extract<VerifyStatus, 'VERIFIED' | 'INVALID' | 'LOCKED' | 'EXPIRED' | 'UNAVAILABLE'>;
export const AGENT_VERIFY_STATUSES: readonly AgentVerifyStatus[] = ['VERIFIED', 'INVALID', 'LOCKED', 'EXPIRED', 'UNAVAILABLE'];

/** How long the agent API waits for a workflow: its deadline (`respondBy`). Nothing irreversible follows a VERIFY. */
export const AGENT_WORKFLOW_WAIT_MS = 20_000;

/** A refusal, with the HTTP status the API answers and a reason that names no secret. */
export class AgentDeskError extends Error {
  constructor(
    readonly status: 400 | 403,
    message: string,
  ) {
    super(message);
  }
}

export const REFUSALS = {
  noActiveContact: 'no active contact: the call is not waiting for an agent',
  noConfirmedId: 'the caller has not confirmed an employee ID',
  noVerification: 'no verification was started for this contact',
  badAgentId: '"agentId" must be an agent identity: 1–128 of A-Z a-z 0-9 . _ @ : / + = -',
  badCode: '"code" must be the 6 digits the caller reads out',
} as const;

export interface AgentDeskDeps {
  /** The calls waiting in the agent queues (CallCenter.waitingContacts). */
  waitingContacts: () => readonly WaitingContact[];
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
  /** Verifications started by an agent, by contact; dropped once the contact no longer waits. */
  private readonly verifications = new Map<string, Verification>();
  private readonly now: () => number;

  constructor(private readonly deps: AgentDeskDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The waiting contact, or a 403; forgets the verifications of contacts that left the queue. */
  private waiting(contactId: string): WaitingContact {
    const waiting = this.deps.waitingContacts();
    const present = new Set(waiting.map((c) => c.contactId));
    for (const id of this.verifications.keys()) if (!present.has(id)) this.verifications.delete(id);
    const contact = waiting.find((c) => c.contactId === contactId);
    if (!contact) throw new AgentDeskError(403, REFUSALS.noActiveContact);
    return contact;
  }

  async startVerification(contactId: string, body: unknown): Promise<{ status: StartStatus }> {
    const agentId = agentIdOf(body);
    const contact = this.waiting(contactId);
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
    this.waiting(contactId);
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
