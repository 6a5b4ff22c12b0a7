/**
 * `npm start` as a user runs it: health answers within 15 s, Ctrl-C (SIGINT to the process group,
 * as a terminal sends it) leaves no process behind, a second start finds the first one's data, and a
 * request that once killed the process (`GET /%E0%A4%A`) gets 400 while the twin keeps serving.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { watchTwinOutput } from '../../local/ready-banner';
import { localClient } from '../support/test-twin';

jest.setTimeout(90_000);
const ROOT = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-lifecycle-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Health {
  status: string;
  endpoints: Record<string, string>;
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function npmStart(args: string[] = []): Promise<Started> {
  const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
    cwd: ROOT,
    env: { ...process.env, HELPDESK_DATA_DIR: dataDir, PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Not ready within 15 s is a failed start (the watcher rejects), not a slow one: no timing is asserted.
  const { url: urlReady, output } = watchTwinOutput(child, 15_000);
  const url = await urlReady;
  const health = await fetch(`${url}/api/health`);
  return { child, url, output, ...(health.ok ? {} : { url: '' }) };
}

/** `GET /%E0%A4%A`, sent as is (fetch would re-encode the path). */
function malformedGet(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/%E0%A4%A' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** npm re-raises the signal its script stopped on, so a clean stop is exit 0 or SIGINT. */
async function ctrlC(started: Started): Promise<string> {
  const exited = new Promise<string>((r) =>
    started.child.once('exit', (code, signal) => r(code === 0 || signal === 'SIGINT' ? 'clean' : `code ${code} signal ${signal}`)),
  );
  process.kill(-started.child.pid!, 'SIGINT');
  const code = await exited;
  for (let i = 0; i < 50 && groupAlive(started.child.pid!); i += 1) await new Promise((r) => setTimeout(r, 100));
  return code;
}

it('starts, answers health, stops cleanly on Ctrl-C and keeps its data for the next start', async () => {
  const first = await npmStart(['--fresh']);
  const health = (await (await fetch(`${first.url}/api/health`)).json()) as Health;
  expect(health).toMatchObject({ status: 'ok', endpoints: { dynamodb: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
  for (const service of ['dynamodb', 'ses', 'stepfunctions', 'eventbridge']) {
    expect(health.endpoints[service]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }

  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClient(health.endpoints.dynamodb!)));
  await db.send(new PutCommand({ TableName: 'support-desk-prompts', Item: { flow: 'lifecycle-marker', locale: 'en-US', text: 'kept' } }));
  const seeded = await db.send(new GetCommand({ TableName: 'support-desk-employees', Key: { employeeId: '1234567' } }));
  expect(seeded.Item).toMatchObject({ employeeId: '1234567', status: 'ACTIVE' });
  db.destroy();

  expect(await ctrlC(first)).toBe('clean');
  expect(groupAlive(first.child.pid!)).toBe(false);
  expect(first.output()).toContain('stopped; data flushed.');

  const second = await npmStart();
  const health2 = (await (await fetch(`${second.url}/api/health`)).json()) as Health;
  const db2 = DynamoDBDocumentClient.from(new DynamoDBClient(localClient(health2.endpoints.dynamodb!)));
  const marker = await db2.send(new GetCommand({ TableName: 'support-desk-prompts', Key: { flow: 'lifecycle-marker', locale: 'en-US' } }));
  db2.destroy();
  expect(marker.Item?.text).toBe('kept');
  expect(await malformedGet(second.url)).toBe(400);
  expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
  expect(await ctrlC(second)).toBe('clean');
  expect(groupAlive(second.child.pid!)).toBe(false);
});
