/**
 * Who acts, in the audit (issue #20): both workflows take optional `actor` and `agentId` (the agent API's
 * fields; the IVR sends neither), record them in the hash-chained audit (format v2, lambdas/domain/audit-chain.ts)
 * and in their events, and refuse an actor claim that is not valid as invalid input, before any session is
 * read or attempt counted, recorded as an unverified agent (`agent` / `?`), never as the caller.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { detailProblems } from '../support/event-validator';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { AuditTrail } from '../../audit/audit-trail';
import { chainInput, verifyChain, type AuditRecord } from '../../lambdas/domain/audit-chain';
import { tableById } from '../../catalogue/table-catalogue';
import { EVENT_SOURCE } from '../../events/rule-catalogue';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const AUDIT = tableById('Audit').tableName;
const AGENT = { actor: 'agent', agentId: 'agent-7' } as const;
let callerSeq = 0;
const nextCaller = () => `+1555888${String(++callerSeq).padStart(4, '0')}`;

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 40 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

const trail = async (employeeId: string) => (await driver.audit(employeeId)) as unknown as AuditRecord[];

it('the IVR sends no actor: its records and events are the caller\'s ("-")', async () => {
  const employee = syntheticEmployee(0);
  const started = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
  expect(await driver.verify(started.sessionId, await driver.latestCode(employee))).toMatchObject({ status: 'RESET' });
  const records = await trail(employee.employeeId);
  expect(records.map((r) => [r.step, r.actor, r.agentId])).toEqual([
    ['VERIFY', 'caller', '-'],
    ['START', 'caller', '-'],
  ]);
  expect(verifyChain(records)).toEqual([]);
});

it("an agent's start and verify are recorded with actor agent and the agent's identity, in the hash", async () => {
  const employee = syntheticEmployee(1);
  const started = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller(), ...AGENT });
  expect(started.status).toBe('CODE_SENT');
  expect(await driver.verifyAs(AGENT, started.sessionId, await driver.latestCode(employee))).toMatchObject({ status: 'RESET' });
  const records = await trail(employee.employeeId);
  expect(records.map((r) => [r.step, r.outcome, r.actor, r.agentId])).toEqual([
    ['VERIFY', 'RESET', 'agent', 'agent-7'],
    ['START', 'CODE_SENT', 'agent', 'agent-7'],
  ]);
  // Format v2: the v1 fields, then actor, then agentId; the ASL's hash is the verifier's.
  for (const record of records) expect(chainInput(record).endsWith('|agent|agent-7')).toBe(true);
  expect(verifyChain(records)).toEqual([]);

  // The events say who acted too, and still match their closed schemas.
  await twin.settle();
  const events = (await driver.archivedEvents()).filter(
    (e) => (e as { source?: string }).source === EVENT_SOURCE && e.detail.sessionId === started.sessionId,
  );
  expect(new Set(events.map((e) => e['detail-type']))).toEqual(
    new Set(['ResetStarted', 'VerificationCodeRequested', 'VerificationCodeSent', 'PasswordReset']),
  );
  for (const event of events) {
    expect([event['detail-type'], event.detail.actor, event.detail.agentId]).toEqual([event['detail-type'], 'agent', 'agent-7']);
    expect(detailProblems(event['detail-type'], event.detail)).toEqual([]);
  }
});

it('an actor changed after the record was written is HASH_MISMATCH', async () => {
  const employee = syntheticEmployee(1);
  // An edit only the break-glass role may make (the table's policy refuses anyone else).
  await driver.breakGlassDb.send(
    new UpdateCommand({
      TableName: AUDIT,
      Key: { employeeId: employee.employeeId, seq: 1 },
      UpdateExpression: 'SET actor = :a, agentId = :d',
      ExpressionAttributeValues: { ':a': 'caller', ':d': '-' },
    }),
  );
  const result = await new AuditTrail(driver.db, AUDIT).verify({ employeeId: employee.employeeId, from: new Date(0), to: new Date() });
  expect(result.breaks).toEqual([expect.objectContaining({ seq: 1, problem: 'HASH_MISMATCH' })]);
});

describe('an actor claim that is not valid is refused as invalid input, recorded as an unverified agent', () => {
  const invalid: Array<Record<string, unknown>> = [
    { actor: 'agent' },
    { actor: 'agent', agentId: '' },
    { actor: 'agent', agentId: '-' },
    { actor: 'agent', agentId: 'agent 7' },
    { actor: 'agent', agentId: 'agent-7|caller' },
    { actor: 'agent', agentId: 'a'.repeat(129) },
    { actor: 'agent', agentId: 7 },
    { actor: 'Agent', agentId: 'agent-7' },
    { actor: 'supervisor', agentId: 'agent-7' },
    { actor: 'caller', agentId: 'agent-7' },
    { agentId: 'agent-7' },
    { actor: null },
  ];

  it.each(invalid.map((claim) => [JSON.stringify(claim).slice(0, 60), claim] as const))('start %s', async (_name, claim) => {
    const employee = syntheticEmployee(2);
    const before = (await trail(employee.employeeId)).length;
    const started = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller(), ...claim });
    expect(started.status).toBe('UNAVAILABLE');
    const [record] = await trail('-');
    expect(record).toMatchObject({ step: 'START', outcome: 'REJECTED', reason: 'INVALID_INPUT', actor: 'agent', agentId: '?' });
    expect(verifyChain(await trail('-'))).toEqual([]);
    // Nothing happened for the employee: no session, no code, no record in their chain.
    expect(await trail(employee.employeeId)).toHaveLength(before);
  });

  it.each(invalid.map((claim, i) => [JSON.stringify(claim).slice(0, 60), claim, i] as const))('verify %s', async (_name, claim, i) => {
    // An employee each: the employee's start rate limit is not what this is about.
    const employee = syntheticEmployee(10 + i);
    const started = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller(), ...AGENT });
    const code = await driver.latestCode(employee);
    expect(await driver.verifyAs(claim, started.sessionId, code)).toEqual({ status: 'UNAVAILABLE' });
    const [record] = await trail('-');
    expect(record).toMatchObject({ step: 'VERIFY', outcome: 'REJECTED', reason: 'INVALID_INPUT', actor: 'agent', agentId: '?' });
    // Refused before the session was read: no attempt counted, and the right code still works for the agent.
    expect(await driver.session(started.sessionId)).toMatchObject({ attempts: 0 });
    expect(await driver.verifyAs(AGENT, started.sessionId, code)).toMatchObject({ status: 'RESET' });
  });
});

it('an explicit caller (actor caller, agentId "-" or none) is the caller', async () => {
  const employee = syntheticEmployee(4);
  const started = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller(), actor: 'caller' });
  expect(started.status).toBe('CODE_SENT');
  const code = await driver.latestCode(employee);
  expect(await driver.verifyAs({ actor: 'caller', agentId: '-' }, started.sessionId, code)).toMatchObject({ status: 'RESET' });
  expect((await trail(employee.employeeId)).map((r) => [r.actor, r.agentId])).toEqual([
    ['caller', '-'],
    ['caller', '-'],
  ]);
});

it("an agent's identity may be an IAM principal ARN or a Connect user ID", async () => {
  const employee = syntheticEmployee(5);
  const agentId = 'arn:aws:sts::123456789012:assumed-role/SupportDeskAgent/jane.doe@example.com';
  const started = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller(), actor: 'agent', agentId });
  expect(started.status).toBe('CODE_SENT');
  const code = await driver.latestCode(employee);
  expect(await driver.verifyAs({ actor: 'agent', agentId }, started.sessionId, '000000')).toMatchObject({ status: 'INVALID' });
  expect(await driver.verifyAs({ actor: 'agent', agentId }, started.sessionId, code)).toMatchObject({ status: 'RESET' });
  const records = await trail(employee.employeeId);
  expect(records.map((r) => [r.outcome, r.agentId])).toEqual([
    ['RESET', agentId],
    ['INVALID', agentId],
    ['CODE_SENT', agentId],
  ]);
  expect(verifyChain(records)).toEqual([]);
});

describe('the security team finds what agents did', () => {
  it("GET /api/audit?actor=agent lists only agents' records; actor=caller the callers'; anything else is a 400", async () => {
    const page = async (query: string) => {
      const res = await fetch(`${twin.url}/api/audit?from=1d&limit=500&${query}`);
      return { status: res.status, body: (await res.json()) as { records?: AuditRecord[] } };
    };
    const agents = await page('actor=agent');
    expect(agents.status).toBe(200);
    expect(agents.body.records!.length).toBeGreaterThan(0);
    expect(new Set(agents.body.records!.map((r) => r.actor))).toEqual(new Set(['agent']));
    const byEmployee = await page(`actor=agent&employeeId=${syntheticEmployee(5).employeeId}`);
    expect(byEmployee.body.records!.map((r) => r.outcome)).toEqual(['RESET', 'INVALID', 'CODE_SENT']);
    const callers = await page('actor=caller');
    expect(callers.body.records!.length).toBeGreaterThan(0);
    expect(new Set(callers.body.records!.map((r) => r.actor))).toEqual(new Set(['caller']));
    expect((await page('actor=supervisor')).status).toBe(400);
  });

  it('npm run audit -- --actor agent shows the actor and the agent in the table and the CSV', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, HELPDESK_URL: twin.url };
    const cwd = resolve(__dirname, '../..');
    const employeeId = syntheticEmployee(5).employeeId;
    const csv = await run(
      'npx',
      ['tsx', 'cli/audit.ts', '--actor', 'agent', '--employee', employeeId, '--since', '1d', '--format', 'csv'],
      {
        cwd,
        env,
      },
    );
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header!.split(',').slice(-2)).toEqual(['actor', 'agentId']);
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(row.endsWith(',agent,arn:aws:sts::123456789012:assumed-role/SupportDeskAgent/jane.doe@example.com')).toBe(true);
    const table = await run('npx', ['tsx', 'cli/audit.ts', '--actor', 'agent', '--since', '1d'], { cwd, env });
    expect(table.stdout.split('\n')[0]).toMatch(/outcome\s+reason\s+callerNumberMasked\s+actor\s+agentId/);
    expect(table.stdout).toContain('agent-7');
    const refused = await run('npx', ['tsx', 'cli/audit.ts', '--actor', 'supervisor'], { cwd, env }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain('--actor must be caller or agent');
  }, 60_000);
});
