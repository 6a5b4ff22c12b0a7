/**
 * Full phone calls through the call API: the contact flow in the runner, the Lex bots in the Lex
 * runtime, the Connect Lambdas and the workflows behind them.
 *
 * The conversations themselves are Connect test cases (connect/tests, run by connect-test-cases.test.ts
 * and on the instance). What stays here is what the Testing language cannot express, each test saying
 * which: the password that was read out (a test case never learns it, by design), what the directory,
 * the tables, the inbox, the contact record and the recordings hold afterwards, exact equality of two
 * calls, the call API's own 4xx answers; then nothing retained may hold a code or a password (security
 * rules 1 and 2 (docs/design.md)).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { WorkflowDriver, type RecoveryChannels } from '../support/workflow-driver';
import { scanForSecrets } from '../../local/retention/leak-scan';
import { Phone } from '../../local/softphone/phone';
import { passwordFromReadout } from '../../lambdas/domain/password-readout';
import { RETAINED_FILES } from '../../local/retention/data-folder';
import { DEMO_EMPLOYEES, syntheticEmployee } from '../../local/seed/demo-employees';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const codes = new Set<string>();
const passwords = new Set<string>();
const consoleOutput: string[] = [];
let callerSeq = 0;
const caller = () => {
  callerSeq += 1;
  return `+1555444${String(callerSeq).padStart(4, '0')}`;
};

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map(String).join(' ')));
  }
  twin = await startTestTwin({ seedEmployees: 40, forceLexTextLogs: true });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
  jest.restoreAllMocks();
});

const phone = () => new Phone(twin.url);

async function contactRecord(contactId: string): Promise<any> {
  const lines = await retainedRecords(twin, 'contactRecords');
  return lines.find((r) => r.ContactId === contactId);
}

async function code(employee: RecoveryChannels): Promise<string> {
  const c = await driver.latestCode(employee);
  codes.add(c);
  return c;
}

/** The password in the last readout: the say-as groups in order. */
function readoutPassword(p: Phone): string {
  const readout = p.heard.findLast((h) => h.ssml?.includes('interpret-as="characters"'));
  const password = passwordFromReadout(readout!.ssml!);
  passwords.add(password);
  return password;
}

describe('calls', () => {
  it('reset by voice: menu, ID, confirmation, code, readout, repeat, thanks; the password logs on once with must-change', async () => {
    // Jest, not a test case: the password read out (and repeated) is compared and logged on with; a code
    // said aloud needs the code in hand; the contact record is checked.
    const employee = syntheticEmployee(0);
    const p = phone();
    const dialed = await p.dial(caller());
    expect(dialed).toMatchObject({ awaiting: 'dtmf', ended: false, prompts: [{ text: 'For English, press 1. Para español, oprima 2.' }] });
    expect((await p.key('1')).prompts.map((x) => x.text)).toEqual([
      'Thank you for calling the Support Desk.',
      expect.stringContaining('To reset your password, say reset my password or press 1.'),
    ]);
    const afterMenu = await p.say('I forgot my password');
    expect(afterMenu.prompts.map((x) => x.text)).toEqual([
      expect.stringContaining('To protect your account'),
      'Please say or key in your seven-digit employee ID, then press pound.',
    ]);
    expect(afterMenu.awaiting).toBe('voice_or_dtmf');
    const spokenId = employee.employeeId
      .split('')
      .map((d) => ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(d)])
      .join(' ');
    expect(p.lastPromptsText()).toContain('employee ID');
    expect((await p.say(spokenId)).prompts[0]!.ssml).toContain(`<say-as interpret-as="digits">${employee.employeeId}</say-as>`);
    expect((await p.say('yes')).prompts[0]!.text).toBe(
      'Should we send your code by text or by email? Say text or press 1. Say email or press 2.',
    );
    expect((await p.say('by text')).prompts[0]!.text).toContain(
      'we just sent a six-digit code to the phone or email registered for recovery',
    );
    const c = await code(employee);
    const spokenCode = c
      .split('')
      .map((d) => ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(d)])
      .join(' ');
    // The code slot is keypad only: a code said aloud is not heard (and not spoken into a recording).
    expect((await p.say(spokenCode)).prompts.map((x) => x.text)).toEqual([
      'Sorry, I need the six digits of the code we sent you. Key them in, then press pound.',
    ]);
    const readout = await p.key(`${c}#`);
    expect(readout.prompts.map((x) => x.text)).toEqual([
      expect.stringContaining('Here is your temporary password'),
      expect.stringContaining('Your temporary password is'),
      expect.stringContaining('To hear your password again, press 1'),
    ]);
    const password = readoutPassword(p);
    const repeated = await p.key('1');
    expect(passwordFromReadout(repeated.prompts[0]!.ssml!)).toBe(password);
    const end = await p.key('2');
    expect(end).toMatchObject({
      ended: true,
      awaiting: null,
      disposition: 'DISCONNECTED',
      prompts: [{ text: expect.stringContaining('Your password has been reset') }],
    });

    const login = await p.raw<{ ok: boolean; mustChangePassword: boolean }>('POST', '/api/directory/login', {
      employeeId: employee.employeeId,
      password,
    });
    expect(login).toEqual({ status: 200, body: { ok: true, mustChangePassword: true } });
    const record = await contactRecord(p.contactId);
    expect(record).toMatchObject({
      ContactId: p.contactId,
      Channel: 'VOICE',
      DisconnectReason: 'CONTACT_FLOW_DISCONNECT',
      Queue: null,
      LanguageCode: 'en-US',
      Attributes: { locale: 'en-US', prmGreeting: expect.any(String) },
    });
    expect(JSON.stringify(record)).not.toContain(password);
  });

  it('Spanish: the language menu, the bots and the readout in Spanish', async () => {
    // Jest, not a test case: the e-mail's language (the inbox) and the contact record's LanguageCode.
    const employee = syntheticEmployee(2);
    const p = phone();
    await p.dial(caller());
    expect((await p.key('2')).prompts[0]!.text).toBe('Gracias por llamar a Support Desk.');
    expect((await p.say('restablecer mi contraseña')).prompts.at(-1)!.text).toContain('número de empleado');
    const spoken = employee.employeeId
      .split('')
      .map((d) => ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'][Number(d)])
      .join(' ');
    expect((await p.say(spoken)).prompts[0]!.text).toContain('Escuché');
    expect((await p.say('sí')).prompts[0]!.text).toContain('¿Le enviamos el código por mensaje de texto o por correo?');
    expect((await p.say('por texto')).prompts[0]!.text).toContain('acabamos de enviar un código');
    const spanishCode = await code(employee);
    expect(driver.texts(employee.mobile!).at(-1)!.body).toMatch(/^Código de Support Desk: \d{6}\. Vence en \d+ min\./);
    const readout = await p.key(`${spanishCode}#`);
    expect(readout.prompts[1]!.text).toContain('Su contraseña temporal es');
    readoutPassword(p);
    expect((await p.key('2')).prompts[0]!.text).toContain('Su contraseña fue restablecida');
    expect(await contactRecord(p.contactId)).toMatchObject({ LanguageCode: 'es-US', Attributes: { locale: 'es-US' } });
  });

  it('a wrong code, then the right one; hanging up during the readout', async () => {
    // Jest, not a test case: the caller hangs up mid-readout and the contact record says CUSTOMER_DISCONNECT.
    const employee = syntheticEmployee(3);
    const p = phone();
    await p.dial(caller(), 'en-US');
    await p.say('reset my password');
    await p.key(`${employee.employeeId}#`);
    await p.say('yes');
    await p.say('text');
    const right = await code(employee);
    const wrong = right === '111111' ? '222222' : '111111';
    const retry = await p.key(`${wrong}#`);
    expect(retry).toMatchObject({ awaiting: 'dtmf', prompts: [{ text: expect.stringContaining("That code didn't match") }] });
    await p.key(`${right}#`);
    readoutPassword(p);
    expect(p.lastPromptsText()).toContain('Your temporary password is');
    expect(await p.hangUp()).toMatchObject({ ended: true, disposition: 'HUNG_UP' });
    expect(await contactRecord(p.contactId)).toMatchObject({ DisconnectReason: 'CUSTOMER_DISCONNECT' });
  });

  it('three wrong codes lock the reset and transfer to the agent queue', async () => {
    // Jest, not a test case: the lock in the employee's record and the contact record's queue.
    const employee = syntheticEmployee(4);
    const p = phone();
    await p.dial(caller(), 'en-US');
    await p.key('1');
    await p.key(`${employee.employeeId}#`);
    await p.key('1');
    await p.key('1');
    const right = await code(employee);
    const wrong = right === '111111' ? '222222' : '111111';
    await p.key(`${wrong}#`);
    await p.key(`${wrong}#`);
    const locked = await p.key(`${wrong}#`);
    expect(locked).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset' });
    expect(locked.prompts.map((x) => x.text)).toEqual([
      expect.stringContaining('verification by phone is now locked'),
      'Please hold while I connect you to an agent.',
    ]);
    const record = await contactRecord(p.contactId);
    expect(record).toMatchObject({ Queue: { Name: 'PasswordReset' }, DisconnectReason: 'CONTACT_FLOW_TRANSFER' });
    expect((await driver.employee(employee.employeeId))!.lockedUntil).toBeDefined();
    // What the agent sees on arrival (issue #20): who, how far verification got, why; never a secret.
    expect(record.Attributes).toMatchObject({
      agentEmployeeId: employee.employeeId,
      agentVerificationState: 'LOCKED',
      agentTransferReason: 'LOCKED',
      agentLocale: 'en-US',
      agentCallerNumberMasked: expect.stringMatching(/^\+\*+\d{4}$/),
    });
    const attributeText = JSON.stringify(record.Attributes);
    for (const secret of [right, wrong]) expect(attributeText).not.toContain(secret);
  });

  it('the agent context says why and how far: a wrong code then no code at all; the agent asked for from the menu', async () => {
    // Jest, not a test case: the contact record's attributes are read.
    const employee = syntheticEmployee(6);
    const p = phone();
    await p.dial(caller(), 'en-US');
    await p.key('1');
    await p.key(`${employee.employeeId}#`);
    await p.key('1');
    await p.key('1');
    const right = await code(employee);
    await p.key(`${right === '111111' ? '222222' : '111111'}#`);
    // Silence at the re-entry, twice over: no code entered.
    let last = await p.key('');
    while (!last.ended) last = await p.key('');
    expect(last).toMatchObject({ disposition: 'TRANSFERRED' });
    expect((await contactRecord(p.contactId)).Attributes).toMatchObject({
      agentEmployeeId: employee.employeeId,
      agentVerificationState: 'FAILED_1',
      agentTransferReason: 'NO_CODE_ENTERED',
    });
    const q = phone();
    await q.dial(caller(), 'es-US');
    await q.key('0');
    const attributes = (await contactRecord(q.contactId)).Attributes;
    expect(attributes).toMatchObject({
      agentVerificationState: 'NOT_STARTED',
      agentTransferReason: 'AGENT_REQUESTED',
      agentLocale: 'es-US',
    });
    expect(attributes.agentEmployeeId).toBeUndefined();
  });

  it('"agent" from the menu goes to the queue', async () => {
    // Jest, not a test case: the call's transcript (what was recorded) is read.
    const p = phone();
    await p.dial(caller(), 'en-US');
    const transferred = await p.say('uh I need a human');
    expect(transferred).toMatchObject({
      ended: true,
      disposition: 'TRANSFERRED',
      queue: 'PasswordReset',
      prompts: [{ text: 'Please hold while I connect you to an agent.' }],
    });
    const details = await p.details();
    expect(details).toMatchObject({ disposition: 'TRANSFERRED', queue: 'PasswordReset', ended: true });
    // The menu is not recorded (security review F12: a caller may say anything there, a code included).
    const lines = details.transcript.map((t: { from: string; text: string }) => `${t.from}: ${t.text}`);
    expect(lines).toContain('caller: [not recorded]');
    expect(lines.join('\n')).not.toContain('uh I need a human');
  });

  it('a known ID, an unknown ID and an ID with no recovery channel hear the same thing, turn by turn; only the known one gets a code', async () => {
    // Jest, not a test case: three calls compared turn by turn, word for word, and what was sent.
    const casey = DEMO_EMPLOYEES.find((e) => e.employeeId === '6789012')!;
    expect([casey.mobile, casey.recoveryEmail]).toEqual([undefined, undefined]);
    const run = async (employeeId: string) => {
      const p = phone();
      await p.dial(caller(), 'en-US');
      const turns: string[] = [];
      const turn = async (keys: string) => {
        const out = await p.key(keys);
        turns.push(`${out.prompts.map((x) => x.text).join(' | ')} [${out.awaiting}]`.replaceAll(employeeId, '<ID>'));
      };
      await turn('1'); // reset
      await turn(`${employeeId}#`);
      await turn('1'); // yes
      await turn('1'); // a text
      await turn('123456#'); // a code that is not theirs
      return { p, turns };
    };
    const sentBefore = { texts: twin.sms.texts().length, mails: twin.ses.emails().length };
    const unknown = await run('7654321');
    const none = await run(casey.employeeId);
    await twin.settle();
    // Neither the unknown ID nor the ID without a channel got anything, anywhere.
    expect({ texts: twin.sms.texts().length, mails: twin.ses.emails().length }).toEqual(sentBefore);
    const known = await run(syntheticEmployee(5).employeeId);
    const knownCode = await code(syntheticEmployee(5));
    expect(knownCode).not.toBe('123456');
    expect(none.turns).toEqual(unknown.turns);
    expect(known.turns).toEqual(unknown.turns);
    expect(known.turns[3]).toContain('we just sent a six-digit code to the phone or email registered for recovery');
    expect(known.turns[4]).toContain("That code didn't match");
    // The security team sees why Casey got nothing (the caller does not).
    const failed = (await driver.archivedEvents()).filter(
      (e) => e['detail-type'] === 'VerificationCodeDeliveryFailed' && e.detail.employeeId === casey.employeeId,
    );
    expect(failed.map((e) => [e.detail.channel, e.detail.reason])).toEqual([['NONE', 'NO_RECOVERY_CHANNEL']]);
    const trail = await driver.audit(casey.employeeId);
    expect(trail.slice(0, 3).map((a) => `${a.step}:${a.outcome}:${a.reason}`)).toEqual([
      'VERIFY:INVALID:WRONG_CODE',
      'DELIVER:NOT_DELIVERED:NO_RECOVERY_CHANNEL',
      'START:CODE_SENT:OK',
    ]);
    // One chain: the Lambda's record links to the start's, and the verify's to it.
    expect(trail[1]).toMatchObject({ workflow: 'issue-verification-code', prevHash: trail[2]!.hash });
    expect(trail[0]!.prevHash).toBe(trail[1]!.hash);
    expect(twin.metrics.sum('CodeNoRecoveryChannel', { service: 'support-desk' })).toBe(1);
    for (const call of [unknown, none, known]) await call.p.hangUp();
  });

  it('a keypad call for a demo employee with a mobile: the code read from GET /api/sms resets the password; the corporate mailbox gets no code', async () => {
    // Jest, not a test case: the code is read over the twin's HTTP API, as a person with the phone would, and the mailboxes are checked.
    const priya = DEMO_EMPLOYEES.find((e) => e.employeeId === '5678901')!;
    const p = phone();
    await p.dial(caller(), 'en-US');
    await p.key('1');
    await p.key('1');
    await p.key(`${priya.employeeId}#`);
    await p.key('1');
    expect(p.lastPromptsText()).toContain('by text or by email');
    expect((await p.key('1')).prompts[0]!.text).toContain('we just sent a six-digit code');
    await twin.settle();
    const res = await fetch(`${twin.url}/api/sms?to=${encodeURIComponent(priya.mobile!)}`);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: Array<{ to: string; body: string }> };
    expect(messages[0]!.to).toBe(priya.mobile);
    const texted = /Support Desk code: (\d{6})\./.exec(messages[0]!.body)![1]!;
    codes.add(texted);
    const readout = await p.key(`${texted}#`);
    expect(readout.prompts[0]!.text).toContain('Here is your temporary password');
    const password = readoutPassword(p);
    expect(await driver.directory.login(priya.employeeId, password)).toEqual({ ok: true, mustChangePassword: true });
    const corporate = (await (await fetch(`${twin.url}/api/mail?to=${encodeURIComponent(priya.email)}`)).json()) as {
      messages: Array<{ subject: string; text: string }>;
    };
    expect(corporate.messages.filter((m) => /verification code|\b\d{6}\b/i.test(`${m.subject} ${m.text}`))).toEqual([]);
    await p.hangUp().catch(() => undefined);
  });

  it('"email" at the channel question: the code comes from the recovery address; no text, and the corporate mailbox gets no code', async () => {
    // Jest, not a test case: the mailboxes and the phone are checked.
    const sam = DEMO_EMPLOYEES.find((e) => e.employeeId === '3456789')!;
    const maria = DEMO_EMPLOYEES.find((e) => e.employeeId === '2345678')!;
    for (const employee of [maria, sam]) {
      const textsBefore = employee.mobile ? driver.texts(employee.mobile).length : 0;
      const p = phone();
      await p.dial(caller(), 'en-US');
      await p.key('1');
      await p.say('reset my password');
      await p.key(`${employee.employeeId}#`);
      await p.say('yes');
      await p.say('email');
      await twin.settle();
      const res = await fetch(`${twin.url}/api/mail?to=${encodeURIComponent(employee.recoveryEmail!)}`);
      const { messages } = (await res.json()) as { messages: Array<{ subject: string; text: string }> };
      expect(messages[0]!.subject).toBe('Your Support Desk verification code');
      const mailed = /\b(\d{6})\b/.exec(messages[0]!.text)![1]!;
      codes.add(mailed);
      expect((await p.key(`${mailed}#`)).prompts[0]!.text).toContain('Here is your temporary password');
      readoutPassword(p);
      if (employee.mobile) expect(driver.texts(employee.mobile)).toHaveLength(textsBefore);
      expect(driver.inbox(employee.email).filter((m) => /verification code/i.test(m.subject))).toEqual([]);
      await p.hangUp().catch(() => undefined);
    }
  });

  it('bad requests get a 4xx with a reason', async () => {
    // The call API itself, not a conversation.
    const p = phone();
    expect(await p.raw('POST', '/api/calls', { from: 'not a number' })).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('"from"') },
    });
    expect(await p.raw('POST', '/api/calls', { from: '+15555550100', locale: 'fr-FR' })).toMatchObject({ status: 400 });
    expect(await p.raw('POST', '/api/calls', '{not json')).toMatchObject({
      status: 400,
      body: { error: 'request body is not valid JSON' },
    });
    expect(await p.raw('POST', '/api/calls/nope/input', { text: 'hi' })).toMatchObject({ status: 404 });
    expect(await p.raw('GET', '/api/calls/nope')).toMatchObject({ status: 404 });
    await p.dial(caller(), 'en-US');
    expect(await p.raw('POST', `/api/calls/${p.contactId}/input`, { text: 'a', dtmf: '1' })).toMatchObject({ status: 400 });
    expect(await p.raw('POST', `/api/calls/${p.contactId}/input`, {})).toMatchObject({ status: 400 });
    expect(await p.raw('POST', `/api/calls/${p.contactId}/input`, { dtmf: 'abc' })).toMatchObject({ status: 400 });
    expect(await p.raw('POST', `/api/calls/${p.contactId}/input`, { text: 42 })).toMatchObject({ status: 400 });
    expect(await p.raw('POST', '/api/directory/login', { employeeId: '1', password: 'x' })).toMatchObject({ status: 400 });
    await p.hangUp();
    expect(await p.raw('POST', `/api/calls/${p.contactId}/input`, { text: 'hello' })).toMatchObject({
      status: 409,
      body: { error: 'the call has ended' },
    });
  });

  it('the inbox lists mail newest first', async () => {
    const res = await phone().raw<{ messages: Array<{ to: string[]; subject: string; at: string; text: string }> }>('GET', '/api/mail');
    expect(res.status).toBe(200);
    const times = res.body.messages.map((m) => m.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(res.body.messages[0]).toMatchObject({
      to: expect.arrayContaining([expect.any(String)]),
      from: expect.stringContaining('Support Desk'),
      subject: expect.any(String),
      text: expect.any(String),
    });
  });
});

describe('security rules 1 and 2 across calls', () => {
  it('no code or password in anything retained (mail store aside) or in the console', async () => {
    expect(codes.size).toBeGreaterThanOrEqual(5);
    expect(passwords.size).toBeGreaterThanOrEqual(3);
    await twin.settle();
    await twin.data.flush();
    // Only what follows the authentication (the transfers, the goodbye) is recorded.
    expect(readdirSync(twin.data.path('recordings')).length).toBeGreaterThan(0);
    expect(readFileSync(twin.data.path(RETAINED_FILES.flowLogs), 'utf8')).toContain('get-prompts');
    const leaks = await scanForSecrets({
      dataDir: twin.data.root,
      dynamodbEndpoint: twin.endpoints.dynamodb,
      extraText: { console: consoleOutput.join('\n') },
      secrets: [...codes, ...passwords],
    });
    expect(leaks).toEqual([]);
  });
});
