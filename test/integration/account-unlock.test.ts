/**
 * "Unlock my account" (issue #19) end to end through the twin, with the demo directory: a demo account
 * locked by wrong passwords at logon (the twin's POST /api/directory/login), the same verification
 * as a reset, then UNLOCKED — the old password logs on again, unchanged and not must-change; the
 * write-ahead audit record, AccountUnlocked (schema-valid) and the notice e-mailed; the desk's own
 * lock (lockedUntil) never lifted; wrong codes locking out exactly as for a reset, on the same budget;
 * an unknown ID's UNLOCK session indistinguishable from a RESET one. Then the leak scan.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { detailProblems } from '../support/event-validator';
import { scanForSecrets } from '../../local/retention/leak-scan';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { tableById } from '../../catalogue/table-catalogue';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../../state-machines/state-machine-catalogue';
import { DEMO_LOCKOUT_THRESHOLD } from '../../lambdas/directory/demo-directory';
import { failureBudget } from '../../lambdas/domain/failure-budget';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import type { StartResetInput } from '../../lambdas/domain/reset-session';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const issuedCodes = new Set<string>();
const employee = (i: number) => syntheticEmployee(i);
let callerSeq = 0;
const nextCaller = () => {
  callerSeq += 1;
  return `+1555888${String(callerSeq).padStart(4, '0')}`;
};
const remember = (code: string) => {
  issuedCodes.add(code);
  return code;
};
/** A right code's wrong twin. */
const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
const OLD_PASSWORD = 'Old-Passw0rd-Kept';

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 20 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

/** A logon through the twin's demo directory API, as an employee (or the console) does. */
async function login(employeeId: string, password: string): Promise<{ ok: boolean; mustChangePassword: boolean; reason?: string }> {
  const res = await fetch(`${twin.url}/api/directory/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ employeeId, password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { ok: boolean; mustChangePassword: boolean; reason?: string };
}

/** Gives a demo employee a password of their own (not a temporary one), as if they had set it. */
async function ownPassword(employeeId: string): Promise<void> {
  await driver.directory.setTemporaryPassword({ employeeId }, OLD_PASSWORD, {
    mustChange: false,
    expiresAt: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString(),
  });
}

/** Sets employee fields directly, as a directory administrator (or an earlier lock) would have. */
async function setEmployee(employeeId: string, fields: Record<string, unknown>): Promise<void> {
  const names = Object.keys(fields);
  await driver.db.send(
    new UpdateCommand({
      TableName: tableById('Employees').tableName,
      Key: { employeeId },
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, fields[n]])),
    }),
  );
}

/** Runs a workflow as its caller does and returns its output with the names of the states it went through. */
async function traced(workflow: string, input: unknown): Promise<{ output: Record<string, unknown>; states: string[] }> {
  const out = await driver.sfn.send(
    new StartSyncExecutionCommand({ stateMachineArn: twin.stepFunctions.machineArn(workflow), input: JSON.stringify(input) }),
  );
  expect(out.status).toBe('SUCCEEDED');
  const states = twin.stepFunctions
    .describeExecution(out.executionArn!)
    .history.filter((e) => e.type?.endsWith('StateEntered'))
    .map((e) => e.stateEnteredEventDetails!.name!);
  return { output: JSON.parse(out.output!), states };
}

describe('the demo directory locks after wrong passwords at logon', () => {
  it(`${DEMO_LOCKOUT_THRESHOLD} consecutive wrong passwords lock the account (status LOCKED); a success in between starts the count again`, async () => {
    const e = employee(0);
    await ownPassword(e.employeeId);
    for (let i = 0; i < DEMO_LOCKOUT_THRESHOLD - 1; i += 1) expect(await login(e.employeeId, `Wrong-${i}`)).toMatchObject({ ok: false });
    expect(await login(e.employeeId, OLD_PASSWORD)).toEqual({ ok: true, mustChangePassword: false });
    expect((await driver.employee(e.employeeId))?.failedLogins).toBeUndefined();
    for (let i = 0; i < DEMO_LOCKOUT_THRESHOLD - 1; i += 1)
      expect(await login(e.employeeId, `Wrong-${i}`)).toEqual({ ok: false, mustChangePassword: false, reason: 'INVALID_CREDENTIALS' });
    expect((await driver.employee(e.employeeId))?.status).toBe('ACTIVE');
    expect(await login(e.employeeId, 'Wrong-last')).toEqual({ ok: false, mustChangePassword: false, reason: 'INVALID_CREDENTIALS' });
    expect(await driver.employee(e.employeeId)).toMatchObject({ status: 'LOCKED', failedLogins: DEMO_LOCKOUT_THRESHOLD });
    // Now even the right password is refused, as a locked directory account is.
    expect(await login(e.employeeId, OLD_PASSWORD)).toEqual({ ok: false, mustChangePassword: false, reason: 'ACCOUNT_LOCKED' });
  });
});

describe('password-reset-start and password-reset-verify with action UNLOCK', () => {
  it('a locked demo account, unlocked by phone: UNLOCKED, the old password logs on again (not must-change), audited, AccountUnlocked, notice e-mailed', async () => {
    const e = employee(1);
    await ownPassword(e.employeeId);
    for (let i = 0; i < DEMO_LOCKOUT_THRESHOLD; i += 1) await login(e.employeeId, `Wrong-${i}`);
    expect(await login(e.employeeId, OLD_PASSWORD)).toMatchObject({ ok: false, reason: 'ACCOUNT_LOCKED' });
    const before = (await driver.employee(e.employeeId))!;
    expect(before.status).toBe('LOCKED');

    const callerNumber = nextCaller();
    const start = await driver.start({ employeeId: e.employeeId, callerNumber, action: 'UNLOCK' });
    expect(start).toEqual({ status: 'CODE_SENT', sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await driver.session(start.sessionId)).toMatchObject({ action: 'UNLOCK', state: 'AWAITING_CODE', attemptsLeft: 3 });
    // The code goes where a reset's goes (the recovery mobile by text).
    const code = remember(await driver.latestCode(e));

    // An unlock answers with its status only: no password, nothing to read out.
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'UNLOCKED' });

    const after = (await driver.employee(e.employeeId))!;
    expect(after.status).toBe('ACTIVE');
    expect(after.failedLogins).toBeUndefined();
    // The password is the very same: same hash, same flags, same expiry; not the desk's lock either.
    expect(after).toMatchObject({
      passwordHash: before.passwordHash,
      mustChangePassword: false,
      passwordExpiresAt: before.passwordExpiresAt,
    });
    expect(after.lockedUntil).toBeUndefined();
    expect(await login(e.employeeId, OLD_PASSWORD)).toEqual({ ok: true, mustChangePassword: false });
    expect(await driver.session(start.sessionId)).toMatchObject({ state: 'COMPLETED' });
    // Used once: the same code again is a completed session's answer.
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'EXPIRED' });

    const audit = await driver.audit(e.employeeId);
    expect(audit.slice(0, 3).map((a) => `${a.step}:${a.outcome}:${a.reason}`)).toEqual([
      'VERIFY:EXPIRED:SESSION_COMPLETED',
      'VERIFY:UNLOCKED:AUTHORIZED',
      'START:CODE_SENT:OK',
    ]);
    expect(JSON.stringify(audit)).not.toContain(code);

    await twin.settle();
    const events = (await driver.archivedEvents()).filter((ev) => ev.detail.sessionId === start.sessionId);
    const unlocked = events.filter((ev) => ev['detail-type'] === 'AccountUnlocked');
    expect(unlocked).toHaveLength(1);
    expect(detailProblems('AccountUnlocked', unlocked[0]!.detail)).toEqual([]);
    expect(unlocked[0]!.detail).toMatchObject({
      employeeId: e.employeeId,
      sessionId: start.sessionId,
      callerNumberMasked: expect.any(String),
    });
    expect(events.map((ev) => ev['detail-type'])).not.toContain('PasswordReset');

    // The notice goes to the employee's own mailbox, in their locale: when, the number ending, whom to call.
    const notice = driver.inbox(e.email).at(-1)!;
    expect(notice.subject).toBe('Your account was unlocked by phone');
    expect(notice.body.text).toContain('Your password has not changed');
    expect(notice.body.text).toContain(`from a number ending in ${callerNumber.slice(-2)}`);
    expect(notice.body.text).toContain('If this was not you, call the security team now at +18005550100.');
    expect(notice.body.text).not.toContain(code);
    expect(twin.metrics.all().some((s) => s.name === 'AccountUnlocked' && s.sum >= 1)).toBe(true);
  });

  it('npm run audit -- --type UNLOCKED lists the unlock, and the console API filters it the same', async () => {
    const e = employee(1);
    const res = await fetch(`${twin.url}/api/audit?employeeId=${e.employeeId}&type=UNLOCKED&from=1h`);
    const page = (await res.json()) as { records: Array<Record<string, string>> };
    expect(page.records.map((r) => `${r.outcome}:${r.reason}`)).toEqual(['UNLOCKED:AUTHORIZED']);
    const run = promisify(execFile);
    const { stdout } = await run(
      'npx',
      ['tsx', 'cli/audit.ts', '--type', 'UNLOCKED', '--employee', e.employeeId, '--since', '1d', '--format', 'json'],
      { cwd: resolve(__dirname, '../..'), env: { ...process.env, HELPDESK_URL: twin.url } },
    );
    const records = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.employeeId, r.outcome, r.reason])).toEqual([[e.employeeId, 'UNLOCKED', 'AUTHORIZED']]);
  });

  it('an unlock never lifts the desk’s own lock: an expired lockedUntil stays as it was', async () => {
    const e = employee(2);
    const expiredLock = new Date(Date.now() - 60_000).toISOString();
    await setEmployee(e.employeeId, { status: 'LOCKED', lockedUntil: expiredLock });
    const start = await driver.start({ employeeId: e.employeeId, callerNumber: nextCaller(), action: 'UNLOCK' });
    const code = remember(await driver.latestCode(e));
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'UNLOCKED' });
    expect(await driver.employee(e.employeeId)).toMatchObject({ status: 'ACTIVE', lockedUntil: expiredLock });
  });

  it('while the desk’s lock runs, an UNLOCK start opens a void session: no code, and nothing a code can do', async () => {
    const e = employee(3);
    const runningLock = new Date(Date.now() + 20 * 60_000).toISOString();
    await setEmployee(e.employeeId, { status: 'LOCKED', lockedUntil: runningLock });
    const texts = driver.texts(e.mobile!).length;
    const start = await driver.start({ employeeId: e.employeeId, callerNumber: nextCaller(), action: 'UNLOCK' });
    expect(start.status).toBe('CODE_SENT');
    await twin.settle();
    expect(driver.texts(e.mobile!)).toHaveLength(texts);
    expect((await driver.audit(e.employeeId))[0]).toMatchObject({ outcome: 'REJECTED', reason: 'EMPLOYEE_LOCKED' });
    expect(await driver.verify(start.sessionId, '123456')).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await driver.employee(e.employeeId)).toMatchObject({ status: 'LOCKED', lockedUntil: runningLock });
  });

  it('wrong codes lock out exactly as for a reset, on the same failure budget; the directory lock stays', async () => {
    const e = employee(4);
    await setEmployee(e.employeeId, { status: 'LOCKED' });
    const start = await driver.start({ employeeId: e.employeeId, callerNumber: nextCaller(), action: 'UNLOCK' });
    const right = remember(await driver.latestCode(e));
    const wrong = wrongFor(right);
    expect(await driver.verify(start.sessionId, wrong)).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await driver.verify(start.sessionId, wrong)).toEqual({ status: 'INVALID', attemptsLeft: 1 });
    expect(await driver.verify(start.sessionId, wrong)).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    expect(await driver.verify(start.sessionId, right)).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    const locked = (await driver.employee(e.employeeId))!;
    expect(Date.parse(locked.lockedUntil!) - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    expect(locked.status).toBe('LOCKED');
    expect(locked.activeSessionId).toBeUndefined();
    // The employee's wrong codes of the day: the same counter a reset's spend.
    const budget = failureBudget(e.employeeId, new Date(), DEFAULT_POLICY);
    const day = await driver.db.send(
      new GetCommand({ TableName: tableById('RateLimits').tableName, Key: { counterKey: budget.employeeDayKey }, ConsistentRead: true }),
    );
    expect(day.Item?.count).toBe(3);
    await twin.settle();
    const lockouts = (await driver.archivedEvents()).filter(
      (ev) => ev['detail-type'] === 'AccountLocked' && ev.detail.employeeId === e.employeeId,
    );
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]!.detail).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS', sessionId: start.sessionId });
    // A new UNLOCK start during the lock: a void session, no code.
    const texts = driver.texts(e.mobile!).length;
    const again = await driver.start({ employeeId: e.employeeId, callerNumber: nextCaller(), action: 'UNLOCK' });
    expect(again.status).toBe('CODE_SENT');
    await twin.settle();
    expect(driver.texts(e.mobile!)).toHaveLength(texts);
  });

  it('a RESET session serves a directory-locked employee too (the verification is the same); the reset unlocks as well', async () => {
    const e = employee(5);
    await setEmployee(e.employeeId, { status: 'LOCKED' });
    const start = await driver.start({ employeeId: e.employeeId, callerNumber: nextCaller() });
    expect(await driver.session(start.sessionId)).toMatchObject({ action: 'RESET' });
    const code = remember(await driver.latestCode(e));
    const verified = await driver.verify(start.sessionId, code);
    expect(verified.status).toBe('RESET');
    issuedCodes.add(verified.password!);
    // Reset and unlock, as Entra SSPR does: locked out after guessing a forgotten password, they need both.
    expect((await driver.employee(e.employeeId))?.status).toBe('ACTIVE');
    expect(await driver.directory.login(e.employeeId, verified.password!)).toEqual({ ok: true, mustChangePassword: true });
  });

  it('an unknown ID: an UNLOCK session answers exactly as a RESET session does, state by state', async () => {
    const run = async (employeeId: string, action: StartResetInput['action']) => {
      const contactId = `contact-${employeeId}`;
      const start = await traced(START_WORKFLOW, { contactId, employeeId, callerNumber: nextCaller(), locale: 'en-US', action });
      expect(start.output).toEqual({ status: 'CODE_SENT', sessionId: expect.any(String) });
      const verifies = [];
      for (const code of ['123456', '234567', '345678', '456789'])
        verifies.push(
          await traced(VERIFY_WORKFLOW, {
            sessionId: start.output.sessionId,
            code,
            contactId,
            respondBy: WorkflowDriver.patientCaller(),
          }),
        );
      return { start, verifies };
    };
    const reset = await run('7777781', 'RESET');
    const unlock = await run('7777782', 'UNLOCK');
    expect(unlock.start.states).toEqual(reset.start.states);
    expect(unlock.verifies.map((v) => v.output)).toEqual(reset.verifies.map((v) => v.output));
    expect(unlock.verifies.map((v) => v.states)).toEqual(reset.verifies.map((v) => v.states));
    expect(unlock.verifies.map((v) => v.output)).toEqual([
      { status: 'INVALID', attemptsLeft: 2 },
      { status: 'INVALID', attemptsLeft: 1 },
      { status: 'LOCKED', attemptsLeft: 0 },
      { status: 'LOCKED', attemptsLeft: 0 },
    ]);
    // And a known, eligible ID's UNLOCK start goes through the same steps as its RESET start would.
    const known = await traced(START_WORKFLOW, {
      contactId: 'contact-known',
      employeeId: employee(6).employeeId,
      callerNumber: nextCaller(),
      locale: 'en-US',
      action: 'UNLOCK',
    });
    const knownReset = await traced(START_WORKFLOW, {
      contactId: 'contact-known-2',
      employeeId: employee(7).employeeId,
      callerNumber: nextCaller(),
      locale: 'en-US',
    });
    expect(known.states).toEqual(knownReset.states);
    await twin.settle();
  });

  it('an unknown action is invalid input (UNAVAILABLE, audited), never a reset; a channel preference is passed to the code request', async () => {
    const bad = await driver.start({ employeeId: employee(8).employeeId, callerNumber: nextCaller(), action: 'DELETE' as never });
    expect(bad.status).toBe('UNAVAILABLE');
    expect((await driver.audit('-'))[0]).toMatchObject({ outcome: 'REJECTED', reason: 'INVALID_INPUT' });
    const e = employee(9);
    const start = await driver.start({
      employeeId: e.employeeId,
      callerNumber: nextCaller(),
      action: 'UNLOCK',
      channelPreference: 'EMAIL',
    });
    remember(await driver.latestCode(e, 'EMAIL'));
    await twin.settle();
    const requested = (await driver.archivedEvents()).find(
      (ev) => ev['detail-type'] === 'VerificationCodeRequested' && ev.detail.sessionId === start.sessionId,
    )!;
    expect(requested.detail.channelPreference).toBe('EMAIL');
    expect(detailProblems('VerificationCodeRequested', requested.detail)).toEqual([]);
  });

  it('every event delivered matches its versioned schema', async () => {
    await twin.settle();
    const events = await driver.archivedEvents();
    for (const event of events.filter((ev) => (ev as { source?: string }).source === 'support-desk.password-reset'))
      expect([event['detail-type'], detailProblems(event['detail-type'], event.detail)]).toEqual([event['detail-type'], []]);
    expect(new Set(events.map((ev) => ev['detail-type']))).toContain('AccountUnlocked');
  });
});

describe('security rules 1 and 2: nothing retained holds a code or a password', () => {
  it('finds no issued code or password in the data folder (message stores aside, for codes) or the tables', async () => {
    expect(issuedCodes.size).toBeGreaterThanOrEqual(5);
    await twin.settle();
    await twin.data.flush();
    expect(
      await scanForSecrets({ dataDir: twin.data.root, dynamodbEndpoint: twin.endpoints.dynamodb, secrets: [...issuedCodes, OLD_PASSWORD] }),
    ).toEqual([]);
  });
});
