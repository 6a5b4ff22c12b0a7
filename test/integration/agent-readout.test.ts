/**
 * An agent's reset or unlock, heard by the caller from the desk (issue #20), in the twin end to end: a
 * caller who confirmed an ID and was transferred; the agent accepts, verifies by code, asks for a reset
 * (or an unlock) and leaves the call; the caller goes on in the contact's disconnect flow (agent-readout,
 * set before the transfer), presses 1, and hears the temporary password — the agent's answers never hold
 * it, nor the code. The reset is audited as the agent's (its IAM principal: the agent API is the Lambda); the readout cannot be asked for before the
 * agent's VERIFIED, nor by another agent, nor run twice; a caller who does not press 1 changes nothing.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestTwin } from '../support/test-twin';
import { tableById } from '../../catalogue/table-catalogue';
import { WorkflowDriver } from '../support/workflow-driver';
import { Phone } from '../../local/softphone/phone';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { passwordFromReadout } from '../../lambdas/domain/password-readout';
import { REFUSALS, twinAgentArn } from '../../local/connect/agent-desk';
import { DESK_ATTRIBUTES } from '../../lambdas/domain/agent-desk';
import type { EmployeeItem } from '../../lambdas/domain/employee';
import { AgentApiClient } from '../support/agent-api-client';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const secrets = new Set<string>();

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 20 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

let callerSeq = 0;
const caller = () => `+1555444${String(++callerSeq).padStart(4, '0')}`;

const agents = new AgentApiClient(() => twin.url);
const agentApi = agents.act.bind(agents);

async function code(employee: EmployeeItem): Promise<string> {
  const c = await driver.latestCode(employee);
  secrets.add(c);
  return c;
}

/** A caller who confirms the ID, takes the code by text, then says nothing until transferred; the agent accepts. */
async function connectedCaller(employee: EmployeeItem, agentId: string): Promise<Phone> {
  const p = new Phone(twin.url);
  await p.dial(caller(), 'en-US');
  await p.key('1');
  await p.key(`${employee.employeeId}#`);
  await p.key('1');
  await p.key('1');
  await code(employee);
  let last = await p.key('');
  while (!last.ended) last = await p.key('');
  expect(last).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'WAITING' });
  expect(await agentApi(p.contactId, 'accept', { agentId })).toMatchObject({ status: 200 });
  return p;
}

async function verifiedBy(p: Phone, employee: EmployeeItem, agentId: string): Promise<void> {
  expect(await agentApi(p.contactId, 'verification', { agentId })).toMatchObject({ status: 200, body: { status: 'CODE_SENT' } });
  expect(await agentApi(p.contactId, 'verification/code', { agentId, code: await code(employee) })).toMatchObject({
    status: 200,
    body: { status: 'VERIFIED' },
  });
}

it('the agent verifies and asks for a reset, leaves; the caller presses 1 and hears the temporary password, which logs on', async () => {
  const employee = syntheticEmployee(4);
  const p = await connectedCaller(employee, 'agent-7');
  // Not before this agent's VERIFIED.
  expect(await agentApi(p.contactId, 'readout', { agentId: 'agent-7', action: 'RESET' })).toMatchObject({
    status: 403,
    body: { message: REFUSALS.notVerified },
  });
  await verifiedBy(p, employee, 'agent-7');
  expect(await agentApi(p.contactId, 'readout', { agentId: 'agent-8', action: 'RESET' })).toMatchObject({ status: 403 });
  expect(await agentApi(p.contactId, 'readout', { agentId: 'agent-7', action: 'DELETE' })).toMatchObject({ status: 400 });
  const asked = await agentApi(p.contactId, 'readout', { agentId: 'agent-7', action: 'RESET' });
  expect(asked).toMatchObject({ status: 200, body: { status: 'READOUT_READY', action: 'RESET' } });
  expect(Object.keys(asked.body)).toEqual(['status', 'action']);
  const before = (await driver.employee(employee.employeeId))!;
  // Asking changes nothing yet: the caller has not heard anything.
  expect((await driver.employee(employee.employeeId))!.passwordHash).toBe(before.passwordHash);

  expect(await agentApi(p.contactId, 'end', { agentId: 'agent-7' })).toMatchObject({ status: 200, body: { state: 'ENDED' } });
  const from = p.heard.length;
  const back = await p.listen();
  expect(back).toMatchObject({ ended: false, awaiting: 'dtmf' });
  expect(p.said(from)).toContain(
    'Your agent has verified you and asked for a password reset. To hear your new temporary password now, press 1.',
  );
  const heard = await p.key('1');
  const readout = heard.prompts.find((prompt) => prompt.ssml?.includes('say-as'));
  expect(readout).toBeDefined();
  const password = passwordFromReadout(readout!.ssml!);
  secrets.add(password);
  expect(p.said(from)).toContain('Here is your temporary password.');
  expect(await driver.directory.login(employee.employeeId, password)).toEqual({ ok: true, mustChangePassword: true });
  const done = await p.key('2');
  expect(done).toMatchObject({ ended: true, disposition: 'DISCONNECTED' });
  expect(p.said(from)).toContain('Your password has been reset.');

  // Audited as the agent's reset; the contact record keeps what the agent asked, never the password.
  const audit = await driver.audit(employee.employeeId);
  expect(audit.filter((r) => r.outcome === 'RESET')).toEqual([
    expect.objectContaining({ actor: 'agent', agentId: twinAgentArn('agent-7'), reason: 'AUTHORIZED' }),
  ]);
  const record = (await (await fetch(`${twin.url}/api/contact-records/${p.contactId}`)).json()) as any;
  const attributes = JSON.stringify(record);
  expect(attributes).toContain(`"${DESK_ATTRIBUTES.readout}":"RESET"`);
  expect(attributes).not.toContain(password);
});

it('the agent asks for an unlock: a locked-out employee is unlocked once the caller presses 1', async () => {
  const employee = syntheticEmployee(5);
  await driver.db.send(
    new UpdateCommand({
      TableName: tableById('Employees').tableName,
      Key: { employeeId: employee.employeeId },
      UpdateExpression: 'SET #s = :locked',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':locked': 'LOCKED' },
    }),
  );
  const p = await connectedCaller(employee, 'agent-7');
  await verifiedBy(p, employee, 'agent-7');
  expect(await agentApi(p.contactId, 'readout', { agentId: 'agent-7', action: 'UNLOCK' })).toMatchObject({
    status: 200,
    body: { status: 'READOUT_READY', action: 'UNLOCK' },
  });
  await agentApi(p.contactId, 'end', { agentId: 'agent-7' });
  const from = p.heard.length;
  await p.listen();
  expect(p.said(from)).toContain('asked for your account to be unlocked');
  expect(await p.key('1')).toMatchObject({ ended: true });
  expect(p.said(from)).toContain('Your account is unlocked.');
  expect((await driver.employee(employee.employeeId))!.status).toBe('ACTIVE');
  expect((await driver.audit(employee.employeeId)).filter((r) => r.outcome === 'UNLOCKED')).toEqual([
    expect.objectContaining({ actor: 'agent', agentId: twinAgentArn('agent-7') }),
  ]);
});

it('a caller who does not press 1 changes nothing', async () => {
  const employee = syntheticEmployee(6);
  const p = await connectedCaller(employee, 'agent-3');
  await verifiedBy(p, employee, 'agent-3');
  await agentApi(p.contactId, 'readout', { agentId: 'agent-3', action: 'RESET' });
  const before = (await driver.employee(employee.employeeId))!;
  await agentApi(p.contactId, 'end', { agentId: 'agent-3' });
  const from = p.heard.length;
  await p.listen();
  expect(await p.key('')).toMatchObject({ ended: true, disposition: 'DISCONNECTED' });
  expect(p.said(from)).toContain('Goodbye.');
  expect((await driver.employee(employee.employeeId))!.passwordHash).toBe(before.passwordHash);
});

afterAll(() => {
  // No agent answer ever held a code or a password.
  const all = agents.answers.join('\n');
  for (const secret of secrets) expect(all).not.toContain(secret);
  expect(secrets.size).toBeGreaterThan(3);
});
