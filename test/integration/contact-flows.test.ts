/**
 * The flow runner beyond the happy paths: a Lambda that misses its time limit (→ agent), a full
 * queue, the flow check on good and broken flows, and the seed flow exported from a real Connect
 * instance running to its first Lex turn with its Lambdas mapped to project handlers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestTwin } from '../support/test-twin';
import { Phone } from '../support/phone';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { validateFlow } from '../../local/connect/flow-validator';
import { fakeClock } from '../support/fake-clock';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
// A flow exported from a real Connect instance (copied from the project's shared fixtures).
const SEED = resolve(ROOT, 'test/fixtures/connect/seed-contact-flow.json');
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
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
  twin.faults.inject({ service: 'stepfunctions', operation: 'StartSyncExecution', delayMs: 9_500, count: 1 });
  const timers = clock.countTimers();
  const answer = p.key(`${driver.latestCode(employee.email)}#`);
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
  it('passes the project flow and the seed fixture', async () => {
    const { stdout } = await run('npx', ['tsx', 'local/connect/flow-check.ts', 'connect/flows/password-reset.json', SEED], { cwd: ROOT });
    expect(stdout).toContain('connect/flows/password-reset.json: ok');
    expect(stdout).toContain('seed-contact-flow.json: ok (24 actions)');
  });

  it('fails a broken flow naming the action and the reason', async () => {
    const flow = JSON.parse(readFileSync(resolve(ROOT, 'connect/flows/password-reset.json'), 'utf8'));
    flow.Actions.find((a: { Identifier: string }) => a.Identifier === 'greeting').Transitions.NextAction = 'nowhere';
    flow.Actions.find((a: { Identifier: string }) => a.Identifier === 'menu-retry').Type = 'PlayJingle';
    flow.Actions.find((a: { Identifier: string }) => a.Identifier === 'thanks').Parameters.SSML = '$.Attributes';
    flow.Actions.push({ Identifier: 'orphan', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });
    const file = join(mkdtempSync(join(tmpdir(), 'flow-check-')), 'broken.json');
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

  it('rejects what is not a flow', () => {
    expect(validateFlow([])).toEqual([{ identifier: '(flow)', reason: 'not a JSON object' }]);
    expect(validateFlow({ Version: '2019-10-30', Actions: [] })).toContainEqual({
      identifier: '(flow)',
      reason: 'Actions must be a non-empty array',
    });
  });
});

describe('the seed flow exported from Connect', () => {
  it('runs to its first Lex turn with its Lambda ARNs mapped to project handlers', async () => {
    twin.lambdas.alias('connect101-get-prompts', 'get-prompts');
    twin.calls.load('seed', readFileSync(SEED, 'utf8'), {
      botAliases: {
        'arn:aws:lex:us-east-1:025713692514:bot-alias/DLKIQK8DMO/TSTALIASID': 'help-desk-menu',
        'arn:aws:lex:us-east-1:025713692514:bot-alias/X38EI8SGFH/TSTALIASID': 'employee-authentication-bot',
      },
    });
    const first = await twin.calls.startCall({ from: '+15555553003', flow: 'seed' });
    expect(first).toMatchObject({ ended: false, awaiting: 'voice_or_dtmf' });
    expect(first.prompts.map((p) => p.text)).toEqual([
      'Thank you for calling the Support Desk.',
      expect.stringContaining('To reset your password'),
    ]);
    // Its menu conditions name lower-case intents; ours are PascalCase, so it falls to its retry branch.
    const second = await twin.calls.input(first.contactId, { text: 'reset my password' });
    expect(second.prompts[0]!.text).toBe("Sorry, I didn't get that.");
    await twin.calls.hangUp(first.contactId);
  });
});
