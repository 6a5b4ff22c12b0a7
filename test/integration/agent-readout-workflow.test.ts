/**
 * The agent readout form of password-reset-verify (issue #20), on the twin's real ASL: after an agent's
 * right code (a VERIFY session COMPLETED on the call, by that agent), the caller, moved to the readout
 * flow, gets the reset or unlock the agent asked for, exactly once, through the same states as a right
 * code (write-ahead audit, deadline, ReopenSession, events), recorded as the agent. Anything else is
 * NOT_AUTHORIZED (no attempt spent, nothing done in the directory), another call the OtherCall answer,
 * an expired session EXPIRED, a malformed input the InvalidInput answer. Then the leak scan.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { detailProblems } from '../support/event-validator';
import { scanForSecrets } from '../../local/retention/leak-scan';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { tableById } from '../../catalogue/table-catalogue';
import { DEMO_LOCKOUT_THRESHOLD } from '../../lambdas/directory/demo-directory';
import { passwordFromReadout } from '../../lambdas/domain/password-readout';
import type { EmployeeItem } from '../../lambdas/domain/employee';
import type { ResetAction } from '../../lambdas/domain/reset-session';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const issuedCodes = new Set<string>();
const issuedPasswords = new Set<string>();
let callerSeq = 0;
const nextCaller = () => `+1555444${String(++callerSeq).padStart(4, '0')}`;
let employeeSeq = 0;
/** A fresh employee per use: the per-ID start limit never bites. */
const nextEmployee = () => syntheticEmployee(++employeeSeq);

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 30 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

interface Verified {
  sessionId: string;
  contactId: string;
  code: string;
}

/** The agent API's start for `action` (VERIFY by default) and the caller's code as the agent types it. */
async function startedByAgent(employee: EmployeeItem, agentId: string, action: ResetAction = 'VERIFY'): Promise<Verified> {
  const contactId = `contact-readout-${employee.employeeId}-${callerSeq + 1}`;
  const start = await driver.start({
    employeeId: employee.employeeId,
    callerNumber: nextCaller(),
    contactId,
    action,
    actor: 'agent',
    agentId,
  });
  expect(start.status).toBe('CODE_SENT');
  const code = await driver.latestCode(employee);
  issuedCodes.add(code);
  return { sessionId: start.sessionId, contactId, code };
}

/** The agent's right code: VERIFIED, the session COMPLETED with the agent's identity. */
async function verifiedByAgent(employee: EmployeeItem, agentId: string): Promise<Verified> {
  const v = await startedByAgent(employee, agentId);
  expect(await driver.verifyAs({ actor: 'agent', agentId }, v.sessionId, v.code, v.contactId)).toEqual({ status: 'VERIFIED' });
  expect(await driver.session(v.sessionId)).toMatchObject({ state: 'COMPLETED', action: 'VERIFY', agentId, attemptsLeft: 2 });
  return v;
}

/** What the directory holds that a reset or an unlock would change. */
async function directoryState(employeeId: string) {
  const e = (await driver.employee(employeeId))!;
  return {
    passwordHash: e.passwordHash,
    mustChangePassword: e.mustChangePassword,
    passwordExpiresAt: e.passwordExpiresAt,
    status: e.status,
  };
}

/** The newest audit record of the session. */
async function lastAudit(employeeId: string, sessionId: string): Promise<Record<string, string>> {
  return (await driver.audit(employeeId)).find((r) => r.sessionId === sessionId)!;
}

/** A refused readout: the answer, its audit record as the agent, no attempt spent, no claim, nothing in the directory. */
async function expectRefused(
  employee: EmployeeItem,
  v: Verified,
  run: () => Promise<unknown>,
  answer: { status: string },
  audit: { outcome: string; reason: string; agentId: string },
): Promise<void> {
  const sessionBefore = await driver.session(v.sessionId);
  const directoryBefore = await directoryState(employee.employeeId);
  expect(await run()).toEqual(answer);
  expect(await lastAudit(employee.employeeId, v.sessionId)).toMatchObject({ step: 'VERIFY', actor: 'agent', ...audit });
  expect(await driver.session(v.sessionId)).toEqual(sessionBefore);
  expect(await directoryState(employee.employeeId)).toEqual(directoryBefore);
}

async function eventsOf(sessionId: string) {
  await twin.settle();
  return (await driver.archivedEvents()).filter((e) => e.detail.sessionId === sessionId);
}

describe('password-reset-verify, the agent readout form', () => {
  it('after the agent verified the caller, readout RESET: a password that logs on once, must change; audited and PasswordReset as the agent', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r1');
    const before = await directoryState(employee.employeeId);

    const out = await driver.readout(v.sessionId, 'agent-r1', 'RESET');
    expect(Object.keys(out).sort()).toEqual(['password', 'passwordSsml', 'status']);
    expect(out.status).toBe('RESET');
    const password = out.password!;
    issuedPasswords.add(password);
    expect(passwordFromReadout(out.passwordSsml!)).toBe(password);
    expect((await directoryState(employee.employeeId)).passwordHash).not.toEqual(before.passwordHash);
    expect(await driver.directory.login(employee.employeeId, password)).toEqual({ ok: true, mustChangePassword: true });

    // The session is claimed, once; no attempt was spent by the readout.
    expect(await driver.session(v.sessionId)).toMatchObject({
      state: 'COMPLETED',
      attemptsLeft: 2,
      readoutAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // The write-ahead audit record, as the agent, after the agent's start and verification.
    const records = (await driver.audit(employee.employeeId)).filter((r) => r.sessionId === v.sessionId).reverse();
    expect(records.map((r) => [r.step, r.outcome, r.reason, r.actor, r.agentId])).toEqual([
      ['START', 'CODE_SENT', 'OK', 'agent', 'agent-r1'],
      ['VERIFY', 'VERIFIED', 'AUTHORIZED', 'agent', 'agent-r1'],
      ['VERIFY', 'RESET', 'AUTHORIZED', 'agent', 'agent-r1'],
    ]);
    expect(records[2]).toMatchObject({ workflow: 'password-reset-verify', contactId: v.contactId });

    const events = await eventsOf(v.sessionId);
    const reset = events.filter((e) => e['detail-type'] === 'PasswordReset');
    expect(reset).toHaveLength(1);
    expect(detailProblems('PasswordReset', reset[0]!.detail)).toEqual([]);
    expect(reset[0]!.detail).toMatchObject({
      employeeId: employee.employeeId,
      actor: 'agent',
      agentId: 'agent-r1',
      mustChangePassword: true,
    });
    expect(JSON.stringify(events)).not.toContain(password);
  });

  it('a second readout of the same verification is NOT_AUTHORIZED (ALREADY_READ_OUT): no second password, nothing done', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r2');
    const first = await driver.readout(v.sessionId, 'agent-r2', 'RESET');
    expect(first.status).toBe('RESET');
    issuedPasswords.add(first.password!);
    for (const readout of ['RESET', 'UNLOCK'])
      await expectRefused(
        employee,
        v,
        () => driver.readout(v.sessionId, 'agent-r2', readout),
        { status: 'NOT_AUTHORIZED' },
        { outcome: 'REJECTED', reason: 'ALREADY_READ_OUT', agentId: 'agent-r2' },
      );
    expect(await driver.directory.login(employee.employeeId, first.password!)).toEqual({ ok: true, mustChangePassword: true });
    expect((await eventsOf(v.sessionId)).filter((e) => e['detail-type'] === 'PasswordReset')).toHaveLength(1);
  });

  it('another agent than the one who verified: NOT_AUTHORIZED (OTHER_AGENT); the verifying agent still can', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r3');
    await expectRefused(
      employee,
      v,
      () => driver.readout(v.sessionId, 'agent-r3b', 'RESET'),
      { status: 'NOT_AUTHORIZED' },
      { outcome: 'REJECTED', reason: 'OTHER_AGENT', agentId: 'agent-r3b' },
    );
    const out = await driver.readout(v.sessionId, 'agent-r3', 'RESET');
    expect(out.status).toBe('RESET');
    issuedPasswords.add(out.password!);
  });

  it('another call: the OtherCall answer (EXPIRED, OTHER_CALL), nothing claimed', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r4');
    await expectRefused(
      employee,
      v,
      () => driver.readout(v.sessionId, 'agent-r4', 'RESET', { contactId: 'contact-someone-else' }),
      { status: 'EXPIRED' },
      { outcome: 'EXPIRED', reason: 'OTHER_CALL', agentId: 'agent-r4' },
    );
  });

  it('before the right code (AWAITING_CODE): NOT_AUTHORIZED (NOT_VERIFIED), no attempt spent', async () => {
    const employee = nextEmployee();
    const v = await startedByAgent(employee, 'agent-r5');
    await expectRefused(
      employee,
      v,
      () => driver.readout(v.sessionId, 'agent-r5', 'RESET'),
      { status: 'NOT_AUTHORIZED' },
      { outcome: 'REJECTED', reason: 'NOT_VERIFIED', agentId: 'agent-r5' },
    );
    expect(await driver.session(v.sessionId)).toMatchObject({ state: 'AWAITING_CODE', attemptsLeft: 3 });
  });

  it("the IVR's RESET session, completed by the caller's right code: NOT_AUTHORIZED (NOT_AGENT_VERIFICATION)", async () => {
    const employee = nextEmployee();
    const contactId = `contact-ivr-${employee.employeeId}`;
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller(), contactId });
    const code = await driver.latestCode(employee);
    issuedCodes.add(code);
    const reset = await driver.verify(start.sessionId, code);
    expect(reset.status).toBe('RESET');
    issuedPasswords.add(reset.password!);
    const v = { sessionId: start.sessionId, contactId, code };
    await expectRefused(
      employee,
      v,
      () => driver.readout(v.sessionId, 'agent-r6', 'RESET'),
      { status: 'NOT_AUTHORIZED' },
      { outcome: 'REJECTED', reason: 'NOT_AGENT_VERIFICATION', agentId: 'agent-r6' },
    );
  });

  it('an employee no longer live (disabled; a newer session): NOT_AUTHORIZED (EMPLOYEE_NOT_LIVE), nothing done', async () => {
    const disabled = nextEmployee();
    const v1 = await verifiedByAgent(disabled, 'agent-r7');
    await driver.db.send(
      new UpdateCommand({
        TableName: tableById('Employees').tableName,
        Key: { employeeId: disabled.employeeId },
        UpdateExpression: 'SET #s = :d',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':d': 'DISABLED' },
      }),
    );
    await expectRefused(
      disabled,
      v1,
      () => driver.readout(v1.sessionId, 'agent-r7', 'RESET'),
      { status: 'NOT_AUTHORIZED' },
      { outcome: 'REJECTED', reason: 'EMPLOYEE_NOT_LIVE', agentId: 'agent-r7' },
    );

    const superseded = nextEmployee();
    const v2 = await verifiedByAgent(superseded, 'agent-r7');
    await startedByAgent(superseded, 'agent-r7');
    await expectRefused(
      superseded,
      v2,
      () => driver.readout(v2.sessionId, 'agent-r7', 'UNLOCK'),
      { status: 'NOT_AUTHORIZED' },
      { outcome: 'REJECTED', reason: 'EMPLOYEE_NOT_LIVE', agentId: 'agent-r7' },
    );
  });

  it('readout UNLOCK of a directory-locked employee: UNLOCKED, the account ACTIVE again, no password; AccountUnlocked as the agent', async () => {
    const employee = nextEmployee();
    for (let i = 0; i < DEMO_LOCKOUT_THRESHOLD; i += 1) await driver.directory.login(employee.employeeId, `Wrong-${i}`);
    expect(await driver.employee(employee.employeeId)).toMatchObject({ status: 'LOCKED' });
    const v = await verifiedByAgent(employee, 'agent-r8');
    const before = await directoryState(employee.employeeId);

    expect(await driver.readout(v.sessionId, 'agent-r8', 'UNLOCK')).toEqual({ status: 'UNLOCKED' });
    expect(await directoryState(employee.employeeId)).toEqual({ ...before, status: 'ACTIVE' });
    expect(await lastAudit(employee.employeeId, v.sessionId)).toMatchObject({
      outcome: 'UNLOCKED',
      reason: 'AUTHORIZED',
      actor: 'agent',
      agentId: 'agent-r8',
    });
    const unlocked = (await eventsOf(v.sessionId)).filter((e) => e['detail-type'] === 'AccountUnlocked');
    expect(unlocked).toHaveLength(1);
    expect(detailProblems('AccountUnlocked', unlocked[0]!.detail)).toEqual([]);
    expect(unlocked[0]!.detail).toMatchObject({ actor: 'agent', agentId: 'agent-r8' });
  });

  it("a malformed readout is InvalidInput's answer (UNAVAILABLE, INVALID_INPUT): the caller's form, a code with a readout, a bad action", async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r9');
    const before = await directoryState(employee.employeeId);
    // Each with who the audit records (the input's subject: an invalid input has no session yet).
    const caller = { actor: 'caller', agentId: '-' };
    const agent = { actor: 'agent', agentId: 'agent-r9' };
    const unverifiedAgent = { actor: 'agent', agentId: '?' };
    const malformed: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ actor: undefined, agentId: undefined }, caller],
      [{ actor: 'caller', agentId: undefined }, caller],
      [{ actor: 'caller', agentId: '-' }, caller],
      [{ code: v.code }, agent],
      [{ code: '' }, agent],
      [{ readout: 'reset' }, agent],
      [{ readout: 'DELETE' }, agent],
      [{ readout: 'VERIFY' }, agent],
      [{ readout: ['RESET'] }, agent],
      [{ readout: null }, agent],
      [{ agentId: 'agent r9' }, unverifiedAgent],
      [{ actor: 'agent', agentId: undefined }, unverifiedAgent],
    ];
    for (const [overrides, who] of malformed) {
      const sessionBefore = await driver.session(v.sessionId);
      const out = await driver.readout(v.sessionId, 'agent-r9', 'RESET', overrides);
      expect([overrides, out]).toEqual([overrides, { status: 'UNAVAILABLE' }]);
      expect([overrides, (await driver.audit('-'))[0]]).toEqual([
        overrides,
        expect.objectContaining({ step: 'VERIFY', outcome: 'REJECTED', reason: 'INVALID_INPUT', sessionId: '-', ...who }),
      ]);
      expect([overrides, await driver.session(v.sessionId)]).toEqual([overrides, sessionBefore]);
    }
    expect(await directoryState(employee.employeeId)).toEqual(before);
    // The code form on the verified session answers as before (completed: EXPIRED), and claims nothing.
    expect(await driver.verifyAs({ actor: 'agent', agentId: 'agent-r9' }, v.sessionId, v.code, v.contactId)).toEqual({ status: 'EXPIRED' });
    // Nothing refused above claimed the session: the right readout still acts.
    const out = await driver.readout(v.sessionId, 'agent-r9', 'RESET');
    expect(out.status).toBe('RESET');
    issuedPasswords.add(out.password!);
  });

  it('an expired session: EXPIRED (SESSION_EXPIRED), nothing done', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r10');
    await driver.expireSession(v.sessionId);
    await expectRefused(
      employee,
      v,
      () => driver.readout(v.sessionId, 'agent-r10', 'RESET'),
      { status: 'EXPIRED' },
      { outcome: 'EXPIRED', reason: 'SESSION_EXPIRED', agentId: 'agent-r10' },
    );
  });

  it('a respondBy already past: UNAVAILABLE (DEADLINE_EXCEEDED), the directory untouched, the session reopened without its claim; verified again, a readout acts', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r11');
    const before = await directoryState(employee.employeeId);
    const late = await driver.readout(v.sessionId, 'agent-r11', 'RESET', { respondBy: new Date(Date.now() - 1000).toISOString() });
    expect(late).toEqual({ status: 'UNAVAILABLE' });
    expect(await directoryState(employee.employeeId)).toEqual(before);
    const records = (await driver.audit(employee.employeeId)).filter((r) => r.sessionId === v.sessionId);
    expect(records.slice(0, 2).map((r) => [r.outcome, r.reason, r.actor, r.agentId])).toEqual([
      ['ERROR', 'DEADLINE_EXCEEDED', 'agent', 'agent-r11'],
      ['RESET', 'AUTHORIZED', 'agent', 'agent-r11'],
    ]);
    const reopened = await driver.session(v.sessionId);
    expect(reopened).toMatchObject({ state: 'AWAITING_CODE', attemptsLeft: 3 });
    expect(reopened).not.toHaveProperty('readoutAt');
    expect(reopened).not.toHaveProperty('completedAt');
    expect((await eventsOf(v.sessionId)).map((e) => e['detail-type'])).not.toContain('PasswordReset');

    // Reopened: a readout waits for the agent's right code again, then acts once.
    expect(await driver.readout(v.sessionId, 'agent-r11', 'RESET')).toEqual({ status: 'NOT_AUTHORIZED' });
    expect(await driver.verifyAs({ actor: 'agent', agentId: 'agent-r11' }, v.sessionId, v.code, v.contactId)).toEqual({
      status: 'VERIFIED',
    });
    const out = await driver.readout(v.sessionId, 'agent-r11', 'RESET');
    expect(out.status).toBe('RESET');
    issuedPasswords.add(out.password!);
    expect(await driver.directory.login(employee.employeeId, out.password!)).toEqual({ ok: true, mustChangePassword: true });
  });

  it('two concurrent readouts: exactly one RESET, the other NOT_AUTHORIZED; one PasswordReset', async () => {
    const employee = nextEmployee();
    const v = await verifiedByAgent(employee, 'agent-r12');
    const outs = await Promise.all([driver.readout(v.sessionId, 'agent-r12', 'RESET'), driver.readout(v.sessionId, 'agent-r12', 'RESET')]);
    const reset = outs.filter((o) => o.status === 'RESET');
    expect(reset).toHaveLength(1);
    issuedPasswords.add(reset[0]!.password!);
    expect(outs.filter((o) => o.status !== 'RESET')).toEqual([{ status: 'NOT_AUTHORIZED' }]);
    expect(await driver.directory.login(employee.employeeId, reset[0]!.password!)).toEqual({ ok: true, mustChangePassword: true });
    const records = (await driver.audit(employee.employeeId)).filter((r) => r.sessionId === v.sessionId);
    expect(records.filter((r) => r.outcome === 'RESET')).toHaveLength(1);
    expect(records.filter((r) => r.reason === 'ALREADY_READ_OUT')).toHaveLength(1);
    expect((await eventsOf(v.sessionId)).filter((e) => e['detail-type'] === 'PasswordReset')).toHaveLength(1);
  });
});

describe('security rules 1 and 2: nothing retained holds a code or a password', () => {
  it('finds no issued code or readout password in the data folder (execution records and logs included) or the tables', async () => {
    expect(issuedPasswords.size).toBeGreaterThanOrEqual(6);
    await twin.settle();
    await twin.data.flush();
    expect(
      await scanForSecrets({
        dataDir: twin.data.root,
        dynamodbEndpoint: twin.endpoints.dynamodb,
        secrets: [...issuedCodes, ...issuedPasswords],
      }),
    ).toEqual([]);
  });
});
