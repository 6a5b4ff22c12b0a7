/** The twin's HTTP API, as the console uses it. */
import type { ShownAgentContext } from '../../../lambdas/domain/shown-agent-context';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    // The twin refuses a state-changing request that is not JSON (a cross-site form could send it).
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // The twin's own refusals say `error`; the agent API's (the agent-api Lambda's, as API Gateway passes them on) `message`.
  const json = (await res.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, json.error ?? json.message ?? `HTTP ${res.status}`);
  return json;
}

// The call API's types, as the twin serves them (shared with the softphone and the tests).
export type { CallSnapshot, Prompt } from '../../connect/call-snapshot';

export interface Mail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string | null;
  at: string;
}

export interface AuditRecord {
  employeeId: string;
  seq: number;
  at: string;
  step: string;
  outcome: string;
  reason: string;
  callerNumberMasked: string;
  sessionId: string;
  contactId: string;
  eventId: string;
  workflow: string;
  /** Who acted (issue #20): absent on records written before agents (a caller's). */
  actor?: 'caller' | 'agent';
  /** The agent's identity, "-" for a caller, "?" for a refused claim. */
  agentId?: string;
}

/** A call waiting in an agent queue, as `GET /api/agent/contacts` answers (local/http/agent-api.ts). */
export interface QueuedCall {
  contactId: string;
  queue: string;
  enqueuedAt: string;
  waitingSeconds: number;
  /** WAITING for an agent, or CONNECTED to the agent `agentId`. */
  state: 'WAITING' | 'CONNECTED';
  agentId?: string;
  /** Only the allow-listed, checked context; a field that was absent or malformed is left out. */
  context: ShownAgentContext;
}
