/**
 * A caller on the twin's call API, as the softphones use it: dial, say, key, hang up, and every
 * prompt heard so far.
 */
import type { CallSnapshot } from '../../local/connect/call-center';

export class Phone {
  readonly heard: Array<{ text: string; ssml: string | null }> = [];
  contactId = '';
  last: CallSnapshot | undefined;

  constructor(private readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  private record(snapshot: CallSnapshot): CallSnapshot {
    this.last = snapshot;
    this.heard.push(...snapshot.prompts);
    return snapshot;
  }

  async dial(from: string, locale?: string): Promise<CallSnapshot> {
    const res = await this.request<CallSnapshot>('POST', '/api/calls', { from, ...(locale ? { locale } : {}) });
    if (res.status !== 201) throw new Error(`dial: ${res.status} ${JSON.stringify(res.body)}`);
    this.contactId = res.body.contactId;
    return this.record(res.body);
  }

  async say(text: string): Promise<CallSnapshot> {
    return this.send({ text });
  }

  async key(dtmf: string): Promise<CallSnapshot> {
    return this.send({ dtmf });
  }

  private async send(input: { text?: string; dtmf?: string }): Promise<CallSnapshot> {
    const res = await this.request<CallSnapshot>('POST', `/api/calls/${this.contactId}/input`, input);
    if (res.status !== 200) throw new Error(`input: ${res.status} ${JSON.stringify(res.body)}`);
    return this.record(res.body);
  }

  /** What the caller hears without saying anything (a flow an agent handed the call back to). */
  async listen(): Promise<CallSnapshot> {
    const res = await this.request<CallSnapshot>('POST', `/api/calls/${this.contactId}/listen`);
    if (res.status !== 200) throw new Error(`listen: ${res.status} ${JSON.stringify(res.body)}`);
    return this.record(res.body);
  }

  async hangUp(): Promise<CallSnapshot> {
    return this.record((await this.request<CallSnapshot>('DELETE', `/api/calls/${this.contactId}`)).body);
  }

  async details(): Promise<any> {
    return (await this.request('GET', `/api/calls/${this.contactId}`)).body;
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
