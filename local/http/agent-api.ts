/**
 * The agent side of the twin's HTTP API (issue #20), read-only for now:
 *   GET /api/agent/contacts   → { contacts: [{ contactId, queue, enqueuedAt, waitingSeconds, context }] }, longest-waiting first
 * `context` is what the agent may know of the caller: built only from the allow-listed agent* contact
 * attributes, each checked (local/connect/queued-contact-context.ts); never a code or a password, and
 * never any other attribute of the contact. On AWS the Agent Workspace shows the same attributes.
 * Loopback-only, as the whole API (local/http/loopback-guard.ts).
 */
import type { CallCenter } from '../connect/call-center';
import { queuedContactContext, type QueuedContactContext } from '../connect/queued-contact-context';
import type { ApiRouter } from './api-router';

export interface AgentQueueContact {
  contactId: string;
  queue: string;
  /** ISO 8601, on the twin's clock. */
  enqueuedAt: string;
  waitingSeconds: number;
  context: QueuedContactContext;
}

export function registerAgentApi(router: ApiRouter, deps: { calls: CallCenter }): void {
  router.on('GET', '/api/agent/contacts', () => {
    const contacts: AgentQueueContact[] = deps.calls.waitingContacts().map((waiting) => ({
      contactId: waiting.contactId,
      queue: waiting.queue.name,
      enqueuedAt: new Date(waiting.enqueuedAt).toISOString(),
      waitingSeconds: Math.floor(waiting.waitingMs / 1000),
      context: queuedContactContext(waiting.attributes),
    }));
    return { body: { contacts } };
  });
}
