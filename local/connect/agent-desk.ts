/**
 * The twin's agent desk (issue #20): what an agent's Contact Control Panel does (accept a waiting caller,
 * end the call) plus the agent desk's own actions, which are the product's shared rules
 * (lambdas/domain/agent-desk.ts: verify the caller by code, then ask for a reset or an unlock that the
 * caller hears from the desk once the agent leaves).
 *
 * - accept: a WAITING contact becomes CONNECTED to the agent (the same agent again: no change); 409 when it
 *   is another agent's, 404 when there is no such contact. end: only the connected agent (403 otherwise).
 *   Ending runs the contact's disconnect flow for the caller still on the line (CallCenter.endContact).
 * - startVerification / checkCode / requestReadout: the shared AgentDesk with the twin's ports: the
 *   contact as the call center has it (connected to the agent whose identity the request names: the twin
 *   has no sign-in, so an agent's Connect user is its agentId), its attributes, and the workflows run
 *   through the twin's Step Functions endpoint (StartSyncExecution), as any other caller runs them.
 *
 * The HTTP layer (local/http/agent-api.ts) only maps these to routes.
 */
import type { StartResetInput, VerifyCodeInput } from '../../lambdas/domain/reset-session';
import {
  AgentDesk as SharedAgentDesk,
  AgentDeskError,
  agentIdOf,
  codeOf,
  readoutActionOf,
  REFUSALS,
} from '../../lambdas/domain/agent-desk';
import type { AgentVerifyStatus, DeskContact } from '../../lambdas/domain/agent-desk';
import type { StartStatus } from '../../lambdas/domain/reset-session';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../../state-machines/state-machine-catalogue';
import type { AgentActionOutcome } from './agent-queue';

export { AgentDeskError, REFUSALS };

export interface AgentDeskDeps {
  /** An agent takes a waiting contact (CallCenter.acceptContact). */
  accept: (contactId: string, agentId: string) => AgentActionOutcome;
  /** The connected agent ends a contact (CallCenter.endContact). */
  end: (contactId: string, agentId: string) => AgentActionOutcome;
  /** The contact as the desk sees it (CallCenter.deskContact): undefined unless it is in an agent queue or connected. */
  contact: (contactId: string) => DeskContact | undefined;
  /** Sets attributes on the contact (CallCenter.updateContactAttributes), as Connect's UpdateContactAttributes. */
  updateAttributes: (contactId: string, attributes: Record<string, string>) => void;
  /** Runs a workflow synchronously and answers its output; throws when the execution did not succeed. */
  run: (workflow: string, input: unknown) => Promise<unknown>;
  /** Wall-clock milliseconds, for respondBy (the workflows compare it with real time). */
  now?: () => number;
}

export class AgentDesk {
  private readonly shared: SharedAgentDesk;

  constructor(private readonly deps: AgentDeskDeps) {
    this.shared = new SharedAgentDesk({
      contact: async (contactId) => deps.contact(contactId),
      updateAttributes: async (contactId, attributes) => deps.updateAttributes(contactId, attributes),
      start: (input: StartResetInput) => deps.run(START_WORKFLOW, input),
      verify: (input: VerifyCodeInput) => deps.run(VERIFY_WORKFLOW, input),
      now: deps.now ?? Date.now,
    });
  }

  /** The twin's agent: its identity, and (no sign-in here) its Connect user. */
  private agent(body: unknown) {
    const agentId = agentIdOf(body);
    return { agentId, userId: agentId };
  }

  /** The agent takes a waiting contact: CONNECTED to the agent; 409 another agent's, 404 unknown. */
  accept(contactId: string, body: unknown): { contactId: string; state: 'CONNECTED'; agentId: string } {
    const { agentId } = this.agent(body);
    const outcome = this.deps.accept(contactId, agentId);
    if (outcome === 'UNKNOWN') throw new AgentDeskError(404, REFUSALS.unknownContact);
    if (outcome === 'NOT_YOURS') throw new AgentDeskError(409, REFUSALS.otherAgent);
    return { contactId, state: 'CONNECTED', agentId };
  }

  /** The connected agent leaves the call (the caller goes on in the disconnect flow); 403 anyone else, 404 unknown. */
  end(contactId: string, body: unknown): { contactId: string; state: 'ENDED' } {
    const { agentId } = this.agent(body);
    const outcome = this.deps.end(contactId, agentId);
    if (outcome === 'UNKNOWN') throw new AgentDeskError(404, REFUSALS.unknownContact);
    if (outcome === 'NOT_YOURS') throw new AgentDeskError(403, REFUSALS.notConnected);
    return { contactId, state: 'ENDED' };
  }

  async startVerification(contactId: string, body: unknown): Promise<{ status: StartStatus }> {
    return this.shared.startVerification(contactId, this.agent(body));
  }

  async checkCode(contactId: string, body: unknown): Promise<{ status: AgentVerifyStatus; attemptsLeft?: number }> {
    const agent = this.agent(body);
    return this.shared.checkCode(contactId, agent, codeOf(body));
  }

  async requestReadout(contactId: string, body: unknown): Promise<{ status: 'READOUT_READY'; action: 'RESET' | 'UNLOCK' }> {
    const agent = this.agent(body);
    return this.shared.requestReadout(contactId, agent, readoutActionOf(body));
  }
}
