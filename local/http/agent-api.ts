/**
 * The agent side of the twin's HTTP API (issue #20):
 *   GET  /api/agent/contacts   → { contacts: [{ contactId, queue, enqueuedAt, waitingSeconds, state, agentId?, context }] },
 *                                  waiting (state WAITING) and connected (CONNECTED, with agentId) contacts, longest-queued first
 *   POST /api/agent/contacts/{contactId}/accept              {"agentId"}         → { contactId, state: CONNECTED, agentId } (409 another agent's, 404 unknown)
 *   POST /api/agent/contacts/{contactId}/end                 {"agentId"}         → { contactId, state: ENDED } (the connected agent only: 403)
 *   POST /api/agent/contacts/{contactId}/verification        {"agentId"}         → { status: CODE_SENT | RATE_LIMITED | UNAVAILABLE }
 *   POST /api/agent/contacts/{contactId}/verification/code   {"agentId", "code"} → { status: VERIFIED | INVALID | LOCKED | EXPIRED | UNAVAILABLE, attemptsLeft? }
 *   POST /api/agent/contacts/{contactId}/readout             {"agentId", "action": RESET | UNLOCK} → { status: READOUT_READY, action }
 *        (after this agent's VERIFIED on the contact, else 403; the caller hears it from the desk when the agent ends the call)
 * `context` is what the agent may know of the caller: built only from the allow-listed agent* contact
 * attributes, each checked (lambdas/domain/shown-agent-context.ts); never a code or a password, and
 * never any other attribute of the contact. On AWS the Agent Workspace shows the same attributes.
 * The verification (local/connect/agent-desk.ts) needs a contact connected to the calling agent with a
 * confirmed employee ID (403 otherwise) and a valid agent identity (400); no answer carries a code.
 * Loopback-only, and POSTs JSON-only, as the whole API (local/http/loopback-guard.ts).
 */
import type { CallCenter } from '../connect/call-center';
import { type AgentApiRoute, type AgentDesk, AgentDeskError } from '../connect/agent-desk';
import { shownAgentContext, type ShownAgentContext } from '../../lambdas/domain/shown-agent-context';
import { HttpError, type ApiRouter, type RouteHandler } from './api-router';

export interface AgentQueueContact {
  contactId: string;
  queue: string;
  /** ISO 8601, on the twin's clock. */
  enqueuedAt: string;
  /** How long it waited in the queue (so far, or until it was accepted). */
  waitingSeconds: number;
  state: 'WAITING' | 'CONNECTED';
  /** The agent a CONNECTED contact is connected to. */
  agentId?: string;
  context: ShownAgentContext;
}

async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AgentDeskError) throw new HttpError(error.status, error.message);
    throw error;
  }
}

export function registerAgentApi(router: ApiRouter, deps: { calls: CallCenter; desk: AgentDesk }): void {
  router.on('GET', '/api/agent/contacts', () => {
    const contacts: AgentQueueContact[] = deps.calls.agentContacts().map((contact) => ({
      contactId: contact.contactId,
      queue: contact.queue.name,
      enqueuedAt: new Date(contact.enqueuedAt).toISOString(),
      waitingSeconds: Math.floor(contact.waitingMs / 1000),
      state: contact.state,
      ...(contact.agentId !== undefined ? { agentId: contact.agentId } : {}),
      context: shownAgentContext(contact.attributes),
    }));
    return { body: { contacts } };
  });

  router.on('POST', '/api/agent/contacts/:contactId/accept', async (req) => ({
    body: await refusing(async () => deps.desk.accept(req.params.contactId!, req.body)),
  }));

  router.on('POST', '/api/agent/contacts/:contactId/end', async (req) => ({
    body: await refusing(async () => deps.desk.end(req.params.contactId!, req.body)),
  }));

  // The agent API proper: the agent-api Lambda answers (local/connect/agent-desk.ts), its status and JSON body as they are.
  const viaLambda =
    (route: AgentApiRoute): RouteHandler =>
    async (req) => {
      const fields =
        req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
      const { agentId, ...rest } = fields ?? {};
      const answer = await refusing(() =>
        deps.desk.api({
          route,
          contactId: req.params.contactId!,
          agentId: req.method === 'GET' ? (req.query.get('agentId') ?? undefined) : agentId,
          ...(req.method === 'GET' ? {} : { body: rest }),
          // The body the Lambda gets is not the one sent (agentId is taken out): its length is not passed on.
          headers: Object.fromEntries(Object.entries(req.raw.headers).filter(([name]) => name !== 'content-length')),
          query: req.query,
          ...(req.raw.socket.remoteAddress ? { sourceIp: req.raw.socket.remoteAddress } : {}),
        }),
      );
      return { status: answer.status, body: answer.body, headers: answer.headers };
    };
  router.on('GET', '/api/agent/contacts/:contactId', viaLambda('context'));
  router.on('POST', '/api/agent/contacts/:contactId/verification', viaLambda('verification'));
  router.on('POST', '/api/agent/contacts/:contactId/verification/code', viaLambda('code'));
  router.on('POST', '/api/agent/contacts/:contactId/readout', viaLambda('readout'));
}
