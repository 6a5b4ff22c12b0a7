/**
 * Attacks on the verification itself, each written as the attack of the security review
 * (../shared/reviews/security.md) against the running twin: F1 (a lock-out that does not lock, older
 * codes that still work), F3 (denial of service to the real employee), F8 (a session used from another
 * call), F9 (a disabled employee reset mid-session). Each failed against b9b7226.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localClient, retainedRecords, startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { tableById } from '../../catalogue/table-catalogue';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
let db: DynamoDBDocumentClient;
let callerSeq = 0;
const nextCaller = () => `+1555666${String(++callerSeq).padStart(4, '0')}`;
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 20 });
  driver = new WorkflowDriver(twin);
  db = DynamoDBDocumentClient.from(new DynamoDBClient(localClient(twin.endpoints.dynamodb)));
});
afterAll(async () => {
  driver.close();
  db.destroy();
  await twin.cleanup();
});

describe('F1: one live verification per employee, and a lock-out that locks', () => {
  it('lock via session A, guess on session B, older code on C: no password set, the employee still locked', async () => {
    const employee = syntheticEmployee(0);
    const passwordBefore = (await driver.employee(employee.employeeId))?.passwordHash;
    // Three sessions from three numbers, all open before the first guess; A is the newest.
    const c = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const codeC = await driver.latestCode(employee);
    const b = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const codeB = await driver.latestCode(employee);
    const a = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const codeA = await driver.latestCode(employee);

    // A locks the employee.
    expect((await driver.verify(a.sessionId, wrongFor(codeA))).status).toBe('INVALID');
    expect((await driver.verify(a.sessionId, wrongFor(codeA))).status).toBe('INVALID');
    expect(await driver.verify(a.sessionId, wrongFor(codeA))).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    const locked = await driver.employee(employee.employeeId);
    expect(locked?.lockedUntil).toBeDefined();
    expect(locked?.activeSessionId).toBeUndefined();

    // B: two guesses, then its own right code. Answered like wrong codes; nothing set.
    expect((await driver.verify(b.sessionId, wrongFor(codeB))).status).toBe('INVALID');
    expect((await driver.verify(b.sessionId, wrongFor(codeB))).status).toBe('INVALID');
    expect(await driver.verify(b.sessionId, codeB)).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    // C: the oldest session's right code, first try: refused, and the employee's wrong codes for today
    // (5, across every session) are spent as well.
    expect(await driver.verify(c.sessionId, codeC)).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({ reason: 'FAILURE_BUDGET' });

    const after = await driver.employee(employee.employeeId);
    expect(after?.passwordHash).toBe(passwordBefore);
    // Still locked, and not for longer: a void session never places or extends a lock.
    expect(after?.lockedUntil).toBe(locked?.lockedUntil);
  });

  it('a newer start voids the older session: its right code no longer works, the newest one does', async () => {
    const employee = syntheticEmployee(1);
    const older = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const olderCode = await driver.latestCode(employee);
    const newer = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const newerCode = await driver.latestCode(employee);
    expect((await driver.verify(older.sessionId, olderCode)).status).toBe('INVALID');
    expect((await driver.verify(newer.sessionId, newerCode)).status).toBe('RESET');
  });

  it('a reset never lifts a lock it did not place (the directory keeps its own lock-out)', async () => {
    const employee = syntheticEmployee(2);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = await driver.latestCode(employee);
    expect((await driver.verify(start.sessionId, code)).status).toBe('RESET');
    // The reset wrote the password; it removed nothing it does not own.
    const employeeItem = await driver.employee(employee.employeeId);
    expect(employeeItem?.lockedUntil).toBeUndefined();
  });
});

describe('F3: denial of service bounded, and the employee told', () => {
  it("a rate-limited caller cannot use up an employee's starts", async () => {
    const attacker = nextCaller();
    for (let i = 3; i < 8; i += 1)
      expect((await driver.start({ employeeId: syntheticEmployee(i).employeeId, callerNumber: attacker })).status).toBe('CODE_SENT');
    const victim = syntheticEmployee(8);
    // The attacker's number is spent: its starts for the victim are refused, and do not count against the victim.
    for (let i = 0; i < 3; i += 1)
      expect((await driver.start({ employeeId: victim.employeeId, callerNumber: attacker })).status).toBe('RATE_LIMITED');
    for (let i = 0; i < 3; i += 1)
      expect((await driver.start({ employeeId: victim.employeeId, callerNumber: nextCaller() })).status).toBe('CODE_SENT');
  });

  it('a locked employee is told by e-mail, and guesses on void sessions never extend the lock', async () => {
    const employee = syntheticEmployee(9);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = await driver.latestCode(employee);
    for (let i = 0; i < 3; i += 1) await driver.verify(start.sessionId, wrongFor(code));
    const lockedUntil = (await driver.employee(employee.employeeId))?.lockedUntil;
    expect(lockedUntil).toBeDefined();
    await twin.settle();
    expect(driver.inbox(employee.email).map((m) => m.subject)).toContainEqual(expect.stringMatching(/locked/i));
    // The attacker keeps calling: a void session for the locked employee, three more wrong codes.
    const again = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    expect(again.status).toBe('CODE_SENT');
    for (let i = 0; i < 3; i += 1) await driver.verify(again.sessionId, '123456');
    expect((await driver.employee(employee.employeeId))?.lockedUntil).toBe(lockedUntil);
  });
});

describe('F8: a session answers only the call that started it', () => {
  it('the right code from another contact is refused without spending an attempt', async () => {
    const employee = syntheticEmployee(10);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = await driver.latestCode(employee);
    expect(await driver.verify(start.sessionId, code, 'attacker-contact-0000')).toEqual({ status: 'EXPIRED' });
    expect(await driver.session(start.sessionId)).toMatchObject({ state: 'AWAITING_CODE', attempts: 0, attemptsLeft: 3 });
    expect((await driver.verify(start.sessionId, code)).status).toBe('RESET');
    const audit = await driver.audit(employee.employeeId);
    expect(audit.map((r) => r.reason)).toContain('OTHER_CALL');
  });
});

describe('F9: verify re-reads the employee', () => {
  it('disabled after the code was sent: the right code sets no password', async () => {
    const employee = syntheticEmployee(11);
    const passwordBefore = (await driver.employee(employee.employeeId))?.passwordHash;
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = await driver.latestCode(employee);
    await db.send(
      new UpdateCommand({
        TableName: tableById('Employees').tableName,
        Key: { employeeId: employee.employeeId },
        UpdateExpression: 'SET #status = :disabled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':disabled': 'DISABLED' },
      }),
    );
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect((await driver.employee(employee.employeeId))?.passwordHash).toBe(passwordBefore);
    const events = await retainedRecords(twin, 'events');
    expect(events.filter((e) => e['detail-type'] === 'PasswordReset' && e.detail.employeeId === employee.employeeId)).toHaveLength(0);
  });
});
