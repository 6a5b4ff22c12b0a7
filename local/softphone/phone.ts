/**
 * A caller on the twin's call API (local/http/call-api.ts): dial, say, key, listen, hang up, and every
 * prompt heard so far. The one client of that API: the terminal softphone, the benchmarks' callers and
 * the tests use it; the browser console shares its types (local/connect/call-snapshot.ts).
 */
import type { CallDetails, CallSnapshot, CallerInput } from '../connect/call-snapshot';

/** The twin refused a turn: its status and its reason (`error` in the body). */
export class CallApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CallApiError';
  }
}

export class Phone {
  readonly heard: Array<{ text: string; ssml: string | null }> = [];
  contactId = '';
  last: CallSnapshot | undefined;

  constructor(private readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      // The twin refuses a state-changing request that is not JSON.
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** A turn the twin must answer with `expected`, or a CallApiError with the twin's reason. */
  private async turn(what: string, expected: number, method: string, path: string, body?: unknown): Promise<CallSnapshot> {
    const res = await this.request<CallSnapshot & { error?: string }>(method, path, body);
    if (res.status !== expected) throw new CallApiError(res.status, `${what}: ${res.status} ${res.body.error ?? JSON.stringify(res.body)}`);
    this.last = res.body;
    this.heard.push(...res.body.prompts);
    return res.body;
  }

  async dial(from: string, locale?: string): Promise<CallSnapshot> {
    const snapshot = await this.turn('dial', 201, 'POST', '/api/calls', { from, ...(locale ? { locale } : {}) });
    this.contactId = snapshot.contactId;
    return snapshot;
  }

  async say(text: string): Promise<CallSnapshot> {
    return this.send({ text });
  }

  async key(dtmf: string): Promise<CallSnapshot> {
    return this.send({ dtmf });
  }

  private async send(input: CallerInput): Promise<CallSnapshot> {
    return this.turn('input', 200, 'POST', `/api/calls/${this.contactId}/input`, input);
  }

  /** What the caller hears without saying anything (a flow an agent handed the call back to). */
  async listen(): Promise<CallSnapshot> {
    return this.turn('listen', 200, 'POST', `/api/calls/${this.contactId}/listen`);
  }

  async hangUp(): Promise<CallSnapshot> {
    return this.turn('hang up', 200, 'DELETE', `/api/calls/${this.contactId}`);
  }

  /** The call as a supervisor sees it: its transcript as recorded, disposition and queue. */
  async details(): Promise<CallDetails> {
    return (await this.request<CallDetails>('GET', `/api/calls/${this.contactId}`)).body;
  }

  /** Text of the prompts heard since index `from`. */
  said(from = 0): string {
    return this.heard
      .slice(from)
      .map((p) => p.text)
      .join(' | ');
  }

  lastPromptsText(): string {
    return (this.last?.prompts ?? []).map((p) => p.text).join(' | ');
  }

  raw<T>(method: string, path: string, body?: unknown) {
    return this.request<T>(method, path, body);
  }
}
