/**
 * Failures of what the product depends on, through the twin: SES 5xx (recovering, and not), DynamoDB
 * throttling on every operation the workflows use, an EventBridge target failing (retries, dead
 * letters, replay once), and the twin killed with SIGKILL mid-call. (A Lambda timing out inside the
 * flow is in contact-flows.test.ts.) After it all, the leak scan finds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { Phone } from '../../local/softphone/phone';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { scanForSecrets } from '../../local/retention/leak-scan';
import { startTwinProcess } from '../../bench/twin-process';

jest.setTimeout(90_000);
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const secrets = new Set<string>();
const consoleOutput: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map(String).join(' ')));
  }
  twin = await startTestTwin({ seedEmployees: 30, delivery: { maxAttempts: 3, baseDelayMs: 5 } });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
  jest.restoreAllMocks();
});
afterEach(() => twin.faults.clear());

async function fullReset(index: number, caller: string, channelPreference?: 'SMS' | 'EMAIL') {
  const employee = syntheticEmployee(index);
  const start = await driver.start({
    employeeId: employee.employeeId,
    callerNumber: caller,
    ...(channelPreference && { channelPreference }),
  });
  expect(start.status).toBe('CODE_SENT');
  const code = await driver.latestCode(employee, channelPreference);
  secrets.add(code);
  const verified = await driver.verify(start.sessionId, code);
  if (verified.password) secrets.add(verified.password);
  return { employee, start, verified, code };
}

describe('code delivery (SES, End User Messaging SMS)', () => {
  it('SES 5xx then recovering: the SDK retries and the e-mailed code still goes out', async () => {
    twin.faults.inject({ service: 'ses', operation: 'SendEmail', errorCode: 'ServiceUnavailable', httpStatus: 503, count: 2 });
    const { employee, verified } = await fullReset(0, '+15555551001', 'EMAIL');
    expect(twin.faults.list()[0]).toMatchObject({ hits: 2, remaining: 0 });
    expect(driver.inbox(employee.recoveryEmail!).length).toBeGreaterThanOrEqual(1);
    expect(verified.status).toBe('RESET');
  });

  it('SMS 5xx then recovering: the SDK retries and the texted code still goes out', async () => {
    twin.faults.inject({ service: 'sms', operation: 'SendTextMessage', errorCode: 'InternalServerException', httpStatus: 500, count: 2 });
    const { employee, verified } = await fullReset(25, '+15555551003');
    expect(twin.faults.list()[0]).toMatchObject({ hits: 2, remaining: 0 });
    expect(driver.texts(employee.mobile!)).toHaveLength(1);
    expect(verified.status).toBe('RESET');
  });

  it('SMS 5xx that does not recover: the caller hears what any ID hears (told to stay on for an agent if no code comes); the failure is an event', async () => {
    twin.faults.inject({ service: 'sms', operation: 'SendTextMessage', errorCode: 'InternalServerException', httpStatus: 500 });
    try {
      const employee = syntheticEmployee(1);
      const p = new Phone(twin.url);
      await p.dial('+15555551002', 'en-US');
      await p.key('1');
      await p.key(`${employee.employeeId}#`);
      await p.key('1');
      const out = await p.key('1');
      expect(out.prompts.map((x) => x.text)).toEqual([
        expect.stringContaining("If it does not arrive, stay on the line and we'll connect you to an agent."),
      ]);
      await twin.settle();
      expect(driver.texts(employee.mobile!)).toHaveLength(0);
      // The caller heard CODE_SENT; the trail says the code never went out, and why.
      expect((await driver.audit(employee.employeeId)).slice(0, 2).map((a) => `${a.step}:${a.outcome}:${a.reason}`)).toEqual([
        'DELIVER:NOT_DELIVERED:DELIVERY_FAILED',
        'START:CODE_SENT:OK',
      ]);
      const failures = (await retainedRecords(twin, 'events')).filter(
        (e) => e['detail-type'] === 'VerificationCodeDeliveryFailed' && e.detail.employeeId === employee.employeeId,
      );
      expect(failures.map((e) => [e.detail.channel, e.detail.reason])).toEqual([['SMS', 'DELIVERY_FAILED']]);
    } finally {
      twin.faults.clear();
    }
  });
});

describe('DynamoDB throttling', () => {
  it.each(['GetItem', 'UpdateItem', 'PutItem', 'Query'])(
    '%s throttled: retried with backoff, one reset, audit complete',
    async (operation) => {
      const index = { GetItem: 2, UpdateItem: 3, PutItem: 4, Query: 5 }[operation]!;
      twin.faults.inject({
        service: 'dynamodb',
        operation,
        errorCode: 'ProvisionedThroughputExceededException',
        httpStatus: 400,
        count: 2,
      });
      const { employee, start, verified, code } = await fullReset(index, `+1555555110${index}`);
      expect(twin.faults.list()[0]!.hits).toBe(2);
      expect(verified.status).toBe('RESET');
      await twin.settle();
      const audit = await driver.audit(employee.employeeId);
      expect(audit.map((a) => `${a.step}:${a.outcome}`)).toEqual(['VERIFY:RESET', 'START:CODE_SENT']);
      // The same code again: no second password.
      expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'EXPIRED' });
    },
  );
});

describe('the audit table failing before the password is set', () => {
  it('no unrecorded reset: UNAVAILABLE, no password set, an AuditWriteFailed event and an alert; once it recovers the same code resets', async () => {
    const employee = syntheticEmployee(20);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: '+15555551120' });
    const code = await driver.latestCode(employee);
    secrets.add(code);
    const before = (await driver.employee(employee.employeeId))?.passwordHash;
    // The verify workflow's only PutItem is its audit record: every try fails, the counted loop included.
    twin.faults.inject({ service: 'dynamodb', operation: 'PutItem', errorCode: 'InternalServerError', httpStatus: 500 });
    const refused = await driver.verify(start.sessionId, code);
    twin.faults.clear();
    expect(refused).toEqual({ status: 'UNAVAILABLE' });
    // The write-ahead record could not be written, so the directory was never touched.
    expect((await driver.employee(employee.employeeId))?.passwordHash).toBe(before);
    await twin.settle();
    const events = (await retainedRecords(twin, 'events')).filter((e) => e['detail-type'] === 'AuditWriteFailed');
    expect(events.map((e) => e.detail)).toEqual([
      expect.objectContaining({ employeeId: employee.employeeId, step: 'VERIFY', outcome: 'RESET' }),
    ]);
    const alert = driver
      .inbox('security@example.com')
      .find((m) => m.subject.includes(`audit record missing for employee ${employee.employeeId}`));
    expect(alert?.body.text).toContain('was about to set a temporary password, but its audit record could not be written, so it did not');
    expect((await driver.audit(employee.employeeId)).map((a) => `${a.step}:${a.outcome}`)).toEqual(['START:CODE_SENT']);
    // The session was reopened with its attempt given back: the same code now resets, recorded first.
    const verified = await driver.verify(start.sessionId, code);
    if (verified.password) secrets.add(verified.password);
    expect(verified.status).toBe('RESET');
    expect(await driver.directory.login(employee.employeeId, verified.password!)).toEqual({ ok: true, mustChangePassword: true });
    expect((await driver.audit(employee.employeeId)).map((a) => `${a.step}:${a.outcome}:${a.reason}`)).toEqual([
      'VERIFY:RESET:AUTHORIZED',
      'START:CODE_SENT:OK',
    ]);
  }, 60_000);
});

describe('Step Functions failing once', () => {
  it('a failed StartSyncExecution is not retried by the SDK (not idempotent for Express): one call, UNAVAILABLE', async () => {
    twin.faults.inject({
      service: 'stepfunctions',
      operation: 'StartSyncExecution',
      errorCode: 'InternalFailure',
      httpStatus: 500,
      count: 2,
    });
    try {
      const event = {
        Name: 'ContactFlowEvent',
        Details: { ContactData: { ContactId: 'no-retry', Attributes: {} }, Parameters: { sessionId: 'no-such-session', code: '123456' } },
      };
      const result = await twin.lambdas.invoke('verify-code', event);
      expect(result).toMatchObject({ ok: true, payload: { status: 'UNAVAILABLE' } });
      expect(twin.faults.list()).toEqual([expect.objectContaining({ operation: 'StartSyncExecution', hits: 1, remaining: 1 })]);
    } finally {
      twin.faults.clear();
    }
  });
});

describe('EventBridge target failing', () => {
  it('retries, then dead-letters; a replay delivers once, a second replay not again', async () => {
    const employee = syntheticEmployee(6);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: '+15555551201' });
    const code = await driver.latestCode(employee);
    secrets.add(code);
    // From here the notice consumer cannot send mail: its deliveries fail until the fault is cleared.
    twin.faults.inject({ service: 'ses', operation: 'SendEmail', errorCode: 'ServiceUnavailable', httpStatus: 503 });
    const verified = await driver.verify(start.sessionId, code);
    secrets.add(verified.password!);
    await twin.settle();
    const letters = await retainedRecords(twin, 'eventsDeadLetter');
    const notice = letters.find((l) => l.rule === 'password-reset-notice' && l.event.detail.employeeId === employee.employeeId);
    expect(notice).toMatchObject({ attempts: 3, targetId: 'security-notice' });
    const notices = () => driver.inbox(employee.email).filter((m) => m.subject === 'Your password was reset by phone');
    expect(notices()).toHaveLength(0);

    twin.faults.clear();
    const replayed = (await (
      await fetch(`${twin.url}/api/events/dead-letters/replay`, { method: 'POST', headers: { 'content-type': 'application/json' } })
    ).json()) as { replayed: number };
    expect(replayed.replayed).toBeGreaterThanOrEqual(1);
    expect(notices()).toHaveLength(1);
    expect(await twin.bus.replayDeadLetters()).toBe(0);
    expect(notices()).toHaveLength(1);
  });
});

describe('the twin killed mid-call', () => {
  it('SIGKILL after the code is sent: the session survives the restart, the code still works once, nothing is reset twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-sigkill-'));
    let twinProcess = await startTwinProcess({ dataDir, fresh: true, seedEmployees: 3 });
    try {
      const employee = syntheticEmployee(2);
      const p = new Phone(twinProcess.url);
      await p.dial('+15555551301', 'en-US');
      await p.key('1');
      await p.key(`${employee.employeeId}#`);
      await p.key('1');
      const sent = await p.key('1');
      expect(sent.prompts[0]!.text).toContain('we just sent');
      // The code goes out after the answer: wait for it, as the caller would.
      let code = '';
      while (!code) {
        const texts = (await (await fetch(`${twinProcess.url}/api/sms?to=${encodeURIComponent(employee.mobile!)}`)).json()) as {
          messages: Array<{ body: string }>;
        };
        code = /\b(\d{6})\b/.exec(texts.messages[0]?.body ?? '')?.[1] ?? '';
        if (!code) await new Promise((r) => setTimeout(r, 50));
      }
      secrets.add(code);
      const audit = (await (await fetch(`${twinProcess.url}/api/audit?employeeId=${employee.employeeId}`)).json()) as {
        records: Array<{ sessionId: string }>;
      };
      const sessionId = audit.records[0]!.sessionId;

      await twinProcess.kill();
      twinProcess = await startTwinProcess({ dataDir, seedEmployees: 3 });
      const restarted = new WorkflowDriver({
        ...twin,
        endpoints: { ...twin.endpoints, ...twinProcess.endpoints } as never,
        stepFunctions: { machineArn: twin.stepFunctions.machineArn.bind(twin.stepFunctions) } as never,
      } as never);
      // The call was lost with the process, as a phone call is; the reset it started was not.
      expect((await fetch(`${twinProcess.url}/api/calls/${p.contactId}`)).status).toBe(404);
      // The verify the flow would make on that call (its contact is the session's).
      const { contactId } = (await restarted.session(sessionId)) as { contactId: string };
      const verified = await restarted.verify(sessionId, code, contactId);
      expect(verified.status).toBe('RESET');
      secrets.add(verified.password!);
      expect(await restarted.verify(sessionId, code, contactId)).toEqual({ status: 'EXPIRED' });
      const after = (await (await fetch(`${twinProcess.url}/api/audit?employeeId=${employee.employeeId}`)).json()) as {
        records: Array<{ outcome: string }>;
      };
      expect(after.records.map((r) => r.outcome)).toEqual(['EXPIRED', 'RESET', 'CODE_SENT']);
      const leaks = await scanForSecrets({
        dataDir,
        dynamodbEndpoint: twinProcess.endpoints.dynamodb!,
        extraText: { 'twin output': twinProcess.output() },
        secrets: [code, verified.password!],
      });
      expect(leaks).toEqual([]);
      restarted.close();
    } finally {
      await twinProcess.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the leak scan after the fault tests', () => {
  it('finds no code or password anywhere the twin retained, nor in the console output', async () => {
    await twin.settle();
    await twin.data.flush();
    expect(secrets.size).toBeGreaterThanOrEqual(10);
    const leaks = await scanForSecrets({
      dataDir: twin.data.root,
      dynamodbEndpoint: twin.endpoints.dynamodb,
      extraText: { console: consoleOutput.join('\n') },
      secrets,
    });
    expect(leaks).toEqual([]);
  });
});
