/**
 * The event consumers through the twin: security notice after a reset, alerts on lock-outs and
 * sweeps, metrics, idempotency under redelivery, and the audit trail for the security team
 * (API, CLI, tamper evidence).
 */
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestTwin } from '../support/test-twin';
import { containsToken, WorkflowDriver } from '../support/workflow-driver';
import { SYNTHETIC_EMPLOYEE_BASE, syntheticEmployee } from '../../local/seed/demo-employees';
import { tableById } from '../../catalogue/table-catalogue';
import { auditHash, verifyChain, type AuditRecord } from '../../lambdas/domain/audit-chain';
import { detailProblems } from '../support/event-validator';
import type { BusEvent } from '../../local/eventbridge/event-bus';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const busEvents: BusEvent[] = [];
const secrets = new Set<string>();

beforeAll(async () => {
  // Day-long windows: the sweep tests must not straddle a 15-minute window boundary.
  twin = await startTestTwin({ seedEmployees: 20, environment: { SWEEP_WINDOW_SECONDS: '86400', LOCKOUT_SURGE_WINDOW_SECONDS: '86400' } });
  driver = new WorkflowDriver(twin);
  twin.bus.subscribe((e) => busEvents.push(e));
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

const securityInbox = () => driver.inbox('security@example.com');

async function reset(index: number, callerNumber: string) {
  const employee = syntheticEmployee(index);
  const start = await driver.start({ employeeId: employee.employeeId, callerNumber });
  const code = await driver.latestCode(employee);
  secrets.add(code);
  const verified = await driver.verify(start.sessionId, code);
  secrets.add(verified.password!);
  await twin.settle();
  return { employee, start, verified };
}

it('one reset → exactly one security notice to the employee, with the time and the last two digits of the number', async () => {
  const { employee } = await reset(0, '+15555559042');
  const notices = driver.inbox(employee.email).filter((m) => m.subject === 'Your password was reset by phone');
  expect(notices).toHaveLength(1);
  // One message, to the corporate mailbox and the recovery e-mail: after a takeover the corporate one is the attacker's.
  expect(notices[0]!.destination.to).toEqual([employee.email, employee.recoveryEmail]);
  const text = notices[0]!.body.text!;
  expect(text).toContain(`Hello Employee`);
  expect(text).toMatch(/on \w+ \d{1,2}, \d{4} at \d{1,2}:\d{2}\s?[AP]M UTC/);
  expect(text).toContain('a number ending in 42');
  expect(text).toContain('call the security team now at +18005550100');
  expect(text).not.toContain('5555559042');
  expect(notices[0]!.body.html).toContain('<strong>42</strong>');
});

it('one lock-out → one alert to the security team', async () => {
  const employee = syntheticEmployee(1);
  const before = securityInbox().length;
  const start = await driver.start({ employeeId: employee.employeeId, callerNumber: '+15555559043' });
  const code = await driver.latestCode(employee);
  secrets.add(code);
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 0; i < 3; i += 1) await driver.verify(start.sessionId, wrong);
  await twin.settle();
  const alerts = securityInbox().slice(before);
  expect(alerts.map((m) => m.subject)).toEqual([`Support Desk security alert: account ${employee.employeeId} locked`]);
  expect(alerts[0]!.body.text).toContain('caller number: +*******9043');
});

it('a sweep across 3 IDs from one number → one SuspiciousActivity and one alert, once per window', async () => {
  const before = securityInbox().length;
  const caller = '+15555559044';
  for (const index of [2, 3, 4, 5]) await driver.start({ employeeId: syntheticEmployee(index).employeeId, callerNumber: caller });
  await twin.settle();
  const suspicious = busEvents.filter((e) => e['detail-type'] === 'SuspiciousActivity');
  expect(suspicious).toHaveLength(1);
  expect(suspicious[0]!.source).toBe('support-desk.security');
  expect(suspicious[0]!.detail).toMatchObject({ kind: 'CALLER_SWEEP', count: 3, threshold: 3, callerNumberMasked: '+*******9044' });
  expect(detailProblems('SuspiciousActivity', suspicious[0]!.detail)).toEqual([]);
  const alerts = securityInbox().slice(before);
  expect(alerts.map((m) => m.subject)).toEqual(['Support Desk security alert: reset sweep from +*******9044']);
  for (const index of [2, 3, 4, 5]) secrets.add(await driver.latestCode(syntheticEmployee(index)));
});

it('one agent starting verifications for 5 employees (each on its own call) → one AGENT_SWEEP and one alert', async () => {
  const before = securityInbox().length;
  const indexes = [10, 11, 12, 13, 14, 15];
  for (const [i, index] of indexes.entries())
    await driver.start({
      employeeId: syntheticEmployee(index).employeeId,
      callerNumber: `+155555591${String(i).padStart(2, '0')}`,
      action: 'VERIFY',
      actor: 'agent',
      agentId: 'agent-sweeper',
    });
  await twin.settle();
  const sweeps = busEvents.filter((e) => e['detail-type'] === 'SuspiciousActivity' && e.detail.kind === 'AGENT_SWEEP');
  expect(sweeps).toHaveLength(1);
  expect(sweeps[0]!.detail).toMatchObject({ count: 5, threshold: 5, agentId: 'agent-sweeper' });
  expect(detailProblems('SuspiciousActivity', sweeps[0]!.detail)).toEqual([]);
  // Each call had its own number: no caller sweep, only the agent's.
  expect(busEvents.filter((e) => e['detail-type'] === 'SuspiciousActivity' && e.detail.kind === 'CALLER_SWEEP')).toHaveLength(1);
  const alerts = securityInbox().slice(before);
  expect(alerts.map((m) => m.subject)).toEqual(['Support Desk security alert: verification sweep by agent agent-sweeper']);
  expect(alerts[0]!.body.text).toContain('an insider, or a stolen agent session');
  for (const index of indexes) secrets.add(await driver.latestCode(syntheticEmployee(index)));
});

it('the same event delivered twice → one email and one count', async () => {
  const { employee } = await reset(6, '+15555559045');
  const delivered = busEvents.find((e) => e['detail-type'] === 'PasswordReset' && e.detail.employeeId === employee.employeeId)!;
  const noticesBefore = driver.inbox(employee.email).length;
  const countBefore = twin.metrics.sum('PasswordReset', { service: 'support-desk' });
  expect(countBefore).toBeGreaterThanOrEqual(2);
  // EventBridge redelivers the very same event (same id) to each target.
  for (const fn of ['security-notice', 'event-metrics']) {
    const again = await twin.lambdas.invoke(fn, delivered);
    expect(again.ok).toBe(true);
  }
  expect(driver.inbox(employee.email)).toHaveLength(noticesBefore);
  expect(twin.metrics.sum('PasswordReset', { service: 'support-desk' })).toBe(countBefore);
});

it('a consumer refuses an event it does not consume, before it takes an idempotency record', async () => {
  const delivered = busEvents.find((e) => e['detail-type'] === 'PasswordReset')!;
  const passwordReset = {
    ...delivered,
    id: 'refused-then-delivered',
    detail: { ...delivered.detail, executionId: 'refused-then-delivered' },
  };
  for (const [fn, expected] of [
    ['security-alert', 'AccountLocked or SuspiciousActivity or AuditWriteFailed'],
    ['sweep-detector', 'ResetStarted or AccountLocked'],
  ] as const) {
    const result = await twin.lambdas.invoke(fn, passwordReset);
    expect(result).toMatchObject({ ok: false, error: { errorType: 'TypeError', errorMessage: `expected a ${expected} event` } });
  }
  const notice = await twin.lambdas.invoke('security-notice', { ...passwordReset, 'detail-type': 'VerificationFailed' });
  expect(notice).toMatchObject({
    ok: false,
    error: { errorType: 'TypeError', errorMessage: 'expected a PasswordReset or AccountUnlocked or AccountLocked event' },
  });
  // Refused, not recorded: the right event with that id is then processed, once.
  const email = syntheticEmployee(Number(delivered.detail.employeeId) - SYNTHETIC_EMPLOYEE_BASE).email;
  const noticesBefore = driver.inbox(email).length;
  expect(await twin.lambdas.invoke('security-notice', passwordReset)).toMatchObject({ ok: true, payload: { sent: true } });
  expect(driver.inbox(email)).toHaveLength(noticesBefore + 1);
});

it('GET /api/metrics serves the counters and per-minute series the consumers publish', async () => {
  const res = (await (await fetch(`${twin.url}/api/metrics`)).json()) as {
    counters: Record<string, number>;
    series: Array<{ name: string; dimensions: Record<string, string>; perMinute: Array<{ minute: string; sum: number }> }>;
  };
  expect(res.counters).toMatchObject({
    ResetStarted: expect.any(Number),
    PasswordReset: 2,
    AccountLocked: 1,
    SuspiciousActivity: 2, // the caller sweep and the agent sweep
    VerificationFailed: 3,
  });
  const byReason = res.series.find((s) => s.name === 'AccountLockedByReason');
  expect(byReason?.dimensions).toEqual({ service: 'support-desk', locale: 'en-US', reason: 'TOO_MANY_ATTEMPTS' });
  const minutes = res.series.find((s) => s.name === 'PasswordReset' && s.dimensions.service)!.perMinute;
  expect(minutes.reduce((t, m) => t + m.sum, 0)).toBe(2);
  expect(minutes[0]!.minute).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
});

it('a batch re-sent by the workflow (new event ids, same execution) → one email and one count (cfn-asl-iam row 17b)', async () => {
  const employee = syntheticEmployee(6); // reset above
  const delivered = busEvents.find((e) => e['detail-type'] === 'PasswordReset' && e.detail.employeeId === employee.employeeId)!;
  const noticesBefore = driver.inbox(employee.email).length;
  const countBefore = twin.metrics.sum('PasswordReset', { service: 'support-desk' });
  // The putEvents retrier sends the batch again after EventBridge.FailedEntry: EventBridge gives every entry a new id.
  const resent = { ...delivered, id: randomUUID(), time: new Date().toISOString() };
  for (const fn of ['security-notice', 'event-metrics']) expect((await twin.lambdas.invoke(fn, resent)).ok).toBe(true);
  expect(driver.inbox(employee.email)).toHaveLength(noticesBefore);
  expect(twin.metrics.sum('PasswordReset', { service: 'support-desk' })).toBe(countBefore);
  // Control: the same type from another execution is another event.
  const other = { ...resent, id: randomUUID(), detail: { ...delivered.detail, executionId: `${delivered.detail.executionId}-other` } };
  expect((await twin.lambdas.invoke('event-metrics', other)).ok).toBe(true);
  expect(twin.metrics.sum('PasswordReset', { service: 'support-desk' })).toBe(countBefore + 1);
});

it('no notification holds a code, a password or a full caller number', async () => {
  const notifications = twin.ses.emails().filter((m) => !m.subject.includes('verification code'));
  expect(notifications.length).toBeGreaterThanOrEqual(4);
  const text = JSON.stringify(notifications);
  expect([...secrets].filter((s) => containsToken(text, s))).toEqual([]);
  expect(text).not.toMatch(/\+1555555904\d/);
});

describe('the audit trail for the security team', () => {
  const employee = syntheticEmployee(0);

  it('GET /api/audit: by employee newest first, by time, filtered by outcome, paginated', async () => {
    const byEmployee = (await (await fetch(`${twin.url}/api/audit?employeeId=${employee.employeeId}`)).json()) as {
      records: AuditRecord[];
    };
    expect(byEmployee.records.map((r) => `${r.step}:${r.outcome}`)).toEqual(['VERIFY:RESET', 'START:CODE_SENT']);
    expect(byEmployee.records.map((r) => r.seq)).toEqual([2, 1]);
    const resets = (await (await fetch(`${twin.url}/api/audit?type=RESET&from=1d`)).json()) as { records: AuditRecord[] };
    expect(resets.records.length).toBe(2);
    expect(resets.records.every((r) => r.outcome === 'RESET')).toBe(true);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await (await fetch(`${twin.url}/api/audit?from=1d&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        records: AuditRecord[];
        cursor?: string;
      };
      expect(page.records.length).toBeLessThanOrEqual(2);
      seen.push(...page.records.map((r) => `${r.employeeId}#${r.seq}`));
      cursor = page.cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect((await fetch(`${twin.url}/api/audit?employeeId=12`)).status).toBe(400);
    expect((await fetch(`${twin.url}/api/audit?limit=0`)).status).toBe(400);
    expect((await fetch(`${twin.url}/api/audit?cursor=nonsense`)).status).toBe(400);
  });

  it('the chain the workflows wrote in ASL verifies with the same hash computed in code', async () => {
    const chain = (
      await driver.db.send(
        new (
          await import('@aws-sdk/lib-dynamodb')
        ).QueryCommand({
          TableName: tableById('Audit').tableName,
          KeyConditionExpression: 'employeeId = :e',
          ExpressionAttributeValues: { ':e': employee.employeeId },
        }),
      )
    ).Items as AuditRecord[];
    expect(chain).toHaveLength(2);
    expect(chain[0]!.prevHash).toBe('GENESIS');
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    for (const record of chain) expect(auditHash(record)).toBe(record.hash);
    expect(verifyChain(chain)).toEqual([]);
  });

  it('npm run audit lists a reset as CSV, --verify passes, and fails naming a record edited by the break-glass role', async () => {
    const env = { ...process.env, HELPDESK_URL: twin.url };
    const csv = await run(
      'npm',
      ['run', '--silent', 'audit', '--', '--employee', employee.employeeId, '--since', '1d', '--format', 'csv'],
      { cwd: ROOT, env },
    );
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('at,employeeId,seq,step,outcome,reason,callerNumberMasked,sessionId,contactId,eventId,actor,agentId');
    expect(lines.slice(1).map((l) => l.split(',').slice(3, 5).join(':'))).toEqual(['VERIFY:RESET', 'START:CODE_SENT']);

    const ok = await run('npm', ['run', '--silent', 'audit', '--', '--verify', '--since', '1d'], { cwd: ROOT, env });
    // No digest yet in this twin: the records are verified against their chains and said to be unanchored.
    expect(ok.stdout).toMatch(/^OK: \d+ chain\(s\), \d+ record\(s\) and 0 digest\(s\) verified/m);
    expect(ok.stdout).toContain('newer than the last digest');

    // An edit only the break-glass role may make (the table's policy refuses anyone else).
    await driver.breakGlassDb.send(
      new UpdateCommand({
        TableName: tableById('Audit').tableName,
        Key: { employeeId: employee.employeeId, seq: 1 },
        UpdateExpression: 'SET outcome = :o',
        ExpressionAttributeValues: { ':o': 'REJECTED' },
      }),
    );
    const failed = await run('npm', ['run', '--silent', 'audit', '--', '--verify', '--since', '1d'], { cwd: ROOT, env }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain(`BROKEN employee ${employee.employeeId} record 1`);
    expect(failed?.stdout).toContain('HASH_MISMATCH');
  });
});

describe('lock-out surges', () => {
  it('3 lock-outs across the company in a window → one LOCKOUT_SURGE, alerted once', async () => {
    const surgesBefore = busEvents.filter((e) => e.detail.kind === 'LOCKOUT_SURGE').length;
    for (const [index, caller] of [
      [10, '+15555559101'],
      [11, '+15555559102'],
    ] as const) {
      const employee = syntheticEmployee(index);
      const start = await driver.start({ employeeId: employee.employeeId, callerNumber: caller });
      const code = await driver.latestCode(employee);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 3; i += 1) await driver.verify(start.sessionId, wrong);
    }
    await twin.settle();
    // With the lock-out of the earlier test, that makes three in this window.
    const surges = busEvents.filter((e) => e.detail.kind === 'LOCKOUT_SURGE');
    expect(surges.length - surgesBefore).toBe(1);
    expect(surges.at(-1)!.detail).toMatchObject({
      count: 3,
      threshold: 3,
      employeeIds: expect.arrayContaining([
        syntheticEmployee(1).employeeId,
        syntheticEmployee(10).employeeId,
        syntheticEmployee(11).employeeId,
      ]),
    });
    expect(securityInbox().filter((m) => m.subject === 'Support Desk security alert: 3 lock-outs across the company')).toHaveLength(1);
  });
});
