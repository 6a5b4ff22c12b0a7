/**
 * The twin behaves as Amazon Connect and Lex V2 document it on a voice call, failures included
 * (docs/design.md, "As strict as AWS"). Each test pins one behaviour, with the AWS page cited in the
 * code it exercises (local/lex/*.ts, local/connect/flow-runner.ts). Time is a fake clock: keypad end
 * timeouts and waiting move only when a test says so.
 */
import { AGENT_HOURS } from '../../connect/hours-of-operation';
import { BOTS } from '../../lex/bot-catalogue';
import type { LexLocaleId } from '../../lex/bot-definition';
import { LexRuntime, type InputMode, type RecognizeTextResponse } from '../../local/lex/lex-runtime';
import { JsonlFile } from '../../local/retention/jsonl-file';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { CONFIRMING_CODE_HOOK } from '../fixtures/fixture-functions';
import { FIDELITY_BOT, SPANISH_WAIT_BOT } from '../fixtures/lex/fidelity-bot';
import { fakeClock } from '../support/fake-clock';
import { Phone } from '../../local/softphone/phone';
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;
const clock = fakeClock();
let seq = 0;

beforeAll(async () => {
  twin = await startTestTwin({ clock, bots: [...BOTS, FIDELITY_BOT], functions: [CONFIRMING_CODE_HOOK], seedEmployees: 6 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

function lex(botName = 'fidelity-bot', localeId: LexLocaleId = 'en_US', sessionAttributes?: Record<string, string>) {
  seq += 1;
  const sessionId = `fidelity-${seq}`;
  let first = true;
  return (text: string, inputMode: InputMode = 'Speech'): Promise<RecognizeTextResponse> => {
    const attributes = first ? sessionAttributes : undefined;
    first = false;
    return twin.lex.recognizeText({
      botName,
      localeId,
      sessionId,
      text,
      inputMode,
      ...(attributes ? { sessionAttributes: attributes } : {}),
    });
  };
}

const texts = (r: RecognizeTextResponse) => r.messages.map((m) => m.content);

/** Watches `promise`: `check()` drains the event loop, then says whether it has settled (and with what). */
function watch<T>(promise: Promise<T>): { check(): Promise<{ done: boolean; value?: T }> } {
  let state: { done: boolean; value?: T } = { done: false };
  void promise.then((value) => {
    state = { done: true, value };
  });
  return {
    async check() {
      for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
      return state;
    },
  };
}

/** Fills Size and Count, so the next slot elicited is the PIN. */
async function toPin(say: ReturnType<typeof lex>): Promise<void> {
  await say('pizza');
  await say('small');
  expect(texts(await say('2'))).toEqual(['Key in your PIN.']);
}

describe('Lex V2 slot elicitation', () => {
  it('plays one message per group: the primary, then the variations in order; then switches to the fallback intent', async () => {
    const say = lex();
    expect(texts(await say('pizza'))).toEqual(['What size?']);
    expect(texts(await say('purple'))).toEqual(['Sorry, what size?']);
    // Silence (nothing said before the start timeout) is a try like any other.
    expect(texts(await say(''))).toEqual(['Small or large?']);
    const last = await say('blue');
    expect(texts(last)).toEqual(['Sorry, I could not help with that.']);
    expect(last.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'FallbackIntent' } });
  });

  it('resolves a synonym to its value only with TOP_RESOLUTION; AMAZON.Number takes numbers, not strings of digits said one by one', async () => {
    const say = lex();
    await say('pizza');
    const size = await say('big');
    expect(size.sessionState.intent?.slots.Size?.value).toEqual({
      originalValue: 'big',
      interpretedValue: 'big',
      resolvedValues: ['large'],
    });
    expect(texts(await say('one two three'))).toEqual([expect.stringContaining('How many?')]);
    const count = await say('one hundred twenty three');
    expect(count.sessionState.intent?.slots.Count?.value.interpretedValue).toBe('123');
  });
});

describe('keypad input by the DTMF settings', () => {
  it('the end character ends the input; keys after the maximum length are the next input', async () => {
    const say = lex();
    await toPin(say);
    const r = await say('12345#', 'DTMF');
    expect(r.sessionState.intent?.slots.Pin?.value.interpretedValue).toBe('1234');
    expect(r.remainingKeys).toBe('5#');
  });

  it('the deletion character clears what was keyed and ends the input: no input', async () => {
    const say = lex();
    await toPin(say);
    const r = await say('12*34#', 'DTMF');
    expect(texts(r)).toEqual(['Sorry, key in the four digits of your PIN.']);
    expect(r.remainingKeys).toBe('34#');
  });

  it('without the end character, the input ends only after the end timeout', async () => {
    const say = lex();
    await toPin(say);
    const pending = watch(say('123', 'DTMF'));
    expect((await pending.check()).done).toBe(false);
    clock.tick(2_999);
    expect((await pending.check()).done).toBe(false);
    clock.tick(1);
    const r = await pending.check();
    expect(r.done).toBe(true);
    expect(texts(r.value!)).toEqual(['Sorry, key in the four digits of your PIN.']);
  });

  it("a menu key waits out Connect's 5 s end timeout, unless the block sets x-amz-lex:dtmf:max-length", async () => {
    const slow = watch(lex('help-desk-menu')('1', 'DTMF'));
    expect((await slow.check()).done).toBe(false);
    clock.tick(5_000);
    expect((await slow.check()).value?.sessionState.intent?.name).toBe('PasswordReset');
    const fast = await watch(lex('help-desk-menu', 'en_US', { 'x-amz-lex:dtmf:max-length:*:*': '1' })('1', 'DTMF')).check();
    expect(fast.value?.sessionState.intent?.name).toBe('PasswordReset');
  });

  it('a slot-specific session attribute overrides the slot setting', async () => {
    const say = lex('fidelity-bot', 'en_US', { 'x-amz-lex:dtmf:max-length:OrderPizza:Pin': '2' });
    await toPin(say);
    const r = await say('1234#', 'DTMF');
    expect(texts(r)).toEqual(['Sorry, key in the four digits of your PIN.']);
    expect(r.remainingKeys).toBe('34#');
  });
});

describe('intent confirmation', () => {
  it('understands yes and no, not keypad 1 and 2 (AWS documents no keypad mapping for it)', async () => {
    const say = lex();
    await toPin(say);
    expect(texts(await say('4321#', 'DTMF'))).toEqual(['Shall I order it?']);
    const keyed = await say('1#', 'DTMF');
    expect(keyed.sessionState.dialogAction).toEqual({ type: 'ConfirmIntent' });
    expect(texts(keyed)).toEqual(['Shall I order it?']);
    const yes = await say('yes');
    expect(yes.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'OrderPizza', state: 'Fulfilled' } });
  });
});

describe('wait and continue', () => {
  it('waits when asked, reminds, continues, and takes the value', async () => {
    const say = lex();
    await toPin(say);
    const waiting = await say('hold on');
    expect(texts(waiting)).toEqual(['Sure, take your time.']);
    expect(waiting.sessionState).toMatchObject({ dialogAction: { type: 'ElicitSlot', slotToElicit: 'Pin' }, intent: { state: 'Waiting' } });
    expect(texts(await say(''))).toEqual(['Still here.']);
    expect(texts(await say("I'm ready"))).toEqual(['OK, go ahead.']);
    expect((await say('4321#', 'DTMF')).sessionState.intent?.slots.Pin?.value.interpretedValue).toBe('4321');
  });

  it('stops waiting after its timeout: then silence is no input', async () => {
    const say = lex();
    await toPin(say);
    await say('hold on');
    clock.tick(61_000);
    expect(texts(await say(''))).toEqual(['Sorry, key in the four digits of your PIN.']);
  });

  it('exists only in English locales: "hold on" is no answer in Spanish, and a Spanish slot with it is refused', async () => {
    const say = lex('fidelity-bot', 'es_US');
    await toPin(say);
    expect(texts(await say('hold on'))).toEqual(['Sorry, key in the four digits of your PIN.']);
    expect(
      () => new LexRuntime([SPANISH_WAIT_BOT], { lambdaHost: twin.lambdas, logFile: new JsonlFile(twin.data.path('x.jsonl')) }),
    ).toThrow('wait and continue is available only in English locales');
  });
});

describe('the password-reset call', () => {
  async function toCodeEntry(p: Phone, employeeIndex: number, locale: 'en-US' | 'es-US' = 'en-US') {
    const employee = syntheticEmployee(employeeIndex);
    await p.dial(`+1555888${String(employeeIndex).padStart(4, '0')}`, locale);
    await p.key('1');
    await p.key(`${employee.employeeId}#`);
    await p.key('1');
    const sent = await p.key('1');
    expect(sent.prompts[0]!.text).toMatch(locale === 'en-US' ? /we just sent a six-digit code/ : /acabamos de enviar/);
    return employee;
  }

  it('menu keys act at once (the block sets max-length 1): no end timeout to wait out', async () => {
    const p = new Phone(twin.url);
    await p.dial('+15558880100', 'en-US');
    // On the fake clock an end timeout would never pass: the answer comes only if none is waited for.
    const answered = await p.key('1');
    expect(answered.prompts.map((x) => x.text)).toEqual([
      expect.stringContaining('To protect your account'),
      expect.stringContaining('employee ID'),
    ]);
    await p.hangUp();
  });

  it('a caller who stays silent at code re-entry loses no attempt', async () => {
    const p = new Phone(twin.url);
    const employee = await toCodeEntry(p, 0);
    const code = await driver.latestCode(employee);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await p.key(`${wrong}#`)).prompts.map((x) => x.text)).toEqual([expect.stringContaining("That code didn't match")]);
    expect((await p.key('')).prompts.map((x) => x.text)).toEqual([expect.stringContaining("I didn't get a code")]);
    expect((await p.key('')).prompts.map((x) => x.text)).toEqual([expect.stringContaining("I didn't get a code")]);
    // Two silences and one wrong code: two of three attempts are still there.
    expect((await p.key(`${wrong}#`)).prompts.map((x) => x.text)).toEqual([expect.stringContaining("That code didn't match")]);
    const readout = await p.key(`${code}#`);
    expect(readout.prompts.map((x) => x.text)).toContainEqual(expect.stringContaining('Here is your temporary password'));
    await p.hangUp();
  });

  it('a code of the wrong length at re-entry spends no attempt either', async () => {
    const p = new Phone(twin.url);
    const employee = await toCodeEntry(p, 1);
    const code = await driver.latestCode(employee);
    const wrong = code === '000000' ? '111111' : '000000';
    await p.key(`${wrong}#`);
    expect((await p.key('123#')).prompts.map((x) => x.text)).toEqual([expect.stringContaining("I didn't get a code")]);
    await p.key(`${wrong}#`);
    expect((await p.key(`${code}#`)).prompts.map((x) => x.text)).toContainEqual(expect.stringContaining('Here is your temporary password'));
    await p.hangUp();
  });

  it('a keypad-only caller completes a reset in Spanish', async () => {
    const p = new Phone(twin.url);
    const employee = await toCodeEntry(p, 2, 'es-US');
    const readout = await p.key(`${await driver.latestCode(employee)}#`);
    expect(readout.prompts.map((x) => x.text)).toContainEqual(expect.stringContaining('Su contraseña temporal es'));
    await p.hangUp();
  });

  it('outside the agents’ hours, a transfer says so and disconnects instead of queueing', async () => {
    expect(() => twin.calls.setAgentHours({ ...AGENT_HOURS, schedule: [{ day: 'MONDAY', start: '22:00', end: '02:00' }] })).toThrow(
      /hours the twin does not model: MONDAY 22:00-02:00/,
    );
    twin.calls.setAgentHours({ ...AGENT_HOURS, schedule: [] });
    try {
      const p = new Phone(twin.url);
      await p.dial('+15558880101', 'en-US');
      const out = await p.key('0');
      expect(out).toMatchObject({ ended: true, disposition: 'DISCONNECTED' });
      expect(out.prompts.at(-1)!.text).toContain('Our agents are not available right now');
    } finally {
      twin.calls.setAgentHours(AGENT_HOURS);
    }
  });
});
