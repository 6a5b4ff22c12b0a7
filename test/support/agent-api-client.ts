/**
 * The twin's agent API as the tests use it: POST a route for a contact, and every answer's text kept,
 * so a test can search all that an agent received for codes and passwords at the end.
 */
export class AgentApiClient {
  /** The text of every answer, in order. */
  readonly answers: string[] = [];

  constructor(private readonly baseUrl: () => string) {}

  async post(path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: any; text: string }> {
    const res = await fetch(`${this.baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    this.answers.push(text);
    return { status: res.status, body: JSON.parse(text), text };
  }

  /** `POST /api/agent/contacts/{contactId}/{action}`: accept, end, verification, verification/code, readout. */
  act(contactId: string, action: string, body: unknown): Promise<{ status: number; body: any; text: string }> {
    return this.post(`/api/agent/contacts/${contactId}/${action}`, body);
  }
}
