/**
 * The twin's Lex runtime running the bot definitions of `lex/`, with the real code hook and the
 * real start workflow behind it.
 */
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { readFileSync } from 'node:fs';
import { startTestTwin } from '../support/test-twin';
import { containsToken, WorkflowDriver } from '../support/workflow-driver';
import { RETAINED_FILES } from '../../local/retention/data-folder';
import { LexRuntime, type InputMode, type RecognizeTextResponse } from '../../local/lex/lex-runtime';
import { JsonlFile } from '../../local/retention/jsonl-file';
import { BOTS } from '../../lex/bot-catalogue';
import { join } from 'node:path';
import type { LexLocaleId } from '../../lex/bot-definition';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
let seq = 0;

beforeAll(async () => {
  twin = await startTestTwin({ forceLexTextLogs: true, seedEmployees: 10 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

function conversation(botName: string, localeId: LexLocaleId = 'en_US', sessionAttributes?: Record<string, string>) {
  seq += 1;
  const sessionId = `lex-test-${seq}`;
  let first = true;
  return {
    sessionId,
    say: (text: string, inputMode: InputMode = 'Speech'): Promise<RecognizeTextResponse> => {
      const attrs = first ? sessionAttributes : undefined;
      first = false;
      return twin.lex.recognizeText({ botName, localeId, sessionId, text, inputMode, ...(attrs ? { sessionAttributes: attrs } : {}) });
    },
  };
}

/** As the contact flow's menu block sends it: one key is a whole answer. */
const MENU_ATTRIBUTES = { 'x-amz-lex:dtmf:max-length:*:*': '1' };
const intentOf = async (text: string, inputMode: InputMode = 'Speech', localeId: LexLocaleId = 'en_US') =>
  (await conversation('help-desk-menu', localeId, MENU_ATTRIBUTES).say(text, inputMode)).sessionState.intent?.name;

describe('help-desk-menu', () => {
  it.each([
    ['reset my password', 'Speech', 'PasswordReset'],
    ['I forgot my password', 'Speech', 'PasswordReset'],
    ["I can't log in", 'Speech', 'PasswordReset'],
    ['1', 'DTMF', 'PasswordReset'],
    ["I'm locked out", 'Speech', 'UnlockAccount'],
    ['unlock my account', 'Speech', 'UnlockAccount'],
    ['2', 'DTMF', 'UnlockAccount'],
    ['uh I need a human', 'Speech', 'Agent'],
    ['representative', 'Speech', 'Agent'],
    ['0', 'DTMF', 'Agent'],
    ['say that again', 'Speech', 'Repeat'],
    ['9', 'DTMF', 'Repeat'],
    ['blorf zzkt wibble', 'Speech', 'FallbackIntent'],
    ['', 'Speech', 'FallbackIntent'],
  ] as const)('en_US %j (%s) → %s', async (text, mode, intent) => {
    expect(await intentOf(text, mode)).toBe(intent);
  });

  it.each([
    ['restablecer mi contraseña', 'PasswordReset'],
    ['olvidé mi contraseña', 'PasswordReset'],
    ['desbloquear mi cuenta', 'UnlockAccount'],
    ['estoy bloqueada', 'UnlockAccount'],
    ['quiero hablar con una persona', 'Agent'],
    ['repetir', 'Repeat'],
    ['xyzzy plugh', 'FallbackIntent'],
  ])('es_US %j → %s', async (text, intent) => {
    expect(await intentOf(text, 'Speech', 'es_US')).toBe(intent);
  });

  it('closes a recognized intent as Fulfilled, with interpretations and confidence', async () => {
    const r = await conversation('help-desk-menu').say('reset my password');
    expect(r.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'PasswordReset', state: 'Fulfilled' } });
    expect(r.interpretations[0]).toMatchObject({ intent: { name: 'PasswordReset' }, nluConfidence: { score: 1 } });
  });

  it('keeps conversation logs for the menu bot', async () => {
    await conversation('help-desk-menu').say('agent please');
    await twin.data.flush();
    const logs = readFileSync(twin.data.path(RETAINED_FILES.lexLogs), 'utf8');
    expect(logs).toContain('"agent please"');
  });
});

describe('employee-authentication-bot', () => {
  /** The contact flow plays the ID prompt; the caller's first answer goes to the bot. */
  const start = (localeId: LexLocaleId = 'en_US') =>
    conversation('employee-authentication-bot', localeId, { callerNumber: `+1555666${String(seq).padStart(4, '0')}` });
  /** A conversation whose bot is eliciting the ID slot (after a "no" at the read-back). */
  const atIdPrompt = async () => {
    const c = start();
    await c.say('1234567#', 'DTMF');
    const r = await c.say('no');
    expect(r.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'EmployeeId' });
    return c;
  };

  it.each([
    ['one two three four five six seven', 'Speech'],
    ['1234567#', 'DTMF'],
    ['1 2 3 4 5 6 7', 'Speech'],
    ['my employee ID is one two three four five six seven', 'Speech'],
  ] as const)('the first answer %j (%s) fills EmployeeId = 1234567 and reads it back', async (text, mode) => {
    const r = await start().say(text, mode);
    expect(r.sessionState.intent?.slots.EmployeeId?.value.interpretedValue).toBe('1234567');
    expect(r.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'EmployeeIdConfirmed' });
    expect(r.messages[0]!.content).toContain('<say-as interpret-as="digits">1234567</say-as>');
  });

  it('"oh" is not zero to Lex: heard only with HELPDESK_LENIENT_SPEECH, a demo aid', async () => {
    expect((await start().say('four five six seven eight nine oh', 'Speech')).sessionState.intent?.name).toBe('FallbackIntent');
    const lenient = new LexRuntime(BOTS, {
      lambdaHost: twin.lambdas,
      logFile: new JsonlFile(join(twin.data.root, 'lenient.jsonl')),
      lenientSpeech: true,
    });
    const r = await lenient.recognizeText({
      botName: 'employee-authentication-bot',
      localeId: 'en_US',
      sessionId: 'lenient',
      text: 'uh it is four five six seven eight nine oh',
      inputMode: 'Speech',
      sessionAttributes: { callerNumber: '+15556660000' },
    });
    expect(r.sessionState.intent?.slots.EmployeeId?.value.interpretedValue).toBe('4567890');
  });

  it('yes by keypad: "1" is a synonym of yes in the confirmation slot; then 1 asks for a text', async () => {
    const c = start();
    await c.say('9000001#', 'DTMF');
    const asked = await c.say('1', 'DTMF');
    expect(asked.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'CodeChannel' });
    const r = await c.say('1', 'DTMF');
    expect(r.sessionState.intent?.slots.CodeChannel?.value.interpretedValue).toBe('text');
    expect(r.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'VerificationCode' });
    expect(r.sessionState.sessionAttributes.authOutcome).toBe('CODE_SENT');
  });

  // Each on an employee of its own: the starts count against each employee's limit.
  it.each([
    ['en_US', '2', 'DTMF', 'email', '9000010'],
    ['en_US', 'by email', 'Speech', 'email', '9000011'],
    ['en_US', 'text message', 'Speech', 'text', '9000012'],
    ['es_US', 'por correo', 'Speech', 'email', '9000013'],
    ['es_US', 'mensaje de texto', 'Speech', 'text', '9000014'],
    ['es_US', '2', 'DTMF', 'email', '9000015'],
  ] as const)('%s: %j (%s) at the channel question resolves to %s', async (localeId, text, mode, value, employeeId) => {
    const c = start(localeId);
    await c.say(`${employeeId}#`, 'DTMF');
    await c.say('1', 'DTMF');
    const r = await c.say(text, mode);
    expect(r.sessionState.intent?.slots.CodeChannel?.value.interpretedValue).toBe(value);
    expect(r.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'VerificationCode' });
  });

  it('an answer that is neither text nor email gets the channel retry prompts in order', async () => {
    const c = start();
    await c.say('9000003#', 'DTMF');
    await c.say('1', 'DTMF');
    const first = await c.say('carrier pigeon');
    expect(first.messages.map((m) => m.content)).toEqual([expect.stringContaining('Sorry, should the code come by text or by email?')]);
    const second = await c.say('7', 'DTMF');
    expect(second.messages.map((m) => m.content)).toEqual([expect.stringContaining('Please press 1 for a text, or 2 for an email.')]);
  });

  it('"no" at the read-back re-elicits the ID', async () => {
    const c = start();
    await c.say('1234567#', 'DTMF');
    const r = await c.say('no');
    expect(r.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'EmployeeId' });
    expect(r.sessionState.intent).toMatchObject({ slots: { EmployeeId: null, EmployeeIdConfirmed: null } });
    expect(r.messages[0]!.content).toContain("let's try again");
  });

  it('malformed IDs get the retry prompts in order, then Lex switches to the fallback intent', async () => {
    const c = await atIdPrompt();
    const answers: RecognizeTextResponse[] = [];
    for (const bad of ['12345', 'one two', '12345678#']) answers.push(await c.say(bad, bad.endsWith('#') ? 'DTMF' : 'Speech'));
    expect(answers.map((a) => a.messages.map((m) => m.content))).toEqual([
      [expect.stringContaining('Sorry, I need the seven digits')],
      [expect.stringContaining('Please key in the seven digits')],
      [],
    ]);
    expect(answers[2]!.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'FallbackIntent' } });
  });

  it('Spanish: "uno dos tres cuatro cinco seis siete" fills the ID, read back in Spanish; "sí" confirms', async () => {
    const c = start('es_US');
    const r = await c.say('uno dos tres cuatro cinco seis siete');
    expect(r.sessionState.intent?.slots.EmployeeId?.value.interpretedValue).toBe('1234567');
    expect(r.messages[0]!.content).toContain('Escuché');
    const yes = await c.say('sí');
    expect(yes.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'CodeChannel' });
    expect(yes.messages[0]!.content).toContain('¿Le enviamos el código por mensaje de texto o por correo?');
  });

  it.each([
    ['empty', ''],
    ['10 000 characters', '7'.repeat(10_000)],
    ['emoji', '😀🔑📞'],
    ['SSML markup', '<speak><say-as interpret-as="digits">1234567</say-as></speak>'],
    ['XML entity', '&lt;1234567&gt;'],
    ['negative number', '-1234567'],
    ['decimal number', '123.4567'],
  ])('bad input (%s) gets a re-prompt, never a crash', async (_name, text) => {
    const c = await atIdPrompt();
    const r = await c.say(text, 'Text');
    expect(r.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'EmployeeId' });
    expect(r.messages[0]!.content).toContain('Sorry, I need the seven digits');
  });
});

describe('a conversation to a real CODE_SENT', () => {
  it('confirms the ID, texts a code through the twin, collects it and closes; no code in Lex logs or session attributes', async () => {
    const employee = syntheticEmployee(3);
    const c = conversation('employee-authentication-bot', 'en_US', { callerNumber: '+15555551234' });
    await c.say('nine zero zero zero zero zero three');
    const channel = await c.say('yes');
    expect(channel.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'CodeChannel' });
    expect(channel.messages[0]!.content).toContain('Should we send your code by text or by email?');
    const sent = await c.say('1', 'DTMF');
    expect(sent.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'VerificationCode' });
    expect(sent.messages[0]!.content).toContain('If that ID is on file, we just sent a six-digit code');
    const resetSessionId = sent.sessionState.sessionAttributes.resetSessionId!;
    expect(resetSessionId).toMatch(/^[0-9a-f-]{36}$/);

    const code = await driver.latestCode(employee);
    const wrongShape = await c.say('12#', 'DTMF');
    expect(wrongShape.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'VerificationCode' });
    const done = await c.say(`${code}#`, 'DTMF');
    expect(done.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'Authenticate', state: 'Fulfilled' } });
    expect(done.sessionState.intent?.slots.VerificationCode?.value.interpretedValue).toBe(code);
    expect(Object.keys(done.sessionState.sessionAttributes).sort()).toEqual([
      'authOutcome',
      'callerNumber',
      'confirmedEmployeeId',
      'resetSessionId',
    ]);
    expect(JSON.stringify(done.sessionState.sessionAttributes)).not.toContain(code);

    // The flow would now verify it, on the same call (the Lex session's contact): the code works.
    const { contactId } = (await driver.session(resetSessionId)) as { contactId: string };
    expect((await driver.verify(resetSessionId, code, contactId)).status).toBe('RESET');

    await twin.data.flush();
    const logs = readFileSync(twin.data.path(RETAINED_FILES.lexLogs), 'utf8');
    expect(logs).toContain(c.sessionId);
    expect(logs).toContain('{VerificationCode}');
    expect(containsToken(logs, code)).toBe(false);
  });

  it('without forced logs, neither bot keeps text logs (CDK turns them off): nothing a caller says, at the menu or after, is logged', async () => {
    const file = new JsonlFile(join(twin.data.root, 'lex-logs-unforced.jsonl'));
    const runtime = new LexRuntime(BOTS, { lambdaHost: twin.lambdas, logFile: file });
    await runtime.recognizeText({ botName: 'employee-authentication-bot', localeId: 'en_US', sessionId: 'no-logs', text: 'authenticate' });
    await runtime.recognizeText({ botName: 'help-desk-menu', localeId: 'en_US', sessionId: 'menu-logs', text: 'agent' });
    await file.close();
    const logs = readFileSync(file.path, 'utf8');
    expect(logs).not.toContain('menu-logs');
    expect(logs).not.toContain('no-logs');
  });
});
