/**
 * "Unlock my account" where the directory cannot unlock: a twin configured as a Cognito deployment
 * (DIRECTORY=cognito; a user pool keeps no lock an administrator can clear, see
 * lambdas/directory/cognito-directory.ts). get-prompts tells the flow so before anyone is verified
 * (unlockSupported "false"); an UNLOCK session verified anyway answers UNLOCK_UNSUPPORTED: nothing
 * done, audited with its reason after the write-ahead record, the session verifiable again, no
 * AccountUnlocked. No Cognito call is made (there is no Cognito emulator, and none is needed).
 * A file of its own: handlers read DIRECTORY once, at cold start, and the twin loads them per test file.
 */
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { detailProblems } from '../support/event-validator';
import { syntheticEmployee } from '../../local/seed/demo-employees';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;

beforeAll(async () => {
  twin = await startTestTwin({
    seedEmployees: 2,
    environment: { DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123' },
  });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

it('get-prompts says unlock is not supported here, for every caller, with the prompts', async () => {
  const event = { Details: { Parameters: { FlowName: 'password-reset', Locale: 'es-US' }, ContactData: { Attributes: {} } } };
  const out = await twin.lambdas.invoke('get-prompts', event);
  expect(out).toMatchObject({ ok: true, payload: { statusCode: '200', locale: 'es-US', unlockSupported: 'false' } });
});

it('an UNLOCK session verified anyway: UNLOCK_UNSUPPORTED, nothing done, audited after the write-ahead record, the session verifiable again', async () => {
  const e = syntheticEmployee(0);
  const start = await driver.start({ employeeId: e.employeeId, callerNumber: '+15555556001', action: 'UNLOCK' });
  const code = await driver.latestCode(e);
  const before = await driver.employee(e.employeeId);
  expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'UNLOCK_UNSUPPORTED' });
  expect(await driver.employee(e.employeeId)).toEqual(before);
  expect((await driver.audit(e.employeeId)).slice(0, 2).map((a) => `${a.outcome}:${a.reason}`)).toEqual([
    'UNLOCK_UNSUPPORTED:DIRECTORY_CANNOT_UNLOCK',
    'UNLOCKED:AUTHORIZED',
  ]);
  // Nothing happened, so the attempt is given back, as when the directory is down.
  expect(await driver.session(start.sessionId)).toMatchObject({ state: 'AWAITING_CODE', attempts: 1, attemptsLeft: 3 });
  await twin.settle();
  const events = (await driver.archivedEvents()).filter((ev) => ev.detail.sessionId === start.sessionId);
  expect(events.map((ev) => ev['detail-type'])).not.toContain('AccountUnlocked');
  const failed = events.find((ev) => ev['detail-type'] === 'VerificationFailed')!;
  expect(failed.detail).toMatchObject({ reason: 'DIRECTORY_CANNOT_UNLOCK' });
  expect(detailProblems('VerificationFailed', failed.detail)).toEqual([]);
  expect(driver.inbox(e.email)).toHaveLength(0);
});
