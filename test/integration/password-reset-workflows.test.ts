/**
 * The password reset workflows end to end through the twin: real ASL on the Step Functions endpoint,
 * real dynalite, the real SES store, the real bus. Then a scan of everything the twin retained for any
 * code or password issued during the suite (security rules 1 and 2 (docs/design.md)).
 */
import { StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localClient, startTestTwin } from '../support/test-twin';
import { tableById } from '../../catalogue/table-catalogue';
import { writeFileSync, rmSync } from 'node:fs';
import { WorkflowDriver } from '../support/workflow-driver';
import { TWIN_SMS_ORIGINATION_IDENTITY } from '../../local/twin';
import { scanForSecrets } from '../../local/retention/leak-scan';
import { RECORDER_FUNCTION, recordedEvents } from '../fixtures/fixture-functions';
import { detailProblems } from '../support/event-validator';
import { EVENT_SOURCE } from '../../events/rule-catalogue';
import { passwordFromReadout } from '../../lambdas/domain/password-readout';
import { DEMO_EMPLOYEES, syntheticEmployee } from '../../local/seed/demo-employees';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
/** Every reset event, as the recorder function received it. */
let received: unknown[] = [];
const issuedCodes = new Set<string>();
const issuedPasswords = new Set<string>();
const consoleOutput: string[] = [];

const alex = DEMO_EMPLOYEES.find((e) => e.employeeId === '1234567')!;
const maria = DEMO_EMPLOYEES.find((e) => e.employeeId === '2345678')!;
const disabled = DEMO_EMPLOYEES.find((e) => e.status === 'DISABLED')!;
const synthetic = (i: number) => syntheticEmployee(i);
let callerSeq = 0;
/** A distinct caller number per start, so caller rate limits only bite where a test wants them. */
const nextCaller = () => {
  callerSeq += 1;
  return `+1555777${String(callerSeq).padStart(4, '0')}`;
};

function remember(code: string): string {
  issuedCodes.add(code);
  return code;
}

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map(String).join(' ')));
  }
  twin = await startTestTwin({
    seedEmployees: 60,
    functions: [RECORDER_FUNCTION],
    rules: [
      {
        name: 'test-all-reset-events',
        description: 'records every reset event',
        eventPattern: { source: [EVENT_SOURCE] },
        targets: [{ id: 'recorder', functionName: 'test-recorder' }],
      },
    ],
  });
  received = recordedEvents(twin.lambdas);
  driver = new WorkflowDriver(twin);
});

afterAll(async () => {
  driver.close();
  await twin.cleanup();
  jest.restoreAllMocks();
});

describe('password-reset-start and password-reset-verify', () => {
  it('happy path: code by text to the recovery mobile, RESET, a password the directory accepts once and flags must-change', async () => {
    const start = await driver.start({ employeeId: alex.employeeId, callerNumber: nextCaller() });
    expect(start).toEqual({ status: 'CODE_SENT', sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const code = remember(await driver.latestCode(alex));
    expect(code).toMatch(/^\d{6}$/);
    const text = driver.texts(alex.mobile!).at(-1)!;
    expect(text).toMatchObject({ originationIdentity: TWIN_SMS_ORIGINATION_IDENTITY, messageType: 'TRANSACTIONAL' });
    // Short (one segment), names the desk, the code, the expiry, and what to do about a code not asked for.
    expect(text.body).toBe(`Support Desk code: ${code}. Expires in 10 min. Didn't ask for it? Call security at +18005550100.`);
    expect(text.body.length).toBeLessThanOrEqual(160);
    // Neither the corporate mailbox nor the recovery address got a code.
    expect(driver.inbox(alex.email)).toHaveLength(0);
    expect(driver.inbox(alex.recoveryEmail!)).toHaveLength(0);

    const session = await driver.session(start.sessionId);
    expect(session).toMatchObject({
      state: 'AWAITING_CODE',
      attempts: 0,
      attemptsLeft: 3,
      employeeId: alex.employeeId,
      codeHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(session)).not.toContain(code);

    const verified = await driver.verify(start.sessionId, code);
    expect(verified.status).toBe('RESET');
    const password = verified.password!;
    issuedPasswords.add(password);
    expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12,}$/);
    expect(passwordFromReadout(verified.passwordSsml!)).toBe(password);

    expect(await driver.directory.login(alex.employeeId, 'not-the-password1A')).toMatchObject({ ok: false });
    expect(await driver.directory.login(alex.employeeId, password)).toEqual({ ok: true, mustChangePassword: true });
    expect(await driver.directory.login(alex.employeeId, password)).toMatchObject({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    const employee = await driver.employee(alex.employeeId);
    expect(employee).toMatchObject({ mustChangePassword: true });
    expect(Date.parse(employee!.passwordExpiresAt!) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const audit = await driver.audit(alex.employeeId);
    expect(audit.slice(0, 2).map((a) => `${a.step}:${a.outcome}:${a.reason}`)).toEqual(['VERIFY:RESET:AUTHORIZED', 'START:CODE_SENT:OK']);
    expect(audit[0]).toMatchObject({
      sessionId: start.sessionId,
      callerNumberMasked: expect.stringMatching(/^\+\*+\d{4}$/),
      executionId: expect.stringContaining(':express:password-reset-verify:'),
    });
  });

  it('Spanish: the code text is in Spanish; asked for e-mail, the code e-mail to the recovery address is too', async () => {
    const start = await driver.start({ employeeId: maria.employeeId, callerNumber: nextCaller(), locale: 'es-US' });
    expect(start.status).toBe('CODE_SENT');
    const texted = remember(await driver.latestCode(maria));
    expect(driver.texts(maria.mobile!).at(-1)!.body).toBe(
      `Código de Support Desk: ${texted}. Vence en 10 min. ¿No lo pidió? Llame a seguridad al +18005550100.`,
    );
    const byEmail = await driver.start({
      employeeId: maria.employeeId,
      callerNumber: nextCaller(),
      locale: 'es-US',
      channelPreference: 'EMAIL',
    });
    expect(byEmail.status).toBe('CODE_SENT');
    const code = remember(await driver.latestCode(maria, 'EMAIL'));
    const mail = driver.inbox(maria.recoveryEmail!).at(-1)!;
    expect(mail.subject).toBe('Su código de verificación de Support Desk');
    expect(mail.body.html).toContain(code);
    expect(driver.inbox(maria.email)).toHaveLength(0);
    // The newer start voided the first session: only the e-mailed code's session verifies.
    const verified = await driver.verify(byEmail.sessionId, code);
    issuedPasswords.add(verified.password!);
    expect(verified.passwordSsml).toContain('Su contraseña temporal es');
  });

  it('three wrong codes: INVALID (2 left, 1 left), then LOCKED; a start during the lock sends no email; AccountLocked once', async () => {
    const employee = synthetic(0);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const right = remember(await driver.latestCode(employee));
    const wrong = right === '000000' ? '111111' : '000000';
    expect(await driver.verify(start.sessionId, wrong)).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await driver.verify(start.sessionId, wrong)).toEqual({ status: 'INVALID', attemptsLeft: 1 });
    expect(await driver.verify(start.sessionId, wrong)).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    // Even the right code cannot open a locked session.
    expect(await driver.verify(start.sessionId, right)).toEqual({ status: 'LOCKED', attemptsLeft: 0 });
    expect(await driver.session(start.sessionId)).toMatchObject({ state: 'LOCKED', attempts: 3, attemptsLeft: 0 });
    const locked = await driver.employee(employee.employeeId);
    expect(Date.parse(locked!.lockedUntil!) - Date.now()).toBeGreaterThan(29 * 60 * 1000);

    // The lock-out's own notice (AccountLocked's consumer) is delivered first, so that it is not counted as the start's.
    await twin.settle();
    const mailsBefore = driver.inbox(employee.email).length;
    const again = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    expect(again.status).toBe('CODE_SENT');
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({ outcome: 'REJECTED', reason: 'EMPLOYEE_LOCKED' });

    await twin.settle();
    expect(driver.inbox(employee.email)).toHaveLength(mailsBefore);
    const locks = received.filter((e: any) => e['detail-type'] === 'AccountLocked' && e.detail.employeeId === employee.employeeId);
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatchObject({ detail: { reason: 'TOO_MANY_ATTEMPTS', sessionId: start.sessionId } });
  });

  it('parallel wrong codes on one session never exceed the attempt limit, and lock exactly once', async () => {
    const employee = synthetic(1);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const right = remember(await driver.latestCode(employee));
    const wrong = right === '999999' ? '888888' : '999999';
    const results = await Promise.all(Array.from({ length: 10 }, () => driver.verify(start.sessionId, wrong)));
    expect(results.filter((r) => r.status === 'INVALID')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'LOCKED' && r.attemptsLeft === 0).length).toBeGreaterThanOrEqual(1);
    expect(await driver.session(start.sessionId)).toMatchObject({ attempts: 3, state: 'LOCKED' });
    await twin.settle();
    expect(received.filter((e: any) => e['detail-type'] === 'AccountLocked' && e.detail.sessionId === start.sessionId)).toHaveLength(1);
  });

  it('an expired session answers EXPIRED', async () => {
    const employee = synthetic(2);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = remember(await driver.latestCode(employee));
    await driver.expireSession(start.sessionId);
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'EXPIRED' });
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({ outcome: 'EXPIRED', reason: 'SESSION_EXPIRED' });
  });

  it('a replayed successful verify answers EXPIRED and leaves the password unchanged', async () => {
    const employee = synthetic(3);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = remember(await driver.latestCode(employee));
    const first = await driver.verify(start.sessionId, code);
    issuedPasswords.add(first.password!);
    const hash = (await driver.employee(employee.employeeId))!.passwordHash;
    expect(await driver.verify(start.sessionId, code)).toEqual({ status: 'EXPIRED' });
    expect((await driver.employee(employee.employeeId))!.passwordHash).toBe(hash);
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({ outcome: 'EXPIRED', reason: 'SESSION_COMPLETED' });
  });

  it('20 parallel verifies with the right code give exactly one RESET', async () => {
    const employee = synthetic(4);
    const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
    const code = remember(await driver.latestCode(employee));
    const results = await Promise.all(Array.from({ length: 20 }, () => driver.verify(start.sessionId, code)));
    const resets = results.filter((r) => r.status === 'RESET');
    expect(resets).toHaveLength(1);
    for (const r of resets) issuedPasswords.add(r.password!);
    expect(results.filter((r) => r.password !== undefined)).toHaveLength(1);
    expect(await driver.directory.login(employee.employeeId, resets[0]!.password!)).toEqual({ ok: true, mustChangePassword: true });
    await twin.settle();
    expect(received.filter((e: any) => e['detail-type'] === 'PasswordReset' && e.detail.sessionId === start.sessionId)).toHaveLength(1);
  });

  it('rate limit per employee ID: the 4th start in the window is RATE_LIMITED, audited', async () => {
    const employee = synthetic(5);
    for (let i = 0; i < 3; i += 1) {
      expect((await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() })).status).toBe('CODE_SENT');
      remember(await driver.latestCode(employee));
    }
    const mails = driver.inbox(employee.email).length;
    expect((await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() })).status).toBe('RATE_LIMITED');
    expect(driver.inbox(employee.email)).toHaveLength(mails);
    expect((await driver.audit(employee.employeeId))[0]).toMatchObject({
      step: 'START',
      outcome: 'RATE_LIMITED',
      reason: 'EMPLOYEE_RATE_LIMIT',
    });
  });

  it('rate limit per caller number: the 6th start from one number is RATE_LIMITED, audited', async () => {
    const caller = nextCaller();
    for (let i = 10; i < 15; i += 1) {
      expect((await driver.start({ employeeId: synthetic(i).employeeId, callerNumber: caller })).status).toBe('CODE_SENT');
      remember(await driver.latestCode(synthetic(i)));
    }
    const sixth = synthetic(15);
    expect((await driver.start({ employeeId: sixth.employeeId, callerNumber: caller })).status).toBe('RATE_LIMITED');
    expect(driver.inbox(sixth.email)).toHaveLength(0);
    expect((await driver.audit(sixth.employeeId))[0]).toMatchObject({ outcome: 'RATE_LIMITED', reason: 'CALLER_RATE_LIMIT' });
  });

  it('an unknown ID gets CODE_SENT, no email, an UNKNOWN_EMPLOYEE audit, and a session that behaves like a real one', async () => {
    const before = twin.ses.emails().length;
    const start = await driver.start({ employeeId: '7777777', callerNumber: nextCaller() });
    expect(start).toEqual({ status: 'CODE_SENT', sessionId: expect.any(String) });
    expect(twin.ses.emails()).toHaveLength(before);
    expect((await driver.audit('7777777'))[0]).toMatchObject({ outcome: 'REJECTED', reason: 'UNKNOWN_EMPLOYEE' });
    expect(await driver.verify(start.sessionId, '123456')).toEqual({ status: 'INVALID', attemptsLeft: 2 });
  });

  it('a disabled ID gets CODE_SENT and no email', async () => {
    const before = twin.ses.emails().length;
    expect((await driver.start({ employeeId: disabled.employeeId, callerNumber: nextCaller() })).status).toBe('CODE_SENT');
    expect(twin.ses.emails()).toHaveLength(before);
    expect((await driver.audit(disabled.employeeId))[0]).toMatchObject({ reason: 'EMPLOYEE_DISABLED' });
  });

  it('an employee record without a status is not eligible (no States.Runtime on the missing field): CODE_SENT, no email', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClient(twin.endpoints.dynamodb)));
    await db.send(
      new PutCommand({
        TableName: tableById('Employees').tableName,
        Item: { employeeId: '7777777', name: 'No Status', email: 'nostatus@example.com', locale: 'en-US' },
      }),
    );
    db.destroy();
    const before = twin.ses.emails().length;
    expect((await driver.start({ employeeId: '7777777', callerNumber: nextCaller() })).status).toBe('CODE_SENT');
    expect(twin.ses.emails()).toHaveLength(before);
    expect((await driver.audit('7777777'))[0]).toMatchObject({ reason: 'EMPLOYEE_DISABLED' });
  });

  it('SMS failing: the caller hears CODE_SENT like any ID; the delivery, off the path, is retried, then a VerificationCodeDeliveryFailed event', async () => {
    const employee = synthetic(20);
    twin.faults.inject({ service: 'sms', operation: 'SendTextMessage', errorCode: 'InternalServerException', httpStatus: 500 });
    try {
      const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
      expect(start.status).toBe('CODE_SENT');
      await twin.settle();
      // The SDK's standard retry mode: 3 attempts (maxAttempts 3 in lambdas/aws/sms-sender.ts).
      expect(twin.faults.list()[0]!.hits).toBe(3);
      expect(driver.texts(employee.mobile!)).toHaveLength(0);
      expect(driver.inbox(employee.recoveryEmail!)).toHaveLength(0);
      // The caller heard CODE_SENT; the trail says the code never went out, and why.
      expect((await driver.audit(employee.employeeId)).slice(0, 2).map((a) => `${a.step}:${a.outcome}:${a.reason}`)).toEqual([
        'DELIVER:NOT_DELIVERED:DELIVERY_FAILED',
        'START:CODE_SENT:OK',
      ]);
      expect(
        received.filter((e: any) => e['detail-type'] === 'VerificationCodeDeliveryFailed' && e.detail.sessionId === start.sessionId),
      ).toHaveLength(1);
    } finally {
      twin.faults.clear();
    }
  });

  describe('the timing budget: nothing irreversible once the caller may no longer hear it', () => {
    // A deadline that has (almost) passed, as when the caller's Lambda gave up or was slow to call.
    const tooLate = () => new Date(Date.now() + 1000).toISOString();

    it('a verify too late to report the password sets none, and the session stays verifiable', async () => {
      const employee = synthetic(22);
      const start = await driver.start({ employeeId: employee.employeeId, callerNumber: nextCaller() });
      const code = remember(await driver.latestCode(employee));
      const before = (await driver.employee(employee.employeeId))?.passwordHash;
      expect(await driver.verify(start.sessionId, code, undefined, tooLate())).toEqual({ status: 'UNAVAILABLE' });
      expect((await driver.employee(employee.employeeId))?.passwordHash).toBe(before);
      expect((await driver.audit(employee.employeeId)).slice(0, 2).map((a) => `${a.outcome}:${a.reason}`)).toEqual([
        'ERROR:DEADLINE_EXCEEDED',
        'RESET:AUTHORIZED',
      ]);
      const verified = await driver.verify(start.sessionId, code);
      expect(verified.status).toBe('RESET');
      issuedPasswords.add(verified.password!);
    });

    it('a workflow without a deadline refuses as invalid input', async () => {
      const out = await driver.sfn.send(
        new StartSyncExecutionCommand({
          stateMachineArn: twin.stepFunctions.machineArn('password-reset-verify'),
          input: JSON.stringify({ sessionId: 'no-such-session', code: '123456', contactId: 'c' }),
        }),
      );
      expect(JSON.parse(out.output!)).toEqual({ status: 'UNAVAILABLE' });
    });
  });

  it('bad input never crashes a workflow', async () => {
    const start = await driver.start({ employeeId: '12<script>', callerNumber: 'not a number', locale: 'xx' as never });
    expect(start.status).toBe('UNAVAILABLE');
    expect((await driver.audit('-'))[0]).toMatchObject({ reason: 'INVALID_INPUT' });
    expect(await driver.verify('no-such-session', '123456')).toEqual({ status: 'EXPIRED' });
    const out = await driver.sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: twin.stepFunctions.machineArn('password-reset-verify'),
        input: JSON.stringify({ sessionId: 42, code: ['1'] }),
      }),
    );
    expect(JSON.parse(out.output!)).toEqual({ status: 'UNAVAILABLE' });
  });

  it('every event delivered matches its versioned schema', async () => {
    await twin.settle();
    const events = (await driver.archivedEvents()).filter((e) => (e as { source?: string }).source === EVENT_SOURCE);
    expect(events.length).toBeGreaterThan(20);
    for (const event of events)
      expect([event['detail-type'], detailProblems(event['detail-type'], event.detail)]).toEqual([event['detail-type'], []]);
    expect(new Set(events.map((e) => e['detail-type']))).toEqual(
      new Set([
        'ResetStarted',
        'VerificationCodeRequested',
        'VerificationCodeSent',
        'VerificationCodeDeliveryFailed',
        'ResetRejected',
        'VerificationFailed',
        'AccountLocked',
        'PasswordReset',
      ]),
    );
  });
});

describe('security rules 1 and 2: nothing retained holds a code or a password', () => {
  it('finds no issued code or password in the data folder (mail store aside), the tables or the console', async () => {
    expect(issuedCodes.size).toBeGreaterThan(10);
    expect(issuedPasswords.size).toBeGreaterThanOrEqual(4);
    await twin.settle();
    await twin.data.flush();
    const scan = (extra: Record<string, string> = {}) =>
      scanForSecrets({
        dataDir: twin.data.root,
        dynamodbEndpoint: twin.endpoints.dynamodb,
        extraText: { console: consoleOutput.join('\n'), ...extra },
        secrets: [...issuedCodes, ...issuedPasswords],
      });
    expect(await scan()).toEqual([]);
    // And the scan would see one if it were there: in a file of the data folder, or in the output.
    const planted = [...issuedPasswords][0]!;
    writeFileSync(twin.data.path('planted.log'), `oops ${planted}\n`);
    expect(await scan({ output: `code ${[...issuedCodes][0]}` })).toEqual([
      { secret: [...issuedCodes][0], where: 'output' },
      { secret: planted, where: 'planted.log' },
    ]);
    rmSync(twin.data.path('planted.log'));
    // Even a value written to a table and then deleted: LevelDB's write-ahead log still holds it.
    const erased = [...issuedPasswords][1]!;
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClient(twin.endpoints.dynamodb)));
    await db.send(
      new PutCommand({ TableName: tableById('Prompts').tableName, Item: { flow: 'leak-probe', locale: 'en-US', text: erased } }),
    );
    await db.send(new DeleteCommand({ TableName: tableById('Prompts').tableName, Key: { flow: 'leak-probe', locale: 'en-US' } }));
    db.destroy();
    expect(await scan()).toEqual([{ secret: erased, where: expect.stringMatching(/^dynamodb\/\d+\.log$/) }]);
  });
});
