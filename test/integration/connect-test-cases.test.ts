/**
 * The Connect test cases of connect/tests (Testing language) run by the twin's runner, as `npm run
 * flow:test` runs them: each passes; breaking the flow fails the matching test case naming the
 * observation; the AWS Developer Guide's example runs unchanged and fails with a clear "unsupported"
 * line rather than passing silently; a JUnit report is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestTwin } from '../support/test-twin';
import { runTestCase } from '../../local/connect/test-case-runner';
import { latestCode, testCaseSubstitutions } from '../../local/connect/test-case-substitutions';
import { instanceForm, usesInboxHook } from '../../connect/test-case-instance-form';
import { testCaseProblems } from '../../connect/test-case-schema';
import { scratchDir } from '../support/scratch-dir';

const ROOT = resolve(__dirname, '../..');
const TESTS = join(ROOT, 'connect/tests');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
const scratch = scratchDir('support-desk-files-');

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
    latestCode: (address) => latestCode(twin, address),
  });

it.each(readdirSync(TESTS).filter((f) => f.endsWith('.json')))('connect/tests/%s passes in the twin', async (file) => {
  const result = await run(read(join(TESTS, file)));
  expect({ failure: result.failure, failed: result.observations.filter((o) => o.status === 'FAILED') }).toEqual({
    failure: undefined,
    failed: [],
  });
  expect(result.passed).toBe(true);
});

it.each(readdirSync(TESTS).filter((f) => f.endsWith('.json') && usesInboxHook(read(join(TESTS, f)))))(
  'connect/tests/%s, in the instance form CDK deploys (verify-code mocked, no code keyed), passes in the twin too',
  async (file) => {
    const form = instanceForm(read(join(TESTS, file)));
    expect(testCaseProblems(form)).toEqual([]);
    const result = await run(form);
    expect({ failure: result.failure, failed: result.observations.filter((o) => o.status === 'FAILED') }).toEqual({
      failure: undefined,
      failed: [],
    });
    // The stand-in readout, not a password: the mock answered, not the workflow.
    expect(result.log).not.toContain('heard: [a temporary password, not logged]');
  },
);

it('a flow that no longer tells the caller the agents are closed fails closed-hours, naming the observation', async () => {
  const original = readFileSync(join(ROOT, 'connect/flows/password-reset.json'), 'utf8');
  const flow = JSON.parse(original) as { Actions: Array<{ Identifier: string; Parameters: Record<string, unknown> }> };
  // The closed branch plays the transfer message instead of the closed one.
  flow.Actions.find((a) => a.Identifier === 'closed')!.Parameters.SSML = '$.Attributes.prmTransfer';
  const load = (text: string) => twin.calls.loadSource('password-reset', text);
  load(JSON.stringify(flow));
  try {
    const result = await run(read(join(TESTS, 'closed-hours.json')));
    expect(result.passed).toBe(false);
    expect(result.observations).toContainEqual({ identifier: 'Closed', status: 'FAILED', message: 'never observed' });
  } finally {
    // Back to the real flow for the other tests.
    load(original);
  }
});

it('a flow that hangs up after the lock-out instead of transferring fails three-wrong-codes, naming the observation', async () => {
  const original = readFileSync(join(ROOT, 'connect/flows/password-reset.json'), 'utf8');
  const flow = JSON.parse(original) as { Actions: Array<{ Identifier: string; Transitions: { NextAction?: string; Errors?: unknown[] } }> };
  const locked = flow.Actions.find((a) => a.Identifier === 'locked')!;
  locked.Transitions = { NextAction: 'disconnect', Errors: [{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }] };
  // The block that noted why (for the agent) is then unreachable: a flow Connect would refuse as it stands.
  flow.Actions = flow.Actions.filter((a) => a.Identifier !== 'reason-locked');
  const load = (text: string) => twin.calls.loadSource('password-reset', text);
  load(JSON.stringify(flow));
  try {
    // Another employee than the suite's (9000005 is already locked by then).
    const text = readFileSync(join(TESTS, 'three-wrong-codes.json'), 'utf8').replaceAll('9000005', '9000012');
    const result = await run(JSON.parse(text));
    expect(result.passed).toBe(false);
    expect(result.observations).toContainEqual({ identifier: 'Locked', status: 'PASSED' });
    expect(result.observations).toContainEqual({ identifier: 'Agent queue', status: 'FAILED', message: 'never observed' });
  } finally {
    load(original);
  }
});

it("the Developer Guide's example runs unchanged and fails with a clear unsupported line (its hours and queue are another instance's)", async () => {
  const result = await run(read(join(ROOT, 'test/fixtures/connect/aws-example-test-case.json')));
  expect(result.passed).toBe(false);
  expect(result.failure).toMatch(/^unsupported: /);
});

it("a test case written only from the AWS reference (its constructs, this flow's words) runs against the twin", async () => {
  // Similarity matching, Usage EXACTLY, both MatchingCriteria forms, an hours mock, Assert, LogData, EndTest.
  const result = await run(read(join(ROOT, 'test/fixtures/connect/from-the-reference.json')));
  expect(result.failure).toBeUndefined();
  expect(result.observations.map((o) => o.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'PASSED']);
  expect(result.log).toContain('Queue name: PasswordReset');
});

it('what the runner logs never holds a temporary password', async () => {
  // keypad-reset-en for an employee no other test resets (a second reset of 9000001 would meet the desk's limits).
  const text = readFileSync(join(TESTS, 'keypad-reset-en.json'), 'utf8').replaceAll('9000001', '9000011');
  const result = await run(JSON.parse(text));
  expect(result.failure).toBeUndefined();
  expect(result.passed).toBe(true);
  expect(result.log).toContain('heard: [a temporary password, not logged]');
  expect(result.log.join('\n')).not.toMatch(/Your temporary password is/);
});

it('an invalid test case fails before it runs, naming where', async () => {
  const doc = read(join(TESTS, 'agent-request.json')) as { Observations: Array<{ Event: { Type: string } }> };
  doc.Observations[0]!.Event.Type = 'Ringing';
  const result = await run(doc);
  expect(result.passed).toBe(false);
  expect(result.failure).toMatch(/\/Observations\/0\/Event/);
});

it('npm run flow:test writes a JUnit report and exits 0 when every test case passes', async () => {
  const report = join(scratch, 'report.xml');
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'cli/flow-test.ts', 'connect/tests/agent-request.json', '--junit', report], {
    cwd: ROOT,
  });
  expect(stdout).toContain('PASSED      connect/tests/agent-request.json › Queued');
  expect(stdout).toContain('1 of 1 test cases passed');
  const xml = readFileSync(report, 'utf8');
  expect(xml).toContain('<testsuite name="connect/tests/agent-request.json" tests="5" failures="0"');
}, 60_000);
