/**
 * The audit appender (lambdas/aws/audit-appender.ts) against dynalite: a record a Lambda appends joins
 * the employee's one chain (hash and link as the workflows write them, so the verifier accepts it);
 * writers racing for the same employee all land, in one unbroken chain; a redelivered event appends
 * nothing.
 */
import { startTestTwin } from '../support/test-twin';
import { handlerEnvironment } from '../../local/twin';
import { tableById } from '../../catalogue/table-catalogue';
import { verifyChain, type AuditRecord } from '../../lambdas/domain/audit-chain';
import { WorkflowDriver } from '../support/workflow-driver';
import type * as AuditAppender from '../../lambdas/aws/audit-appender';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
let appender: typeof AuditAppender;
const table = tableById('Audit').tableName;
const saved = { ...process.env };

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 2 });
  driver = new WorkflowDriver(twin);
  // As a handler in the twin sees it: the emulators' endpoints and credentials in its environment.
  Object.assign(process.env, handlerEnvironment(twin.endpoints));
  appender = require('../../lambdas/aws/audit-appender') as typeof AuditAppender;
});
afterAll(async () => {
  process.env = saved;
  driver.close();
  await twin.cleanup();
});

const entry = (
  employeeId: string,
  eventId: string,
  by: { actor: 'caller' | 'agent'; agentId: string } = { actor: 'caller', agentId: '-' },
) => ({
  employeeId,
  eventId,
  at: new Date().toISOString(),
  workflow: 'issue-verification-code',
  step: 'DELIVER',
  outcome: 'NOT_DELIVERED',
  reason: 'NO_RECOVERY_CHANNEL',
  sessionId: 'session-1',
  contactId: 'contact-1',
  callerNumberMasked: '+*******0100',
  locale: 'en-US',
  executionId: `request-${eventId}`,
  ...by,
});

it("a record appended after a workflow's joins its chain, and the chain verifies", async () => {
  await driver.start({ employeeId: '9000000', callerNumber: '+15555559001' });
  expect(await appender.appendAuditRecord(table, entry('9000000', 'event-a'))).toBe(true);
  const trail = (await driver.audit('9000000')) as unknown as AuditRecord[];
  expect(trail.map((r) => r.step)).toEqual(['DELIVER', 'START']);
  expect(trail[0]).toMatchObject({ seq: 2, prevHash: trail[1]!.hash, day: trail[0]!.at.slice(0, 10) });
  // Format v2: who acted is stored and hashed, by the appender as by the workflow.
  expect(trail.map((r) => [r.actor, r.agentId])).toEqual([
    ['caller', '-'],
    ['caller', '-'],
  ]);
  expect(verifyChain(trail)).toEqual([]);
});

it("an agent's record carries the agent's identity in its hash", async () => {
  expect(await appender.appendAuditRecord(table, entry('9000000', 'event-agent', { actor: 'agent', agentId: 'agent-7' }))).toBe(true);
  const trail = (await driver.audit('9000000')) as unknown as AuditRecord[];
  expect(trail[0]).toMatchObject({ seq: 3, actor: 'agent', agentId: 'agent-7' });
  expect(verifyChain(trail)).toEqual([]);
  expect(verifyChain([...trail.slice(1), { ...trail[0]!, agentId: 'agent-8' }])).toEqual([
    expect.objectContaining({ seq: 3, problem: 'HASH_MISMATCH' }),
  ]);
});

it('a redelivered event appends nothing', async () => {
  expect(await appender.appendAuditRecord(table, entry('9000000', 'event-a'))).toBe(false);
  expect(await driver.audit('9000000')).toHaveLength(3);
});

it('writers racing for one employee all land, in one unbroken chain', async () => {
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => appender.appendAuditRecord(table, entry('9000001', `race-${i}`))));
  expect(results).toEqual(Array(6).fill(true));
  const trail = (await driver.audit('9000001')) as unknown as AuditRecord[];
  expect(trail.map((r) => r.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(new Set(trail.map((r) => r.eventId)).size).toBe(6);
  expect(verifyChain(trail)).toEqual([]);
});
