/**
 * F2 as the attack: an attacker with spoofed numbers and as many lines as they like guesses codes, the
 * stealthy way (two guesses a session, never three). Under the default policy the employee's failures
 * stop at 5 a day and the company's at 25 a day, whatever the numbers, sessions and IDs, and after
 * that even the right code counts for nothing. docs/security.md turns these caps into the bound.
 */
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import { expectedTakeoversPerYear } from '../../lambdas/domain/failure-budget';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
let callerSeq = 0;
/** Every start from a fresh, spoofed number: the per-number limit never binds. */
const spoofed = () => `+1555444${String(++callerSeq).padStart(4, '0')}`;
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 40 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

it('the bound of docs/security.md holds for the default policy: at most 0.01 takeovers a year', () => {
  expect(expectedTakeoversPerYear(DEFAULT_POLICY)).toBeCloseTo(0.009125, 6);
  expect(expectedTakeoversPerYear(DEFAULT_POLICY)).toBeLessThanOrEqual(0.01);
});

it("one employee: two guesses a session never lock, but the employee's 5 wrong codes a day do; then the right code counts for nothing", async () => {
  const target = syntheticEmployee(0);
  const answers: string[] = [];
  let lastCode = '';
  let lastSession = '';
  for (let session = 0; session < DEFAULT_POLICY.employeeStartsPerWindow; session += 1) {
    const start = await driver.start({ employeeId: target.employeeId, callerNumber: spoofed() });
    lastCode = await driver.latestCode(target);
    lastSession = start.sessionId;
    for (let guess = 0; guess < 2; guess += 1) answers.push((await driver.verify(start.sessionId, wrongFor(lastCode))).status);
  }
  // 3 sessions × 2 guesses: the first 5 count as wrong codes, the 6th is refused by the budget.
  expect(answers).toEqual(['INVALID', 'INVALID', 'INVALID', 'INVALID', 'INVALID', 'LOCKED']);
  expect((await driver.verify(lastSession, lastCode)).status).toBe('LOCKED');
  expect((await driver.audit(target.employeeId))[0]).toMatchObject({ reason: 'FAILURE_BUDGET' });
});

it('the company: 25 wrong codes a day, then the circuit breaker sends every caller to an agent, whatever the ID', async () => {
  // A session the attacker will not touch, with its right code, opened before the breaker trips.
  const bystander = syntheticEmployee(35);
  const kept = await driver.start({ employeeId: bystander.employeeId, callerNumber: spoofed() });
  const keptCode = await driver.latestCode(bystander);
  // The previous test's 7 attempts each took one of the company's first (the last two were then refused
  // by the employee's budget): the company counts every code that reached the budgets, never fewer.
  let counted = 7;
  let employee = 1;
  let paused = false;
  while (!paused) {
    const victim = syntheticEmployee(employee++);
    for (let session = 0; session < DEFAULT_POLICY.employeeStartsPerWindow && !paused; session += 1) {
      const start = await driver.start({ employeeId: victim.employeeId, callerNumber: spoofed() });
      if (start.status !== 'CODE_SENT') {
        paused = true;
        break;
      }
      const code = await driver.latestCode(victim);
      for (let guess = 0; guess < 2; guess += 1) {
        const answer = await driver.verify(start.sessionId, wrongFor(code));
        if (answer.status === 'UNAVAILABLE') {
          paused = true;
          break;
        }
        counted += 1;
      }
    }
    expect(employee).toBeLessThan(40);
  }
  expect(counted).toBe(DEFAULT_POLICY.companyDailyFailures);
  // Open: every start is refused alike (a real ID, an unknown one), and no code counts, not even the right one.
  expect((await driver.start({ employeeId: syntheticEmployee(30).employeeId, callerNumber: spoofed() })).status).toBe('RATE_LIMITED');
  expect((await driver.start({ employeeId: '8000001', callerNumber: spoofed() })).status).toBe('RATE_LIMITED');
  expect(await driver.verify(kept.sessionId, keptCode)).toEqual({ status: 'UNAVAILABLE' });
  await twin.settle();
  const alerts = (await driver.archivedEvents()).filter(
    (e) => e['detail-type'] === 'VerificationFailed' && e.detail.reason === 'SELF_SERVICE_PAUSED',
  );
  expect(alerts.length).toBeGreaterThanOrEqual(1);
});
