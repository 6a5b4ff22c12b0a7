/**
 * The flow runner beyond the happy paths: a Lambda that misses its time limit (→ agent), a full
 * queue, the flow check on good and broken flows, and the seed flow exported from a real Connect
 * instance running to its first Lex turn with its Lambdas mapped to project handlers.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { Phone } from '../../local/softphone/phone';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { validateFlow } from '../../local/connect/flow-validator';
import type { FlowMapping } from '../../local/connect/flow-mapping';
import { fakeClock } from '../support/fake-clock';
import { scratchDir } from '../support/scratch-dir';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
// A flow exported from a real Connect instance (copied from the project's shared fixtures).
const SEED = resolve(ROOT, 'test/fixtures/connect/seed-contact-flow.json');
// Its bots, functions and queue, mapped onto the project's.
const SEED_MAPPING = resolve(ROOT, 'test/fixtures/connect/seed-mapping.json');
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
const scratch = scratchDir('support-desk-files-');
// Time limits and injected delays run on this clock: the test moves it instead of waiting 8 s.
const clock = fakeClock();

beforeAll(async () => {
  // The verify workflow call itself would wait 20 s: only the flow's 8-second Lambda limit can end it.
  twin = await startTestTwin({ clock, seedEmployees: 5, environment: { WORKFLOW_TIMEOUT_MS: '20000' } });
});
afterAll(() => twin.cleanup());

it('a Lambda that misses the 8-second limit takes the error branch to an agent', async () => {
  const employee = syntheticEmployee(0);
  const driver = new WorkflowDriver(twin);
  const p = new Phone(twin.url);
  await p.dial('+15555553001', 'en-US');
  await p.key('1');
  await p.key(`${employee.employeeId}#`);
  await p.key('1');
  await p.key('1');
  const code = await driver.latestCode(employee);
  twin.faults.inject({ service: 'stepfunctions', operation: 'StartSyncExecution', delayMs: 9_500, count: 1 });
  const timers = clock.countTimers();
  const answer = p.key(`${code}#`);
  // Wait until the call is blocked on the slow workflow: the flow's limit, Lambda's timeout and the delay are set.
  while (clock.countTimers() < timers + 3) await new Promise((resolve) => setTimeout(resolve, 5));
  let answered = false;
  void answer.then(() => {
    answered = true;
  });
  clock.tick(7_999);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(answered).toBe(false);
  clock.tick(1);
  const out = await answer;
  expect(out).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset' });
  expect(out.prompts.map((x) => x.text)).toEqual([
    "Sorry, I couldn't check your code right now.",
    'Please hold while I connect you to an agent.',
  ]);
  // Let the delayed workflow call through, as it eventually would be.
  clock.tick(2_000);
  twin.faults.clear();
  driver.close();
});

it('a full queue says so and disconnects', async () => {
  twin.calls.setQueueCapacity(0);
  try {
    const p = new Phone(twin.url);
    await p.dial('+15555553002', 'en-US');
    const out = await p.say('agent');
    expect(out).toMatchObject({ ended: true, disposition: 'DISCONNECTED' });
    expect(out.prompts.at(-1)!.text).toContain('All of our agents are busy');
  } finally {
    twin.calls.setQueueCapacity(Number.POSITIVE_INFINITY);
  }
});

describe('flow:check', () => {
  it('passes every flow in connect/ and the seed export (the synthesized flow: test/infra/cdk-synth.test.ts)', async () => {
    const flows = readdirSync(resolve(ROOT, 'connect/flows'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `connect/flows/${f}`);
    expect(flows.length).toBeGreaterThan(0);
    const { stdout } = await run('npx', ['tsx', 'local/connect/flow-check.ts', ...flows, SEED], { cwd: ROOT });
    for (const flow of flows) expect(stdout).toContain(`${flow}: ok`);
    expect(stdout).toContain('seed-contact-flow.json: ok (24 actions)');
  });

  it('fails a broken flow naming the action and the reason', async () => {
    const flow = JSON.parse(readFileSync(resolve(ROOT, 'connect/flows/password-reset.json'), 'utf8'));
    flow.Actions.find((a: { Identifier: string }) => a.Identifier === 'greeting').Transitions.NextAction = 'nowhere';
    flow.Actions.find((a: { Identifier: string }) => a.Identifier === 'menu-retry').Type = 'PlayJingle';
    flow.Actions.find((a: { Identifier: string }) => a.Identifier === 'thanks').Parameters.SSML = '$.Attributes';
    flow.Actions.push({ Identifier: 'orphan', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });
    const file = join(scratch, 'broken-flow.json');
    writeFileSync(file, JSON.stringify(flow));
    const failed = await run('npx', ['tsx', 'local/connect/flow-check.ts', file], { cwd: ROOT }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('greeting: transition to missing action nowhere');
    expect(failed?.stderr).toContain('menu-retry: action type PlayJingle is not supported by the runner');
    expect(failed?.stderr).toContain('thanks: malformed reference $.Attributes');
    expect(failed?.stderr).toContain('orphan: unreachable from StartAction');
  });

  it('--tests checks the test cases of connect/tests, and fails a broken one naming where and why', async () => {
    const { stdout } = await run('npx', ['tsx', 'local/connect/flow-check.ts', '--tests'], { cwd: ROOT });
    expect(stdout).toContain('connect/tests/agent-request.json: ok');
    const broken = JSON.parse(readFileSync(resolve(ROOT, 'connect/tests/agent-request.json'), 'utf8'));
    broken.Observations[2].Actions[0].Parameters.Instruction.Type = 'KeyPress';
    const file = join(scratch, 'broken-test-case.json');
    writeFileSync(file, JSON.stringify(broken));
    const failed = await run('npx', ['tsx', 'local/connect/flow-check.ts', '--tests', file], { cwd: ROOT }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('/Observations/2/Actions/0/Parameters/Instruction/Type: unsupported: "KeyPress"');
  });

  it('rejects what is not a flow', () => {
    expect(validateFlow([])).toEqual([{ identifier: '(flow)', reason: 'not a JSON object' }]);
    expect(validateFlow({ Version: '2019-10-30', Actions: [] })).toContainEqual({
      identifier: '(flow)',
      reason: 'Actions must be a non-empty array',
    });
  });
});

describe('the seed flow exported from Connect', () => {
  it('runs a whole reset call, unchanged, with its bots, functions and queue mapped onto the project', async () => {
    const employee = syntheticEmployee(1);
    const driver = new WorkflowDriver(twin);
    const mapping = JSON.parse(readFileSync(SEED_MAPPING, 'utf8')) as FlowMapping;
    twin.calls.load('seed', readFileSync(SEED, 'utf8'), { mapping });
    const call = await twin.calls.startCall({ from: '+15555553003', flow: 'seed' });
    const say = (input: { text?: string; dtmf?: string }) => twin.calls.input(call.contactId, input);
    expect(call).toMatchObject({ ended: false, awaiting: 'voice_or_dtmf' });
    expect(call.prompts.map((p) => p.text)).toEqual([
      'Thank you for calling the Support Desk.',
      expect.stringContaining('To reset your password'),
    ]);
    // Its conditions name lower-case intents ("passwordReset"): the mapping translates them.
    const menu = await say({ text: 'reset my password' });
    expect(menu.prompts.map((p) => p.text)).toEqual([
      expect.stringContaining('To protect your account'),
      expect.stringContaining('employee ID'),
    ]);
    expect((await say({ dtmf: `${employee.employeeId}#` })).prompts[0]!.text).toContain(`I heard ${employee.employeeId}`);
    expect((await say({ dtmf: '1' })).prompts[0]!.text).toContain('by text or by email');
    expect((await say({ dtmf: '1' })).prompts[0]!.text).toContain('we just sent a six-digit code');
    // The code closes the bot; its "valid" check and its Lambda (mapped to verify-code) reset the password.
    const reset = await say({ dtmf: `${await driver.latestCode(employee)}#` });
    expect(reset.prompts.map((p) => p.text)).toEqual([expect.stringContaining('Here is your temporary password')]);
    const end = await say({ text: 'no thank you' });
    expect(end).toMatchObject({ ended: true, disposition: 'DISCONNECTED' });
    expect(end.prompts.map((p) => p.text)).toEqual([expect.stringContaining('Your password has been reset')]);
    const audit = await driver.audit(employee.employeeId);
    expect(audit.map((r) => `${r.step}:${r.outcome}`)).toContain('VERIFY:RESET');
    // The seed copies $.External.password into a contact attribute; verify-code never returns one.
    const record = (await retainedRecords(twin, 'contactRecords')).find((r) => r.ContactId === call.contactId);
    expect(record.Attributes.password).toBeUndefined();
    driver.close();
  });
});

describe('event hooks', () => {
  const withHook = (target: string) =>
    JSON.stringify({
      Version: '2019-10-30',
      StartAction: 'hook',
      Actions: [
        {
          Identifier: 'hook',
          Type: 'UpdateContactEventHooks',
          Parameters: { EventHooks: { CustomerRemaining: target } },
          Transitions: { NextAction: 'bye', Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }] },
        },
        { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ],
    });

  it('a flow naming a disconnect flow the instance does not have is refused at load; one it has, by ARN, loads', () => {
    const missing = `${twin.calls.flowArn('no-such-flow')}`;
    expect(() => twin.calls.load('hooked', withHook(missing))).toThrow(`hook: names flow ${missing}, which this instance does not have`);
    expect(twin.calls.flowNames()).not.toContain('hooked');
    twin.calls.load('hooked', withHook(twin.calls.flowArn('agent-readout')));
    expect(twin.calls.flowNames()).toContain('hooked');
  });
});
