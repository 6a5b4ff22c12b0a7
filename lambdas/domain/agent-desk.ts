/**
 * The agent desk's rules (issue #20), one implementation for both runtimes: on AWS the agent API Lambda
 * (lambdas/handlers/agent-api.ts) calls it with Amazon Connect and Step Functions behind its ports; the
 * twin's agent API invokes that same Lambda against its own Connect and Step Functions endpoints.
 *
 * - startVerification: the contact must be connected to the calling agent (403 otherwise) and carry an
 *   employee ID the caller confirmed in the IVR (its allow-listed context). It runs password-reset-start
 *   with `action: 'VERIFY'`, `actor: 'agent'` and the agent's identity, and answers the start's status
 *   only (CODE_SENT for every employee, known or not: never a code). The session ID is kept on the
 *   contact (`deskSessionId`), where the readout flow finds it.
 * - checkCode: the same contact check, and a verification started on it; runs password-reset-verify and
 *   answers `{status, attemptsLeft?}`. The code is never echoed or kept. VERIFIED is noted on the
 *   contact (`deskVerifiedBy`: the agent).
 * - requestReadout: after that agent's VERIFIED, notes what the caller's readout does (`deskReadout`:
 *   RESET or UNLOCK, `deskReadoutBy`). Nothing happens yet: when the agent leaves the call, Connect moves
 *   the caller to the readout flow (the contact's disconnect flow, set before the transfer), which runs
 *   password-reset-verify's readout form. The workflow, not these notes, is the authority: it acts only
 *   for a VERIFY session this agent completed on this contact, once (state-machines/password-reset-verify.asl.json).
 *   So the agent never sees a code or a password: the password is spoken to the caller alone.
 *
 * Plain TypeScript, no AWS import: the ports are the adapters.
 */
import { respondBy } from './deadline';
import type { AgentReadoutAction, StartResetInput, StartStatus, VerifyCodeInput, VerifyStatus } from './reset-session';
import { AGENT_READOUT_ACTIONS, START_STATUSES } from './reset-session';
import { CODE_PATTERN } from './verification-code';
import { shownAgentContext, type ShownAgentContext } from './shown-agent-context';
import { isAgentId } from './actor';

/** The contact attributes the desk writes (never shown to the agent: not in the agent* allow-list). */
export const DESK_ATTRIBUTES = {
  sessionId: 'deskSessionId',
  verifiedBy: 'deskVerifiedBy',
  readout: 'deskReadout',
  readoutBy: 'deskReadoutBy',
} as const;

/** What an agent is told of a code check: the workflow's answers an agent can get (never a password). */
export type AgentVerifyStatus = Extract<VerifyStatus, 'VERIFIED' | 'INVALID' | 'LOCKED' | 'EXPIRED' | 'UNAVAILABLE'>;
export const AGENT_VERIFY_STATUSES: readonly AgentVerifyStatus[] = ['VERIFIED', 'INVALID', 'LOCKED', 'EXPIRED', 'UNAVAILABLE'];

/** How long the desk waits for a code check (its `respondBy`). Nothing irreversible follows a VERIFY. */
export const AGENT_WORKFLOW_WAIT_MS = 20_000;

/** A refusal, with the HTTP status the API answers and a reason that names no secret. */
export class AgentDeskError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'AgentDeskError';
  }
}

export const REFUSALS = {
  noActiveContact: 'no active contact for that employee with this agent',
  unknownContact: 'no such contact waiting for or connected to an agent',
  otherAgent: 'the contact is connected to another agent',
  notConnected: 'the contact is not connected to this agent',
  noConfirmedId: 'the caller has not confirmed an employee ID',
  noVerification: 'no verification was started for this contact',
  notVerified: 'this agent has not verified the caller on this contact',
  badAgentId: '"agentId" must be an agent identity: 1–128 of A-Z a-z 0-9 . _ @ : / + = -',
  badCode: '"code" must be the 6 digits the caller reads out',
  badAction: '"action" must be RESET or UNLOCK',
} as const;

/** The calling agent: the identity audited, and the Connect user a contact must be connected to. */
export interface DeskAgent {
  agentId: string;
  userId: string;
}

/** What the desk needs to know of a contact (Connect's DescribeContact and GetContactAttributes). */
export interface DeskContact {
  /** The Connect user the contact is connected to now; absent while it waits, or once the agent left. */
  connectedUserId?: string;
  /** Its user-defined attributes (all of them: only the allow-listed and the desk's are read). */
  attributes: Readonly<Record<string, string>>;
  /** The calling number (E.164, or "anonymous"). */
  callerNumber: string;
}

export interface AgentDeskPorts {
  /** The contact, or undefined when there is no such contact (or it has ended). */
  contact(contactId: string): Promise<DeskContact | undefined>;
  /** Sets attributes on the contact (Connect's UpdateContactAttributes). */
  updateAttributes(contactId: string, attributes: Record<string, string>): Promise<void>;
  /** Runs password-reset-start synchronously; throws when the execution did not succeed. */
  start(input: StartResetInput): Promise<unknown>;
  /** Runs password-reset-verify synchronously; throws when the execution did not succeed. */
  verify(input: VerifyCodeInput): Promise<unknown>;
  /** Wall-clock milliseconds (respondBy is compared with real time). */
  now(): number;
}

function fields(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The agent's identity as the twin's API takes it from a request body, or a 400. */
export function agentIdOf(body: unknown): string {
  const { agentId } = fields(body);
  if (!isAgentId(agentId)) throw new AgentDeskError(400, REFUSALS.badAgentId);
  return agentId;
}

/** The code from a request body, or a 400 (it is never echoed, even in the reason). */
export function codeOf(body: unknown): string {
  const { code } = fields(body);
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) throw new AgentDeskError(400, REFUSALS.badCode);
  return code;
}

/** The readout's action from a request body, or a 400. */
export function readoutActionOf(body: unknown): AgentReadoutAction {
  const { action } = fields(body);
  if (!AGENT_READOUT_ACTIONS.includes(action as AgentReadoutAction)) throw new AgentDeskError(400, REFUSALS.badAction);
  return action as AgentReadoutAction;
}

export class AgentDesk {
  constructor(private readonly ports: AgentDeskPorts) {}

  /** The contact connected to this agent, or a 403 (waiting, another agent's, ended, unknown: the same answer). */
  private async connected(contactId: string, agent: DeskAgent): Promise<DeskContact> {
    const contact = await this.ports.contact(contactId);
    if (!contact || contact.connectedUserId === undefined || contact.connectedUserId !== agent.userId)
      throw new AgentDeskError(403, REFUSALS.noActiveContact);
    return contact;
  }

  /** What the agent may know of the caller on this agent's contact (the allow-listed, checked context); 403 otherwise. */
  async context(contactId: string, agent: DeskAgent): Promise<{ contactId: string; context: ShownAgentContext }> {
    const contact = await this.connected(contactId, agent);
    return { contactId, context: shownAgentContext(contact.attributes) };
  }

  async startVerification(contactId: string, agent: DeskAgent): Promise<{ status: StartStatus }> {
    const contact = await this.connected(contactId, agent);
    const context = shownAgentContext(contact.attributes);
    if (!context.employeeId) throw new AgentDeskError(403, REFUSALS.noConfirmedId);
    const input: StartResetInput = {
      contactId,
      employeeId: context.employeeId,
      callerNumber: contact.callerNumber,
      locale: context.locale ?? 'en-US',
      action: 'VERIFY',
      actor: 'agent',
      agentId: agent.agentId,
    };
    let out: { status?: unknown; sessionId?: unknown };
    try {
      out = ((await this.ports.start(input)) ?? {}) as typeof out;
    } catch {
      return { status: 'UNAVAILABLE' };
    }
    const status = START_STATUSES.includes(out.status as StartStatus) ? (out.status as StartStatus) : 'UNAVAILABLE';
    // A new verification replaces the previous one (the start voids the employee's older sessions), and
    // so does whatever the previous one allowed.
    await this.ports.updateAttributes(contactId, {
      [DESK_ATTRIBUTES.sessionId]: status === 'CODE_SENT' && typeof out.sessionId === 'string' ? out.sessionId : '',
      [DESK_ATTRIBUTES.verifiedBy]: '',
      [DESK_ATTRIBUTES.readout]: '',
      [DESK_ATTRIBUTES.readoutBy]: '',
    });
    return { status };
  }

  async checkCode(contactId: string, agent: DeskAgent, code: string): Promise<{ status: AgentVerifyStatus; attemptsLeft?: number }> {
    const contact = await this.connected(contactId, agent);
    const sessionId = contact.attributes[DESK_ATTRIBUTES.sessionId];
    if (!sessionId) throw new AgentDeskError(403, REFUSALS.noVerification);
    const input: VerifyCodeInput = {
      sessionId,
      code,
      contactId,
      actor: 'agent',
      agentId: agent.agentId,
      respondBy: respondBy(AGENT_WORKFLOW_WAIT_MS, 0, this.ports.now()),
    };
    let out: { status?: unknown; attemptsLeft?: unknown };
    try {
      out = ((await this.ports.verify(input)) ?? {}) as typeof out;
    } catch {
      return { status: 'UNAVAILABLE' };
    }
    // A VERIFY session answers only these; anything else (never expected) is not passed on.
    const status = AGENT_VERIFY_STATUSES.includes(out.status as AgentVerifyStatus) ? (out.status as AgentVerifyStatus) : 'UNAVAILABLE';
    if (status === 'VERIFIED') await this.ports.updateAttributes(contactId, { [DESK_ATTRIBUTES.verifiedBy]: agent.agentId });
    if (status === 'INVALID' && typeof out.attemptsLeft === 'number') return { status, attemptsLeft: out.attemptsLeft };
    return { status };
  }

  /**
   * After this agent verified the caller on this contact: the caller's readout (when the agent leaves
   * the call) will reset the password or unlock the account. Asking again changes the action.
   */
  async requestReadout(
    contactId: string,
    agent: DeskAgent,
    action: AgentReadoutAction,
  ): Promise<{ status: 'READOUT_READY'; action: AgentReadoutAction }> {
    const contact = await this.connected(contactId, agent);
    if (!contact.attributes[DESK_ATTRIBUTES.sessionId] || contact.attributes[DESK_ATTRIBUTES.verifiedBy] !== agent.agentId)
      throw new AgentDeskError(403, REFUSALS.notVerified);
    await this.ports.updateAttributes(contactId, { [DESK_ATTRIBUTES.readout]: action, [DESK_ATTRIBUTES.readoutBy]: agent.agentId });
    return { status: 'READOUT_READY', action };
  }
}
