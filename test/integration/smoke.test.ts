/**
 * `npm run smoke` against the twin: every check that has a counterpart in the twin passes (the rest say
 * why they are skipped), a missing piece fails with a line that names it, and so does a live alias left
 * on an older bot version.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { runSmoke } from '../../cli/smoke-checks';
import { startTestTwin } from '../support/test-twin';

const run = promisify(execFile);
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.cleanup());

it('passes against a running twin: npm run smoke -- --stage local', async () => {
  const { stdout } = await run('npx', ['tsx', 'cli/smoke.ts', '--stage', 'local'], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, HELPDESK_URL: twin.url },
  });
  expect(stdout).toMatch(/^PASS\s+stacks complete/m);
  expect(stdout).toMatch(/^PASS\s+a conversation reaches the code prompt/m);
  expect(stdout).toMatch(/^PASS\s+the workflows answer StartSyncExecution/m);
  expect(stdout).toMatch(/^PASS\s+the contact flow is published/m);
  expect(stdout).toMatch(/^PASS\s+Lex aliases on the newest bot version/m);
  expect(stdout).toMatch(/^SKIP\s+the Connect instance keeps flow logs and call recordings\s+the twin writes/m);
  expect(stdout).toContain('all checks passed');
});

it('fails with a clear line when a piece is missing', async () => {
  const rows = await runSmoke({ kind: 'twin', url: twin.url, endpoints: { lexruntime: 'http://127.0.0.1:9' } });
  expect(rows.find((r) => r.check === 'a conversation reaches the code prompt')).toMatchObject({
    result: 'FAIL',
    detail: expect.stringMatching(/ECONNREFUSED|connect/i),
  });
  expect(rows.filter((r) => r.result === 'FAIL')).toHaveLength(1);
});

it('fails when a live alias is left on an older bot version', async () => {
  const bot = 'help-desk-menu';
  const newest = twin.lexVersions.publish(bot);
  try {
    const rows = await runSmoke({ kind: 'twin', url: twin.url });
    expect(rows.find((r) => r.check === 'Lex aliases on the newest bot version')).toMatchObject({
      result: 'FAIL',
      detail: `Failed: ${bot}: the live alias is on version 1, the newest is ${newest}`,
    });
  } finally {
    twin.lexVersions.pointLiveAlias(bot, newest);
  }
  const rows = await runSmoke({ kind: 'twin', url: twin.url });
  expect(rows.find((r) => r.check === 'Lex aliases on the newest bot version')).toMatchObject({ result: 'PASS' });
});
