/**
 * The company circuit breaker pauses self-service, not the help desk it sends callers to (issue #20):
 * with today's company-wide wrong codes at the limit, a caller's start is refused as before
 * (RATE_LIMITED, audited SELF_SERVICE_PAUSED), but an agent's VERIFY start sends a code, the agent's
 * wrong code is INVALID with the attempts left and the right one VERIFIED, and neither moves the
 * company's counter; the employee's day counter still counts the agent's wrong code. With the breaker
 * closed, a caller's codes move the company's counter as before (a wrong code keeps its reservation, a
 * right code gives its back), and an agent's do not move it at all. Real twin, real ASL.
 */
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { companyFailureKey, failureBudget } from '../../lambdas/domain/failure-budget';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;

const AGENT = { actor: 'agent', agentId: 'agent-5' } as const;
const LIMIT = DEFAULT_POLICY.companyDailyFailures;
/** The circuit breaker's counter: the company's wrong codes for today. */
const company = () => driver.counter(companyFailureKey(new Date()));
/** The employee's wrong codes for today (their daily failure budget). */
const employeeDay = (employeeId: string) => driver.counter(failureBudget(employeeId, new Date(), DEFAULT_POLICY).employeeDayKey);
const wrongFor = (right: string) => (right === '111111' ? '222222' : '111111');
let callerSeq = 0;
/** A distinct caller number per start, so the per-number limit never binds. */
const caller = () => `+1555222${String(++callerSeq).padStart(4, '0')}`;

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 10 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

describe('breaker closed', () => {
  it("a caller's wrong code keeps its company reservation, a right code gives its back (unchanged)", async () => {
    const employee = syntheticEmployee(0);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: caller() });
    expect(start.status).toBe('CODE_SENT');
    const code = await driver.latestCode(employee);
    const before = await company();
    expect(await driver.verify(start.sessionId, wrongFor(code))).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await company()).toBe(before + 1);
    expect((await driver.verify(start.sessionId, code)).status).toBe('RESET');
    expect(await company()).toBe(before + 1);
  });

  it("an agent's wrong and right codes do not move the company's counter; the employee's day counts the wrong one", async () => {
    const employee = syntheticEmployee(1);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: caller(), action: 'VERIFY', ...AGENT });
    expect(start.status).toBe('CODE_SENT');
    const code = await driver.latestCode(employee);
    const [companyBefore, dayBefore] = [await company(), await employeeDay(employee.employeeId)];
    expect(await driver.verifyAs(AGENT, start.sessionId, wrongFor(code))).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await company()).toBe(companyBefore);
    expect(await employeeDay(employee.employeeId)).toBe(dayBefore + 1);
    expect(await driver.verifyAs(AGENT, start.sessionId, code)).toEqual({ status: 'VERIFIED' });
    expect(await company()).toBe(companyBefore);
  });
});

describe('breaker open (the company counter at its limit)', () => {
  let saved = 0;
  beforeAll(async () => {
    saved = await company();
    await driver.setCounter(companyFailureKey(new Date()), LIMIT);
  });
  afterAll(async () => {
    await driver.setCounter(companyFailureKey(new Date()), saved);
  });

  it("a caller's start is refused as before: RATE_LIMITED, audited SELF_SERVICE_PAUSED, no code", async () => {
    const employee = syntheticEmployee(2);
    const texts = driver.texts(employee.mobile!).length;
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: caller() });
    expect(start.status).toBe('RATE_LIMITED');
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({
      outcome: 'RATE_LIMITED',
      reason: 'SELF_SERVICE_PAUSED',
      actor: 'caller',
    });
    await twin.settle();
    expect(driver.texts(employee.mobile!)).toHaveLength(texts);
    expect(await company()).toBe(LIMIT);
  });

  it("a caller's code on a session opened before is still refused (UNAVAILABLE) and does not move the counter", async () => {
    await driver.setCounter(companyFailureKey(new Date()), 0);
    const employee = syntheticEmployee(3);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: caller() });
    expect(start.status).toBe('CODE_SENT');
    const code = await driver.latestCode(employee);
    await driver.setCounter(companyFailureKey(new Date()), LIMIT);
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'UNAVAILABLE' });
    expect(await company()).toBe(LIMIT);
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({ reason: 'SELF_SERVICE_PAUSED', actor: 'caller' });
  });

  it("an agent's start sends a code; a wrong code is INVALID with attempts left, the right one VERIFIED; the company counter stays, the employee's day counts", async () => {
    const employee = syntheticEmployee(4);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: caller(), action: 'VERIFY', ...AGENT });
    expect(start.status).toBe('CODE_SENT');
    const code = await driver.latestCode(employee);
    const dayBefore = await employeeDay(employee.employeeId);

    expect(await driver.verifyAs(AGENT, start.sessionId, wrongFor(code))).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await company()).toBe(LIMIT);
    expect(await employeeDay(employee.employeeId)).toBe(dayBefore + 1);

    expect(await driver.verifyAs(AGENT, start.sessionId, code)).toEqual({ status: 'VERIFIED' });
    expect(await company()).toBe(LIMIT);
    // The employee's reservations stay, a right code's too (as attempts do): unchanged for agents.
    expect(await employeeDay(employee.employeeId)).toBe(dayBefore + 2);

    const audit = await driver.audit(employee.employeeId);
    expect(audit.map((r) => r.reason)).not.toContain('SELF_SERVICE_PAUSED');
    expect(audit.filter((r) => r.actor === 'agent' && r.agentId === 'agent-5').map((r) => r.reason)).toEqual(
      expect.arrayContaining(['OK', 'WRONG_CODE', 'AUTHORIZED']),
    );
  });
});
