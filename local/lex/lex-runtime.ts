/**
 * The twin's Lex V2 runtime: runs the bot definitions of `lex/` as Lex does behind an Amazon Connect
 * voice call — intent classification, slot elicitation with its prompts, retries and fallback,
 * intent confirmation, keypad input read by the DTMF settings, wait and continue, the dialog code
 * hook invoked through the Lambda host with the real Lex V2 event, session attributes, and a response
 * with messages, interpretations and session state. Conversation logs go to `lex-logs.jsonl` with
 * obfuscated slots obfuscated (`{SlotName}`), when the bot keeps text logs.
 *
 * What AWS documents, and the twin does:
 * - one message per message group, the primary or a variation: Ordered picks by try, Random at random
 *   (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_MessageGroup.html, API_PromptSpecification.html);
 * - no input (nothing said or keyed before `startTimeoutMs`) or no match at a slot: the next retry
 *   prompt; after `maxRetries` retries, and likewise for an unrecognised confirmation answer, Lex
 *   switches to the fallback intent (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html);
 * - keypad input ends by the end character, the deletion character, the maximum length or the end
 *   timeout (keypad-input.ts); keys after the maximum length are the next input (`remainingKeys`);
 * - wait and continue, in English locales only (https://docs.aws.amazon.com/lexv2/latest/dg/wait-and-continue.html);
 * - a slot that does not allow audio input hears speech as no input.
 * Where AWS is silent (no input while Lex elicits an intent), the twin takes the strict reading: the
 * fallback intent at once.
 */
import { randomUUID } from 'node:crypto';
import type { LexV2Event, LexV2Intent, LexV2IntentState, LexV2Result, LexV2Slots } from 'aws-lambda';
import {
  FALLBACK_INTENT,
  type BotDefinition,
  type IntentDefinition,
  type LexLocaleId,
  type LexMessage,
  type LocaleDefinition,
  type MessageGroup,
  type SlotDefinition,
} from '../../lex/bot-definition';
import type { LambdaHost } from '../lambda/lambda-host';
import type { JsonlFile } from '../retention/jsonl-file';
import { sleepOn, systemClock, type Clock } from '../time/clock';
import { IntentClassifier } from './intent-classifier';
import { dtmfSettings, readKeypad } from './keypad-input';
import { confirmation, resolveSlotValue } from './slot-resolution';
import { normalizeText } from './spoken-input';

export type InputMode = 'Text' | 'Speech' | 'DTMF';

export interface LexResponseMessage {
  contentType: 'PlainText' | 'SSML';
  content: string;
}

type DialogAction = { type: 'ElicitSlot'; slotToElicit: string } | { type: 'ConfirmIntent' } | { type: 'Close' } | { type: 'ElicitIntent' };

export interface RecognizeTextResponse {
  sessionId: string;
  messages: LexResponseMessage[];
  sessionState: {
    dialogAction: DialogAction;
    intent?: LexV2Intent;
    sessionAttributes: Record<string, string>;
    originatingRequestId: string;
  };
  interpretations: Array<{ intent: LexV2Intent; nluConfidence?: { score: number } }>;
  requestAttributes: Record<string, string>;
  /** Twin extension: keys pressed after a keypad input ended (its maximum length): the next input. */
  remainingKeys?: string;
}

export class LexRuntimeError extends Error {
  constructor(
    readonly code: 'DependencyFailedException' | 'ResourceNotFoundException' | 'ValidationException',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

interface Session {
  bot: BotDefinition;
  locale: LocaleDefinition;
  sessionId: string;
  attributes: Record<string, string>;
  intent?: LexV2Intent;
  dialogAction: DialogAction;
  /** Failed tries at the current elicitation. */
  tries: number;
  lastMessages: LexResponseMessage[];
  touchedAt: number;
  /** Since when the caller asked the bot to wait (wait and continue). */
  waitingSince?: number;
}

/** Phrases that ask a bot to wait, or to go on (English: wait and continue exists only there). */
const WAIT_PHRASES = [
  'wait',
  'hold on',
  'hold on a second',
  'one moment',
  'just a moment',
  'give me a moment',
  'give me a second',
  'wait a minute',
];
const CONTINUE_PHRASES = [
  'continue',
  'i am ready',
  'im ready',
  'ready',
  'i am back',
  'im back',
  'go ahead',
  'ok i have it',
  'i have it',
  'got it',
];
const WAIT_AND_CONTINUE_LOCALES = new Set(['en_US']);

/** Lex's RecognizeText text limit. */
const MAX_TEXT = 1024;

export class LexRuntime {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly bots: readonly BotDefinition[],
    private readonly options: {
      lambdaHost: LambdaHost;
      logFile: JsonlFile;
      forceTextLogs?: boolean;
      /** Keypad end timeouts and waiting run on this clock. */
      clock?: Clock;
      /** Demo aid (HELPDESK_LENIENT_SPEECH=1): hear "oh" as zero, ignore fillers, "one" for keypad 1. Off in tests. */
      lenientSpeech?: boolean;
      /** Random message selection (tests pass a fixed one). */
      random?: () => number;
    },
  ) {
    for (const bot of bots) assertSupported(bot);
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  async recognizeText(request: {
    botName: string;
    localeId: LexLocaleId;
    sessionId: string;
    text: string;
    inputMode?: InputMode;
    sessionAttributes?: Record<string, string>;
    requestAttributes?: Record<string, string>;
  }): Promise<RecognizeTextResponse> {
    const bot = this.bots.find((b) => b.name === request.botName);
    if (!bot) throw new LexRuntimeError('ResourceNotFoundException', `bot ${request.botName} not found`);
    const locale = bot.locales[request.localeId];
    if (!locale) throw new LexRuntimeError('ResourceNotFoundException', `locale ${request.localeId} not found on ${bot.name}`);
    const inputMode = request.inputMode ?? 'Text';
    const session = this.session(bot, locale, request.sessionId);
    if (request.sessionAttributes) Object.assign(session.attributes, request.sessionAttributes);
    // Over-long input is treated like noise (a re-prompt), not an error the caller can trigger.
    let text = request.text.length > MAX_TEXT ? '' : request.text;
    let remainingKeys: string | undefined;
    if (inputMode === 'DTMF') {
      const spec = dtmfSettings(session.attributes, this.dtmfTarget(session));
      const read = readKeypad(text, spec);
      // Without the end character or the maximum length, Lex waits out the end timeout.
      if (read.endedBy === 'end-timeout' && read.value !== '') await sleepOn(this.clock, spec.endTimeoutMs);
      text = read.value;
      remainingKeys = read.rest || undefined;
    }
    const requestId = randomUUID();
    const requestAttributes = request.requestAttributes ?? {};
    const elicitedBefore = session.dialogAction.type === 'ElicitSlot' ? session.dialogAction.slotToElicit : undefined;

    let interpretations: RecognizeTextResponse['interpretations'] = [];
    let messages: LexResponseMessage[];
    const action = session.dialogAction;
    if (action.type === 'ElicitSlot' && session.intent) {
      messages = await this.onSlotInput(session, action.slotToElicit, text, inputMode, requestAttributes);
    } else if (action.type === 'ConfirmIntent' && session.intent) {
      messages = await this.onConfirmation(session, text, inputMode, requestAttributes);
    } else {
      ({ messages, interpretations } = await this.onNewIntent(session, text, inputMode, requestAttributes));
    }
    session.lastMessages = messages;

    const response: RecognizeTextResponse = {
      sessionId: session.sessionId,
      messages,
      sessionState: {
        dialogAction: session.dialogAction,
        ...(session.intent ? { intent: structuredClone(session.intent) } : {}),
        sessionAttributes: { ...session.attributes },
        originatingRequestId: requestId,
      },
      interpretations: interpretations.length
        ? interpretations
        : session.intent
          ? [{ intent: structuredClone(session.intent), nluConfidence: { score: 1 } }]
          : [],
      requestAttributes,
      ...(remainingKeys && session.dialogAction.type !== 'Close' ? { remainingKeys } : {}),
    };
    this.log(session, text, inputMode, elicitedBefore, response);
    if (session.dialogAction.type === 'Close') this.sessions.delete(this.key(bot.name, session.sessionId));
    return response;
  }

  /** Ends a conversation (the contact flow left the bot block or the caller hung up). */
  endSession(botName: string, sessionId: string): void {
    this.sessions.delete(this.key(botName, sessionId));
  }

  private key(botName: string, sessionId: string): string {
    return `${botName}\u0000${sessionId}`;
  }

  /** The intent and slot being elicited, with the slot's DTMF settings, for keypad input. */
  private dtmfTarget(session: Session): Parameters<typeof dtmfSettings>[1] {
    const action = session.dialogAction;
    if (action.type === 'ElicitSlot' && session.intent) {
      const slot = this.intentDefinition(session)?.slots.find((s) => s.name === action.slotToElicit);
      return { intent: session.intent.name, slot: action.slotToElicit, ...(slot?.dtmf ? { slotSpec: slot.dtmf } : {}) };
    }
    if (action.type === 'ConfirmIntent' && session.intent) return { intent: session.intent.name };
    return {};
  }

  private session(bot: BotDefinition, locale: LocaleDefinition, sessionId: string): Session {
    const now = this.clock.now();
    for (const [key, s] of this.sessions) if (now - s.touchedAt > s.bot.idleSessionTtlSeconds * 1000) this.sessions.delete(key);
    const key = this.key(bot.name, sessionId);
    let session = this.sessions.get(key);
    if (!session || session.locale.localeId !== locale.localeId) {
      session = {
        bot,
        locale,
        sessionId,
        attributes: {},
        dialogAction: { type: 'ElicitIntent' },
        tries: 0,
        lastMessages: [],
        touchedAt: now,
      };
      this.sessions.set(key, session);
    }
    session.touchedAt = now;
    return session;
  }

  private intentDefinition(session: Session): IntentDefinition | undefined {
    return session.locale.intents.find((i) => i.name === session.intent?.name);
  }

  private async onNewIntent(session: Session, text: string, inputMode: InputMode, requestAttributes: Record<string, string>) {
    const lenientSpeech = this.options.lenientSpeech;
    const classifier = new IntentClassifier(
      session.locale,
      (intent, slotName, said) => {
        const slot = intent.slots.find((s) => s.name === slotName);
        return Boolean(slot && resolveSlotValue(slot, said, session.locale, inputMode, { lenientSpeech }));
      },
      lenientSpeech,
    );
    const scores = text.trim() === '' ? [] : classifier.classify(text);
    const best = scores[0];
    const interpretations = scores.slice(0, 3).map((s) => ({
      intent: { name: s.intent.name, slots: {}, state: 'InProgress' as LexV2IntentState, confirmationState: 'None' as const },
      nluConfidence: { score: Number(s.score.toFixed(2)) },
    }));
    if (!best || best.score < session.locale.nluConfidenceThreshold) {
      const messages = this.fallback(session);
      return { messages, interpretations: [{ intent: structuredClone(session.intent!) }, ...interpretations] };
    }
    const slots: LexV2Slots = Object.fromEntries(best.intent.slots.map((s) => [s.name, null]));
    for (const [slotName, said] of Object.entries(best.capturedText ?? {})) {
      const slot = best.intent.slots.find((s) => s.name === slotName)!;
      const value = resolveSlotValue(slot, said, session.locale, inputMode, { lenientSpeech });
      if (value) slots[slotName] = { shape: 'Scalar', value };
    }
    session.intent = { name: best.intent.name, slots, state: 'InProgress', confirmationState: 'None' };
    session.tries = 0;
    const messages = await this.dialogStep(session, text, inputMode, requestAttributes);
    return { messages, interpretations };
  }

  private async onSlotInput(
    session: Session,
    slotName: string,
    text: string,
    inputMode: InputMode,
    requestAttributes: Record<string, string>,
  ) {
    const intent = this.intentDefinition(session)!;
    const slot = intent.slots.find((s) => s.name === slotName);
    if (!slot) return this.fallback(session);
    // A keypad-only slot does not listen to speech: for it, what was said is no input at all.
    const heard = inputMode !== 'DTMF' && slot.allowAudioInput === false ? '' : text;
    const waiting = this.waitAndContinue(session, slot, heard);
    if (waiting) return waiting;
    const value = resolveSlotValue(slot, this.withoutCarrierPhrase(slot, heard), session.locale, inputMode, {
      lenientSpeech: this.options.lenientSpeech,
    });
    if (!value) return this.retry(session, slot.prompt.maxRetries, () => this.promptMessages(slot, session.tries));
    session.waitingSince = undefined;
    session.intent!.slots[slotName] = { shape: 'Scalar', value };
    session.intent!.state = 'InProgress';
    session.tries = 0;
    return this.dialogStep(session, text, inputMode, requestAttributes);
  }

  private async onConfirmation(session: Session, text: string, inputMode: InputMode, requestAttributes: Record<string, string>) {
    // Built-in confirmation understands yes/no phrases; AWS documents no keypad mapping for it.
    const answer = inputMode === 'DTMF' ? undefined : confirmation(text, session.locale.localeId);
    if (!answer) return this.retry(session, 2, () => session.lastMessages);
    session.intent!.confirmationState = answer === 'Yes' ? 'Confirmed' : 'Denied';
    session.tries = 0;
    return this.dialogStep(session, text, inputMode, requestAttributes);
  }

  /** A try that gave nothing usable: the next retry prompt, or the fallback intent after the last retry. */
  private retry(session: Session, maxRetries: number, reprompt: () => LexResponseMessage[]): LexResponseMessage[] {
    session.tries += 1;
    if (session.tries > maxRetries) return this.fallback(session);
    return reprompt();
  }

  /** Lex switches to AMAZON.FallbackIntent and closes with its closing response, if it has one. */
  private fallback(session: Session): LexResponseMessage[] {
    session.intent = { name: FALLBACK_INTENT, slots: {}, state: 'Fulfilled', confirmationState: 'None' };
    session.dialogAction = { type: 'Close' };
    session.waitingSince = undefined;
    return session.locale.fallbackMessage ? [message(session.locale.fallbackMessage)] : [];
  }

  /** "Hold on a second" and what follows it, for a slot with wait and continue; undefined otherwise. */
  private waitAndContinue(session: Session, slot: SlotDefinition, heard: string): LexResponseMessage[] | undefined {
    const spec = slot.waitAndContinue;
    if (!spec) return undefined;
    const said = normalizeText(heard);
    const now = this.clock.now();
    if (session.waitingSince === undefined) {
      if (!WAIT_PHRASES.includes(said)) return undefined;
      session.waitingSince = now;
      session.intent!.state = 'Waiting';
      return this.pick(spec.waitingResponse, 0);
    }
    if (CONTINUE_PHRASES.includes(said)) {
      session.waitingSince = undefined;
      session.intent!.state = 'InProgress';
      session.tries = 0;
      return this.pick(spec.continueResponse, 0);
    }
    const still = spec.stillWaitingResponse;
    if (heard.trim() === '' && still && now - session.waitingSince < still.timeoutInSeconds * 1000)
      return this.pick(still.messageGroups, 0);
    if (heard.trim() === '') {
      // Waited out: the bot stops waiting and takes the silence as no input.
      session.waitingSince = undefined;
      session.intent!.state = 'InProgress';
    }
    return undefined;
  }

  /** Strips a slot sample utterance's carrier phrase ("my ID is {EmployeeId}" → what follows "my ID is"). */
  private withoutCarrierPhrase(slot: SlotDefinition, heard: string): string {
    const said = normalizeText(heard);
    for (const sample of slot.sampleUtterances ?? []) {
      const at = sample.indexOf(`{${slot.name}}`);
      if (at < 0) continue;
      const prefix = normalizeText(sample.slice(0, at));
      const suffix = normalizeText(sample.slice(at + slot.name.length + 2));
      if (prefix && said.startsWith(`${prefix} `) && (suffix === '' || said.endsWith(` ${suffix}`)))
        return said.slice(prefix.length + 1, suffix ? said.length - suffix.length - 1 : undefined);
    }
    return heard;
  }

  /** One message per group: Ordered by try (the primary, then variation N on retry N), or at random. */
  private pick(groups: readonly MessageGroup[], attempt: number, strategy: 'Ordered' | 'Random' = 'Ordered'): LexResponseMessage[] {
    return groups.map((group) => {
      const choices = [group.message, ...(group.variations ?? [])];
      const index =
        strategy === 'Random' ? Math.floor((this.options.random ?? Math.random)() * choices.length) : Math.min(attempt, choices.length - 1);
      return message(choices[index]!);
    });
  }

  private promptMessages(slot: SlotDefinition | undefined, attempt: number): LexResponseMessage[] {
    if (!slot) return [];
    return this.pick(slot.prompt.messageGroups, attempt, slot.prompt.messageSelectionStrategy);
  }

  /** After the intent, a slot or a confirmation changed: the code hook decides, or Lex's default next step. */
  private async dialogStep(
    session: Session,
    text: string,
    inputMode: InputMode,
    requestAttributes: Record<string, string>,
  ): Promise<LexResponseMessage[]> {
    const intent = this.intentDefinition(session)!;
    const proposed = this.defaultNextStep(session, intent);
    if (!intent.dialogCodeHook || !session.bot.codeHookFunction) return this.applyDefault(session, intent, proposed);

    const event: LexV2Event = {
      messageVersion: '1.0',
      invocationSource: 'DialogCodeHook',
      inputMode,
      responseContentType: 'text/plain; charset=utf-8',
      sessionId: session.sessionId,
      inputTranscript: text,
      bot: {
        id: botId(session.bot.name),
        name: session.bot.name,
        aliasId: 'TSTALIASID',
        aliasName: 'live',
        localeId: session.locale.localeId,
        version: 'DRAFT',
      },
      interpretations: [{ intent: structuredClone(session.intent!), nluConfidence: 1 }],
      proposedNextState: {
        dialogAction: proposed as LexV2Event['proposedNextState']['dialogAction'],
        intent: structuredClone(session.intent!),
      },
      requestAttributes,
      sessionState: {
        sessionAttributes: { ...session.attributes },
        intent: structuredClone(session.intent!),
        originatingRequestId: randomUUID(),
        activeContexts: [],
      },
      transcriptions: [
        { transcription: text, transcriptionConfidence: 1, resolvedContext: { intent: session.intent!.name }, resolvedSlots: {} },
      ],
    };
    const invoked = await this.options.lambdaHost.invoke(session.bot.codeHookFunction, event);
    if (!invoked.ok) throw new LexRuntimeError('DependencyFailedException', `Invalid Lambda Response: ${invoked.error.errorType}`);
    const result = validateHookResult(invoked.payload);
    session.attributes = { ...(result.sessionState.sessionAttributes ?? session.attributes) };
    if (result.sessionState.intent) {
      const returned = result.sessionState.intent as LexV2Intent;
      session.intent = {
        name: returned.name ?? session.intent!.name,
        slots: returned.slots ?? session.intent!.slots,
        state: returned.state,
        confirmationState: returned.confirmationState ?? session.intent!.confirmationState,
      };
    }
    const hookMessages = (result.messages ?? []).map((m) => ({
      contentType: m.contentType as 'PlainText' | 'SSML',
      content: (m as { content: string }).content,
    }));
    const dialogAction = result.sessionState.dialogAction;
    switch (dialogAction.type) {
      case 'Delegate':
        return [...hookMessages, ...this.applyDefault(session, intent, this.defaultNextStep(session, intent))];
      case 'ElicitSlot': {
        session.dialogAction = { type: 'ElicitSlot', slotToElicit: dialogAction.slotToElicit };
        session.tries = 0;
        return hookMessages.length
          ? hookMessages
          : this.promptMessages(
              intent.slots.find((s) => s.name === dialogAction.slotToElicit),
              0,
            );
      }
      case 'ConfirmIntent':
        session.dialogAction = { type: 'ConfirmIntent' };
        session.tries = 0;
        return hookMessages;
      case 'ElicitIntent':
        session.intent = undefined;
        session.dialogAction = { type: 'ElicitIntent' };
        return hookMessages;
      default: // 'Close'
        session.dialogAction = { type: 'Close' };
        return hookMessages;
    }
  }

  private defaultNextStep(session: Session, intent: IntentDefinition): DialogAction | { type: 'Close' } {
    const missing = intent.slots.find((s) => s.required && !session.intent!.slots[s.name]);
    return missing ? { type: 'ElicitSlot', slotToElicit: missing.name } : { type: 'Close' };
  }

  private applyDefault(session: Session, intent: IntentDefinition, next: DialogAction): LexResponseMessage[] {
    if (next.type === 'ElicitSlot') {
      session.dialogAction = next;
      session.intent!.state = 'InProgress';
      session.tries = 0;
      return this.promptMessages(
        intent.slots.find((s) => s.name === next.slotToElicit),
        0,
      );
    }
    session.dialogAction = { type: 'Close' };
    session.intent!.state = 'Fulfilled';
    return intent.closingMessage ? [message(intent.closingMessage)] : [];
  }

  private log(session: Session, text: string, inputMode: InputMode, elicited: string | undefined, response: RecognizeTextResponse): void {
    if (!session.bot.textLogs && !this.options.forceTextLogs) return;
    const intent = this.intentDefinition(session);
    const obfuscated = new Set(intent?.slots.filter((s) => s.obfuscation === 'DefaultObfuscation').map((s) => s.name) ?? []);
    const slots = Object.fromEntries(
      Object.entries(response.sessionState.intent?.slots ?? {}).map(([name, slot]) => [
        name,
        slot && obfuscated.has(name)
          ? { ...slot, value: { originalValue: `{${name}}`, interpretedValue: `{${name}}`, resolvedValues: [] } }
          : slot,
      ]),
    );
    this.options.logFile.append({
      timestamp: new Date().toISOString(),
      bot: { name: session.bot.name, localeId: session.locale.localeId, version: 'DRAFT', aliasName: 'live' },
      sessionId: session.sessionId,
      requestId: response.sessionState.originatingRequestId,
      inputMode,
      // What the caller said while an obfuscated slot was elicited is the slot value itself.
      inputTranscript: elicited && obfuscated.has(elicited) ? `{${elicited}}` : text,
      missedUtterance: response.sessionState.intent?.name === FALLBACK_INTENT,
      sessionState: {
        ...response.sessionState,
        intent: response.sessionState.intent ? { ...response.sessionState.intent, slots } : undefined,
      },
      messages: response.messages,
    });
  }
}

function message(m: LexMessage): LexResponseMessage {
  return m.text.startsWith('<speak>') ? { contentType: 'SSML', content: m.text } : { contentType: 'PlainText', content: m.text };
}

/** The twin runs only what AWS would accept: wait and continue exists in English locales only. */
function assertSupported(bot: BotDefinition): void {
  for (const locale of Object.values(bot.locales)) {
    for (const intent of locale.intents) {
      for (const slot of intent.slots) {
        if (slot.waitAndContinue && !WAIT_AND_CONTINUE_LOCALES.has(locale.localeId))
          throw new Error(
            `${bot.name} ${locale.localeId} ${intent.name}.${slot.name}: wait and continue is available only in English locales`,
          );
        for (const group of slot.prompt.messageGroups)
          if ((group.variations?.length ?? 0) > 2)
            throw new Error(`${bot.name} ${intent.name}.${slot.name}: a message group has at most 2 variations`);
      }
    }
  }
}

/** The bot id the twin gives a bot (stable, 10 characters like Lex's). */
export function botId(name: string): string {
  return name
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 10)
    .toUpperCase()
    .padEnd(10, 'X');
}

const DIALOG_ACTIONS = new Set(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']);
const INTENT_STATES = new Set(['Failed', 'Fulfilled', 'FulfillmentInProgress', 'InProgress', 'ReadyForFulfillment', 'Waiting']);

/** Lex rejects a malformed code hook response with DependencyFailedException; so does the twin. */
function validateHookResult(payload: unknown): LexV2Result {
  const result = payload as LexV2Result;
  const fail = (why: string): never => {
    throw new LexRuntimeError('DependencyFailedException', `Invalid Lambda Response: ${why}`);
  };
  if (!result || typeof result !== 'object' || !result.sessionState) fail('missing sessionState');
  const action = result.sessionState.dialogAction;
  if (!action || !DIALOG_ACTIONS.has(action.type)) fail('invalid dialogAction type');
  if (action.type === 'ElicitSlot' && !action.slotToElicit) fail('ElicitSlot without slotToElicit');
  if (result.sessionState.intent && !INTENT_STATES.has(result.sessionState.intent.state)) fail('invalid intent state');
  for (const [k, v] of Object.entries(result.sessionState.sessionAttributes ?? {}))
    if (typeof v !== 'string') fail(`session attribute ${k} is not a string`);
  for (const m of result.messages ?? [])
    if (!['PlainText', 'SSML', 'CustomPayload', 'ImageResponseCard'].includes(m.contentType)) fail('invalid message contentType');
  return result;
}
