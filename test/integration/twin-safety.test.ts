/**
 * The twin is safe to run on a developer's laptop (docs/design.md, "A twin that a web page cannot
 * hurt"): a page the developer visits cannot reach it by DNS rebinding, cannot post to it cross-site,
 * cannot crash it with a malformed path, cannot read its data folder, and cannot flood it with calls.
 */
import { request } from 'node:http';
import { connect } from 'node:http2';
import { statSync } from 'node:fs';
import { startTestTwin } from '../support/test-twin';
import { Phone } from '../../local/softphone/phone';
import { fakeClock } from '../support/fake-clock';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
const clock = fakeClock();

beforeAll(async () => {
  twin = await startTestTwin({ clock, callLimits: { maxActiveCalls: 2, maxCallsPerMinute: 3 } });
});
afterAll(() => twin.cleanup());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host and the path go out exactly as written (fetch would normalise both). */
function raw(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The Lex runtime speaks HTTP/2: the host is its :authority. */
function rawHttp2(url: string, authority: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    session.on('error', reject);
    const req = session.request({
      ':method': 'POST',
      ':path': '/bots/X/botAliases/Y/botLocales/en_US/sessions/s1/text',
      ':authority': authority,
    });
    req.on('response', (headers) => {
      resolve({ status: Number(headers[':status']) });
      session.close();
    });
    req.on('error', reject);
    req.end('{}');
  });
}

const activeCalls = () => twin.calls.list().filter((c) => !c.ended).length;

describe('DNS rebinding', () => {
  it('answers only to its own loopback name and port', async () => {
    const port = new URL(twin.url).port;
    const rebound = await raw(twin.url, { path: '/api/mail', headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('messages');
    expect((await raw(twin.url, { path: '/api/health', headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect((await raw(twin.url, { path: '/api/health', headers: { host: `localhost:${port}` } })).status).toBe(200);
    // Right name, wrong port: a rebinding page served from another local port.
    expect((await raw(twin.url, { path: '/api/health', headers: { host: '127.0.0.1:80' } })).status).toBe(421);
  });

  it('guards every emulator the same way, the mail store and the tables included', async () => {
    for (const [name, url] of Object.entries(twin.endpoints)) {
      const answer =
        name === 'lexruntime'
          ? await rawHttp2(url, 'attacker.example')
          : await raw(url, {
              method: 'POST',
              path: '/',
              headers: { host: 'attacker.example', 'content-type': 'application/x-amz-json-1.0' },
              body: '{}',
            });
      expect({ name, status: answer.status }).toEqual({ name, status: 421 });
    }
    expect((await raw(twin.endpoints.ses, { path: '/store', headers: { host: 'rebound.example' } })).status).toBe(421);
  });
});

describe('cross-site requests', () => {
  it('refuses a text/plain POST that would start a call, and a form POST (415), starting nothing', async () => {
    const before = twin.calls.list().length;
    const plain = await raw(twin.url, {
      method: 'POST',
      path: '/api/calls',
      headers: { host: new URL(twin.url).host, 'content-type': 'text/plain' },
      body: '{"from":"+15555550100"}',
    });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body)).toEqual({ error: 'POST requests must have Content-Type: application/json' });
    const form = await raw(twin.url, {
      method: 'POST',
      path: '/api/calls',
      headers: { host: new URL(twin.url).host, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'from=%2B15555550100',
    });
    expect(form.status).toBe(415);
    expect(twin.calls.list()).toHaveLength(before);
  });

  it('refuses a request from a foreign Origin (403) and never sends CORS headers, the emulators included', async () => {
    const host = new URL(twin.url).host;
    const crossSite = await raw(twin.url, {
      method: 'POST',
      path: '/api/calls',
      headers: { host, origin: 'https://attacker.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    // dynalite answers a CORS preflight with `*` on its own; through the twin it gets nothing.
    const dynamoHost = new URL(twin.endpoints.dynamodb).host;
    const preflight = await raw(twin.endpoints.dynamodb, {
      method: 'OPTIONS',
      path: '/',
      headers: {
        host: dynamoHost,
        origin: 'https://attacker.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-amz-target,content-type,authorization',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const sameOrigin = await raw(twin.endpoints.dynamodb, {
      method: 'POST',
      path: '/',
      headers: {
        host: dynamoHost,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': '20260101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{}',
    });
    expect(sameOrigin.status).toBe(200);
    expect(Object.keys(sameOrigin.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const api = await raw(twin.url, { path: '/api/health', headers: { host } });
    expect(Object.keys(api.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('malformed requests', () => {
  it('answers GET /%E0%A4%A with 400 and keeps serving', async () => {
    const host = new URL(twin.url).host;
    for (const path of ['/%E0%A4%A', '/api/calls/%E0%A4%A', '/api/calls/%E0%A4%A/input']) {
      const post = path.endsWith('/input');
      const answer = await raw(twin.url, {
        method: post ? 'POST' : 'GET',
        path,
        headers: { host, 'content-type': 'application/json' },
        ...(post && { body: '{"text":"hi"}' }),
      });
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.body).not.toMatch(/URIError|at .*\.ts/);
    }
    expect((await raw(twin.url, { path: '/api/health', headers: { host } })).status).toBe(200);
  });
});

describe('the data folder', () => {
  it('is private to its owner: the folder 0700, its files 0600', async () => {
    const phone = new Phone(twin.url);
    await phone.dial('+15555557001', 'en-US');
    await phone.hangUp();
    await twin.data.flush();
    expect(statSync(twin.data.root).mode & 0o777).toBe(0o700);
    expect(statSync(twin.data.path('dynamodb')).mode & 0o777).toBe(0o700);
    for (const file of ['contact-records.jsonl', 'secrets.json'])
      expect({ file, mode: statSync(twin.data.path(file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  });
});

describe('call caps', () => {
  it('refuses calls past the cap on calls in progress, and past the cap per minute (429)', async () => {
    clock.tick(61_000);
    const first = new Phone(twin.url);
    const second = new Phone(twin.url);
    await first.dial('+15555557002', 'en-US');
    await second.dial('+15555557003', 'en-US');
    expect(activeCalls()).toBe(2);
    const third = await first.raw<{ error: string }>('POST', '/api/calls', { from: '+15555557004', locale: 'en-US' });
    expect(third).toMatchObject({ status: 429, body: { error: '2 calls are already in progress; hang one up or try again shortly' } });
    await first.hangUp();
    // One line free again: the third call of the minute goes through, the fourth does not.
    const replacement = new Phone(twin.url);
    await replacement.dial('+15555557005', 'en-US');
    await replacement.hangUp();
    const fourth = await first.raw<{ error: string }>('POST', '/api/calls', { from: '+15555557006', locale: 'en-US' });
    expect(fourth).toMatchObject({ status: 429, body: { error: 'more than 3 calls started in the last minute; try again shortly' } });
    clock.tick(60_000);
    const nextMinute = new Phone(twin.url);
    await nextMinute.dial('+15555557007', 'en-US');
    await Promise.all([second.hangUp(), nextMinute.hangUp()]);
  });
});
