/**
 * Agent-initiated verification in the twin (issue #20): a caller who confirmed an employee ID in the IVR
 * and was transferred waits in the queue; the agent accepts the call (CONNECTED to that agent), then the
 * agent API starts a VERIFY session (the code goes to the
 * employee's mobile), the agent types what the caller reads out: a wrong code is INVALID with the
 * attempts left, the right one VERIFIED. Nothing is done in the directory; the audit says `actor: agent`
 * and the agent's identity on the start and the verify; CallerVerified is archived and schema-valid; the
 * agent's attempts spend the employee's daily failure budget (the IVR's counter). No contact connected to
 * the calling agent (waiting, another agent's, gone), or no confirmed ID: 403; a bad agent identity or code: 400. No answer carries a code.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { Phone } from '../../local/softphone/phone';
import { detailProblems } from '../support/event-validator';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { tableById } from '../../catalogue/table-catalogue';
import { failureBudget } from '../../lambdas/domain/failure-budget';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import { randomUUID } from 'node:crypto';
import { REFUSALS, twinAgentArn } from '../../local/connect/agent-desk';
import type { EmployeeItem } from '../../lambdas/domain/employee';
import { AgentApiClient } from '../support/agent-api-client';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
/** What the audit and the events name agent-7 as: the IAM principal the agent API ran for (the twin's role session). */
const AGENT_7 = twinAgentArn('agent-7');
let twin: TestTwin;
let driver: WorkflowDriver;
const codes = new Set<string>();

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 20 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

let callerSeq = 0;
const caller = () => `+1555333${String(++callerSeq).padStart(4, '0')}`;

const agents = new AgentApiClient(() => twin.url);
const post = agents.post.bind(agents);
const startVerification = (contactId: string, body: unknown) => post(`/api/agent/contacts/${contactId}/verification`, body);
const checkCode = (contactId: string, body: unknown) => post(`/api/agent/contacts/${contactId}/verification/code`, body);
async function accept(contactId: string, agentId: string): Promise<void> {
  expect(await post(`/api/agent/contacts/${contactId}/accept`, { agentId })).toMatchObject({ status: 200, body: { state: 'CONNECTED' } });
}

async function code(employee: EmployeeItem): Promise<string> {
  const c = await driver.latestCode(employee);
  codes.add(c);
  return c;
}
const wrongFor = (right: string) => (right === '111111' ? '222222' : '111111');

/** The employee's failure counter for today: the one the IVR's wrong codes spend. */
async function dayFailures(employeeId: string): Promise<number> {
  const key = failureBudget(employeeId, new Date(), DEFAULT_POLICY).employeeDayKey;
  const out = await driver.db.send(
    new GetCommand({ TableName: tableById('RateLimits').tableName, Key: { counterKey: key }, ConsistentRead: true }),
  );
  return Number(out.Item?.count ?? 0);
}

/**
 * A caller who confirms the ID, takes the code by text, keys one wrong code, then stays silent until
 * transferred (NO_CODE_ENTERED): waiting, the ID confirmed, the employee not locked.
 */
async function transferredAfterConfirmingId(employee: EmployeeItem): Promise<Phone> {
  const p = new Phone(twin.url);
  await p.dial(caller(), 'en-US');
  await p.key('1');
  await p.key(`${employee.employeeId}#`);
  await p.key('1');
  await p.key('1');
  await p.key(`${wrongFor(await code(employee))}#`);
  let last = await p.key('');
  while (!last.ended) last = await p.key('');
  expect(last).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'WAITING' });
  return p;
}

it('the agent verifies a waiting caller by a code sent to the mobile: INVALID with attempts left, then VERIFIED; audited as the agent; nothing set', async () => {
  const employee = syntheticEmployee(3);
  const p = await transferredAfterConfirmingId(employee);
  const listed = (await (await fetch(`${twin.url}/api/agent/contacts`)).json()) as { contacts: Array<{ contactId: string; context: any }> };
  expect(listed.contacts.find((c) => c.contactId === p.contactId)?.context).toMatchObject({
    employeeId: employee.employeeId,
    transferReason: 'NO_CODE_ENTERED',
  });
  const before = (await driver.employee(employee.employeeId))!;
  const failuresInIvr = await dayFailures(employee.employeeId);
  expect(failuresInIvr).toBe(1);
  const textsBefore = driver.texts(employee.mobile!).length;

  // Waiting, the contact is nobody's: it must be accepted first.
  expect(await startVerification(p.contactId, { agentId: 'agent-7' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
  await accept(p.contactId, 'agent-7');
  // Another agent cannot verify on this agent's call.
  expect(await startVerification(p.contactId, { agentId: 'agent-8' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
  expect(driver.texts(employee.mobile!).length).toBe(textsBefore);

  const started = await startVerification(p.contactId, { agentId: 'agent-7' });
  expect(started).toMatchObject({ status: 200, body: { status: 'CODE_SENT' } });
  expect(Object.keys(started.body)).toEqual(['status']);
  const right = await code(employee);
  expect(driver.texts(employee.mobile!).length).toBe(textsBefore + 1);

  const wrong = await checkCode(p.contactId, { agentId: 'agent-7', code: wrongFor(right) });
  expect(wrong).toMatchObject({ status: 200, body: { status: 'INVALID', attemptsLeft: 2 } });
  // The agent's wrong code spends the employee's budget for the day: the counter the IVR's wrong code spent.
  expect(await dayFailures(employee.employeeId)).toBe(failuresInIvr + 1);

  expect(await checkCode(p.contactId, { agentId: 'agent-8', code: right })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
  const verified = await checkCode(p.contactId, { agentId: 'agent-7', code: right });
  expect(verified).toMatchObject({ status: 200, body: { status: 'VERIFIED' } });
  expect(Object.keys(verified.body)).toEqual(['status']);

  // Nothing was done in the directory: the same password, status and flags.
  const after = (await driver.employee(employee.employeeId))!;
  for (const field of ['passwordHash', 'mustChangePassword', 'passwordExpiresAt', 'status', 'lockedUntil'] as const)
    expect([field, after[field]]).toEqual([field, before[field]]);

  // The audit: the start and each verify as the agent, with the agent's identity.
  const byAgent = (await driver.audit(employee.employeeId)).filter((r) => r.contactId === p.contactId && r.actor === 'agent');
  const steps = byAgent.map((r) => [r.step, r.outcome, r.agentId]).reverse();
  expect(steps).toEqual([
    ['START', 'CODE_SENT', AGENT_7],
    ['VERIFY', 'INVALID', AGENT_7],
    ['VERIFY', 'VERIFIED', AGENT_7],
  ]);
  expect(byAgent.find((r) => r.outcome === 'VERIFIED')).toMatchObject({ reason: 'AUTHORIZED', workflow: 'password-reset-verify' });

  // CallerVerified, schema-valid, as the agent; no reset and no unlock for this call.
  await twin.settle();
  const events = (await driver.archivedEvents()).filter((e) => e.detail.contactId === p.contactId);
  const verifiedEvents = events.filter((e) => e['detail-type'] === 'CallerVerified');
  expect(verifiedEvents).toHaveLength(1);
  expect(detailProblems('CallerVerified', verifiedEvents[0]!.detail)).toEqual([]);
  expect(verifiedEvents[0]!.detail).toMatchObject({ employeeId: employee.employeeId, actor: 'agent', agentId: AGENT_7 });
  expect(events.map((e) => e['detail-type'])).not.toContain('PasswordReset');
  expect(events.map((e) => e['detail-type'])).not.toContain('AccountUnlocked');

  // Once the caller hangs up, the contact is no longer connected: both calls are refused.
  await p.hangUp();
  expect(await startVerification(p.contactId, { agentId: 'agent-7' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
  expect(await checkCode(p.contactId, { agentId: 'agent-7', code: right })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
});

it("three wrong codes from the agent lock the employee out, as the caller's would; the agent ends the call", async () => {
  const employee = syntheticEmployee(5);
  const p = await transferredAfterConfirmingId(employee);
  await accept(p.contactId, 'agent-9');
  expect((await startVerification(p.contactId, { agentId: 'agent-9' })).body).toEqual({ status: 'CODE_SENT' });
  const wrong = wrongFor(await code(employee));
  expect((await checkCode(p.contactId, { agentId: 'agent-9', code: wrong })).body).toEqual({ status: 'INVALID', attemptsLeft: 2 });
  expect((await checkCode(p.contactId, { agentId: 'agent-9', code: wrong })).body).toEqual({ status: 'INVALID', attemptsLeft: 1 });
  expect((await checkCode(p.contactId, { agentId: 'agent-9', code: wrong })).body).toEqual({ status: 'LOCKED' });
  expect((await driver.employee(employee.employeeId))!.lockedUntil).toBeDefined();
  // The agent ends the call: the caller's side says so, and the contact can no longer be verified.
  expect(await post(`/api/agent/contacts/${p.contactId}/end`, { agentId: 'agent-9' })).toMatchObject({
    status: 200,
    body: { state: 'ENDED' },
  });
  expect(await p.listen()).toMatchObject({ disposition: 'DISCONNECTED', queueState: 'ENDED_BY_AGENT' });
  expect(await startVerification(p.contactId, { agentId: 'agent-9' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
  await p.hangUp();
});

it('refuses (403) a contact without a confirmed ID, a code check before any verification, and an unknown contact', async () => {
  const p = new Phone(twin.url);
  await p.dial(caller(), 'en-US');
  expect(await p.key('0')).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'WAITING' });
  await accept(p.contactId, 'agent-7');
  expect(await startVerification(p.contactId, { agentId: 'agent-7' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noConfirmedId },
  });
  expect(await checkCode(p.contactId, { agentId: 'agent-7', code: '123456' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noVerification },
  });
  // A contact ID that is not a Connect contact ID: the Lambda's own 400; a UUID the instance does not have: 403.
  expect(await startVerification('no-such-contact', { agentId: 'agent-7' })).toMatchObject({
    status: 400,
    body: { message: '"contactId" must be an Amazon Connect contact ID (a UUID)' },
  });
  expect(await startVerification(randomUUID(), { agentId: 'agent-7' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.noActiveContact },
  });
  await p.hangUp();
});

it('refuses (400) a bad agent identity or code, never echoing the code; (415) a body that is not JSON', async () => {
  const p = new Phone(twin.url);
  await p.dial(caller(), 'en-US');
  await p.key('0');
  for (const body of [
    {},
    { agentId: '' },
    { agentId: 'agent 7' },
    { agentId: '-' },
    { agentId: 'a'.repeat(129) },
    { agentId: 7 },
    [],
    'null',
  ]) {
    const res = await startVerification(p.contactId, body);
    expect([body, res.status, res.body.error]).toEqual([body, 400, REFUSALS.badAgentId]);
  }
  for (const code of ['12345', '1234567', 123456, '12 456', 'abcdef', '９８７６５４', undefined]) {
    const res = await checkCode(p.contactId, { agentId: 'agent-7', code });
    // The Lambda's own refusal (its body says `message`, as API Gateway passes it on).
    expect([code, res.status, res.body.message]).toEqual([code, 400, REFUSALS.badCode]);
    if (typeof code === 'string' && code.length > 3) expect(res.text).not.toContain(code);
  }
  const notJson = await post(`/api/agent/contacts/${p.contactId}/verification`, '{"agentId":"agent-7"}', 'text/plain');
  expect(notJson.status).toBe(415);
  await p.hangUp();
});

it("no agent API answer carried a code (the IVR's or the agent's)", () => {
  expect(codes.size).toBeGreaterThan(2);
  const all = agents.answers.join('\n');
  for (const c of codes) expect(all).not.toContain(c);
});
