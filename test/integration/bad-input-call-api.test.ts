/**
 * Bad input on the call API, as properties (fast-check) over HTTP against the twin: any body —
 * malformed JSON, wrong types, missing fields, unicode, control characters, 100 KB — gets a 2xx
 * answer or a 4xx with a reason, never a 5xx; calls stay usable; and whatever a caller says, the
 * SSML the desk plays carries only the desk's own markup.
 */
import fc from 'fast-check';
import { startTestTwin } from '../support/test-twin';

jest.setTimeout(120_000);
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.cleanup());

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '<speak><audio src="http://evil"/></speak>',
    '1234567</say-as><break time="9s"/>',
    '&amp;&lt;',
    '\u0000\u001b[31m',
    '😀🔑',
    '-1',
    '1.5',
    'reset my password',
    'agent',
  ),
);
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ text: fc.oneof(hostileText, fc.jsonValue()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc
    .record({ dtmf: fc.oneof(fc.stringMatching(/^[0-9*#]{0,40}$/), hostileText, fc.jsonValue()) }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  fc
    .record(
      { from: fc.oneof(hostileText, fc.jsonValue()), locale: fc.oneof(fc.constantFrom('en-US', 'es-US', 'fr'), fc.jsonValue()) },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant(JSON.stringify({ text: 'x'.repeat(100_000) })),
);

async function post(path: string, raw: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${twin.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

function onlyOwnMarkup(ssml: string): boolean {
  const stripped = ssml.replace(/<\/?(speak|say-as|break|prosody|lang)(\s+[a-z:-]+="[^"<>]*")*\s*\/?>/g, '');
  return !/[<>]/.test(stripped);
}

it('POST /api/calls: 201 or a 4xx with a reason, for any body', async () => {
  await fc.assert(
    fc.asyncProperty(body, async (raw) => {
      const { status, json } = await post('/api/calls', raw);
      expect([201, 400, 413]).toContain(status);
      if (status !== 201) expect(typeof json.error).toBe('string');
      else await fetch(`${twin.url}/api/calls/${json.contactId}`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });
    }),
    { numRuns: 60 },
  );
});

it("POST /api/calls/{id}/input: 200 or a 4xx with a reason, the call keeps working, the SSML stays the desk's own", async () => {
  let call = (await post('/api/calls', JSON.stringify({ from: '+15555556000', locale: 'en-US' }))).json;
  await fc.assert(
    fc.asyncProperty(body, async (raw) => {
      const { status, json } = await post(`/api/calls/${call.contactId}/input`, raw);
      expect([200, 400, 409, 413]).toContain(status);
      if (status === 200) {
        expect(Array.isArray(json.prompts)).toBe(true);
        for (const prompt of json.prompts) if (prompt.ssml) expect(onlyOwnMarkup(prompt.ssml)).toBe(true);
        if (json.ended) call = (await post('/api/calls', JSON.stringify({ from: '+15555556000', locale: 'en-US' }))).json;
      } else {
        expect(typeof json.error).toBe('string');
      }
    }),
    { numRuns: 80 },
  );
  const health = await fetch(`${twin.url}/api/health`);
  expect(health.status).toBe(200);
});
