/**
 * The Connect test cases of connect/tests (Testing language) run by the twin's runner, as `npm run
 * flow:test` runs them: each passes; breaking the flow fails the matching test case naming the
 * observation; the AWS Developer Guide's example runs unchanged and fails with a clear "unsupported"
 * line rather than passing silently; a JUnit report is written.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestTwin } from '../support/test-twin';
import { runTestCase } from '../../local/connect/test-case-runner';
import { latestCode, testCaseSubstitutions } from '../../local/connect/test-case-substitutions';

const ROOT = resolve(__dirname, '../..');
const TESTS = join(ROOT, 'connect/tests');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 20 });
});
afterAll(() => twin.cleanup());

let calls = 0;
const run = (document: unknown) =>
  runTestCase(document, {
    calls: twin.calls,
    substitutions: testCaseSubstitutions(twin),
    // A number per test case (the desk limits starts per number), and the inbox hook for codes.
    from: `+1555020${String(++calls).padStart(4, '0')}`,
    latestCode: (email) => latestCode(twin, email),
  });

it.each(readdirSync(TESTS).filter((f) => f.endsWith('.json')))('connect/tests/%s passes in the twin', async (file) => {
  const result = await run(read(join(TESTS, file)));
  expect({ failure: result.failure, failed: result.observations.filter((o) => o.status === 'FAILED') }).toEqual({
    failure: undefined,
    failed: [],
  });
  expect(result.passed).toBe(true);
});

it('a flow that no longer tells the caller the agents are closed fails closed-hours, naming the observation', async () => {
  const original = readFileSync(join(ROOT, 'connect/flows/password-reset.json'), 'utf8');
  const flow = JSON.parse(original) as { Actions: Array<{ Identifier: string; Parameters: Record<string, unknown> }> };
  // The closed branch plays the transfer message instead of the closed one.
  flow.Actions.find((a) => a.Identifier === 'closed')!.Parameters.SSML = '$.Attributes.prmTransfer';
  const substituted = JSON.stringify(flow);
  twin.calls.load(
    'password-reset',
    substituted.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, key: string) => testCaseSubstitutions(twin)[key] ?? _m),
  );
  try {
    const result = await run(read(join(TESTS, 'closed-hours.json')));
    expect(result.passed).toBe(false);
    expect(result.observations).toContainEqual({ identifier: 'Closed', status: 'FAILED', message: 'never observed' });
  } finally {
    // Back to the real flow for the other tests.
    await twin.cleanup();
    twin = await startTestTwin({ seedEmployees: 20 });
  }
});

it("the Developer Guide's example runs unchanged and fails with a clear unsupported line (its hours and queue are another instance's)", async () => {
  const result = await run(read(join(ROOT, 'test/fixtures/connect/aws-example-test-case.json')));
  expect(result.passed).toBe(false);
  expect(result.failure).toMatch(/^unsupported: /);
});

it('an invalid test case fails before it runs, naming where', async () => {
  const doc = read(join(TESTS, 'agent-request.json')) as { Observations: Array<{ Event: { Type: string } }> };
  doc.Observations[0]!.Event.Type = 'Ringing';
  const result = await run(doc);
  expect(result.passed).toBe(false);
  expect(result.failure).toMatch(/\/Observations\/0\/Event/);
});

it('npm run flow:test writes a JUnit report and exits 0 when every test case passes', async () => {
  const report = join(mkdtempSync(join(tmpdir(), 'flow-test-')), 'report.xml');
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'cli/flow-test.ts', 'connect/tests/agent-request.json', '--junit', report], {
    cwd: ROOT,
  });
  expect(stdout).toContain('PASSED      connect/tests/agent-request.json › Queued');
  expect(stdout).toContain('1 of 1 test cases passed');
  const xml = readFileSync(report, 'utf8');
  expect(xml).toContain('<testsuite name="connect/tests/agent-request.json" tests="5" failures="0"');
}, 60_000);
