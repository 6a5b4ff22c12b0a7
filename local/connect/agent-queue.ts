/**
 * The twin's agent queues: the contacts a flow transferred (TransferContactToQueue), waiting for an agent.
 *
 * As in Amazon Connect, a queued contact stays in its queue until it is answered or leaves: "After the
 * contact is placed in a queue, the contact remains there until an agent takes the contact" (or a customer
 * queue flow moves it), and contacts are served "on a first-come, first-served basis" by time in queue
 * (https://docs.aws.amazon.com/connect/latest/adminguide/queue-to-queue-transfer.html,
 * https://docs.aws.amazon.com/connect/latest/adminguide/about-routing.html). Here a contact leaves when:
 * - its caller hangs up while waiting (ABANDONED; the call API's DELETE), or
 * - it has waited `maxWaitMs` on the twin's clock (TIMED_OUT). Connect sets no such limit itself; a bound
 *   stands in for what a customer queue flow or an abandoning caller would do, and keeps a forgotten
 *   console call from waiting for ever.
 * An agent accepting a contact (issue #20) takes it out of the waiting list: it is CONNECTED to that agent
 * (no wait limit any more) until the agent ends it or its caller hangs up (both exit ENDED, told apart by
 * `endedBy`).
 *
 * A queued contact keeps every contact attribute it had at the transfer, for the twin's own use. What an
 * agent may see of them passes through the allow-list of lambdas/domain/shown-agent-context.ts only.
 */
import type { Clock, TimerHandle } from '../time/clock';

/** How long a contact waits in the twin's queues, at most, unless the twin is told otherwise. */
export const DEFAULT_MAX_QUEUE_WAIT_MS = 30 * 60 * 1000;

/** Why a contact left its queue. */
export type QueueExit = 'ABANDONED' | 'TIMED_OUT' | 'ENDED';
/** Who ended a connected contact (exit ENDED). */
export type EndedBy = 'AGENT' | 'CALLER';
/** What an accept or an end did: done, the contact is not here, or it is another agent's (or, to end, not yet accepted). */
export type AgentActionOutcome = 'OK' | 'UNKNOWN' | 'NOT_YOURS';

export interface QueuedContact {
  readonly contactId: string;
  readonly queue: { readonly name: string; readonly arn: string };
  /** When it entered the queue, on the twin's clock (ms since the epoch). */
  readonly enqueuedAt: number;
  /** The contact's attributes at the transfer: all of them, so never shown as they are. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface WaitingContact extends QueuedContact {
  /** How long it has waited so far, on the twin's clock. */
  readonly waitingMs: number;
}

/** A contact an agent sees: waiting, or connected to an agent (then `waitingMs` is how long it waited). */
export interface AgentContact extends WaitingContact {
  readonly state: 'WAITING' | 'CONNECTED';
  /** The agent it is connected to (CONNECTED only). */
  readonly agentId?: string;
}

export class AgentQueues {
  /** In the order the contacts were queued. */
  private readonly waiting = new Map<string, { contact: QueuedContact; timer: TimerHandle }>();
  /** The order contacts were queued in (ties of enqueuedAt keep it). */
  private readonly arrival = new Map<string, number>();
  private arrivals = 0;
  /** Contacts an agent accepted, with the agent and when. */
  private readonly connected = new Map<string, { contact: QueuedContact; agentId: string; connectedAt: number }>();

  constructor(
    private readonly deps: {
      clock: Clock;
      /** A contact still waiting after this long leaves its queue (TIMED_OUT). */
      maxWaitMs: number;
      /** Told when a contact leaves its queue, and why. */
      onLeave?: (contact: QueuedContact, exit: QueueExit, endedBy?: EndedBy) => void;
    },
  ) {
    if (!(deps.maxWaitMs > 0)) throw new Error(`the maximum queue wait must be positive, got ${deps.maxWaitMs} ms`);
  }

  /** Queues a contact now; its attributes are copied, so later changes to the contact do not reach the queue. */
  enqueue(contact: { contactId: string; queue: { name: string; arn: string }; attributes: Record<string, string> }): QueuedContact {
    if (this.waiting.has(contact.contactId) || this.connected.has(contact.contactId))
      throw new Error(`contact ${contact.contactId} is already queued`);
    const queued: QueuedContact = Object.freeze({
      contactId: contact.contactId,
      queue: Object.freeze({ name: contact.queue.name, arn: contact.queue.arn }),
      enqueuedAt: this.deps.clock.now(),
      attributes: Object.freeze({ ...contact.attributes }),
    });
    const timer = this.deps.clock.setTimeout(() => this.leave(queued.contactId, 'TIMED_OUT'), this.deps.maxWaitMs);
    this.waiting.set(queued.contactId, { contact: queued, timer });
    this.arrival.set(queued.contactId, this.arrivals++);
    return queued;
  }

  /** Takes a contact out of its queue; false when it was not waiting. */
  leave(contactId: string, exit: QueueExit): boolean {
    const entry = this.waiting.get(contactId);
    if (!entry) return false;
    this.deps.clock.clearTimeout(entry.timer);
    this.waiting.delete(contactId);
    this.arrival.delete(contactId);
    this.deps.onLeave?.(entry.contact, exit);
    return true;
  }

  has(contactId: string): boolean {
    return this.waiting.has(contactId);
  }

  /** The agent a contact is connected to, if it is. */
  agentOf(contactId: string): string | undefined {
    return this.connected.get(contactId)?.agentId;
  }

  /**
   * An agent takes a waiting contact: it leaves the waiting list (its wait timer stops) and is CONNECTED to
   * the agent. Accepting again as the same agent changes nothing (OK); another agent's contact is NOT_YOURS.
   */
  accept(contactId: string, agentId: string): AgentActionOutcome {
    const connected = this.connected.get(contactId);
    if (connected) return connected.agentId === agentId ? 'OK' : 'NOT_YOURS';
    const entry = this.waiting.get(contactId);
    if (!entry) return 'UNKNOWN';
    this.deps.clock.clearTimeout(entry.timer);
    this.waiting.delete(contactId);
    this.connected.set(contactId, { contact: entry.contact, agentId, connectedAt: this.deps.clock.now() });
    return 'OK';
  }

  /** The connected agent ends the contact (exit ENDED, by AGENT); anyone else, or a waiting contact: NOT_YOURS. */
  end(contactId: string, agentId: string): AgentActionOutcome {
    const connected = this.connected.get(contactId);
    if (!connected) return this.waiting.has(contactId) ? 'NOT_YOURS' : 'UNKNOWN';
    if (connected.agentId !== agentId) return 'NOT_YOURS';
    this.connected.delete(contactId);
    this.arrival.delete(contactId);
    this.deps.onLeave?.(connected.contact, 'ENDED', 'AGENT');
    return 'OK';
  }

  /** The caller hangs up: a waiting contact is ABANDONED, a connected one ENDED by the CALLER; false when neither. */
  hangUp(contactId: string): boolean {
    const connected = this.connected.get(contactId);
    if (!connected) return this.leave(contactId, 'ABANDONED');
    this.connected.delete(contactId);
    this.arrival.delete(contactId);
    this.deps.onLeave?.(connected.contact, 'ENDED', 'CALLER');
    return true;
  }

  /** What agents see: the waiting and the connected contacts, in the order they were queued. */
  contacts(): AgentContact[] {
    const now = this.deps.clock.now();
    const waiting: AgentContact[] = this.list().map((c) => ({ ...c, state: 'WAITING' }));
    const connected: AgentContact[] = [...this.connected.values()].map(({ contact, agentId, connectedAt }) => ({
      ...contact,
      waitingMs: Math.max(0, Math.min(now, connectedAt) - contact.enqueuedAt),
      state: 'CONNECTED',
      agentId,
    }));
    const order = (c: AgentContact) => this.arrival.get(c.contactId) ?? 0;
    return [...waiting, ...connected].sort((a, b) => a.enqueuedAt - b.enqueuedAt || order(a) - order(b));
  }

  /** The contacts waiting (in one queue, or in all), longest-waiting first. */
  list(queueName?: string): WaitingContact[] {
    const now = this.deps.clock.now();
    return [...this.waiting.values()]
      .map(({ contact }) => contact)
      .filter((contact) => queueName === undefined || contact.queue.name === queueName)
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt) // stable: the same instant keeps the order of arrival
      .map((contact) => ({ ...contact, waitingMs: Math.max(0, now - contact.enqueuedAt) }));
  }

  /** How many contacts wait in a queue (what its capacity is measured against). */
  size(queueName: string): number {
    let count = 0;
    for (const { contact } of this.waiting.values()) if (contact.queue.name === queueName) count += 1;
    return count;
  }

  /** Stops the wait timers; the contacts are dropped without leaving (the twin is stopping). */
  close(): void {
    for (const { timer } of this.waiting.values()) this.deps.clock.clearTimeout(timer);
    this.waiting.clear();
    this.connected.clear();
    this.arrival.clear();
  }
}
