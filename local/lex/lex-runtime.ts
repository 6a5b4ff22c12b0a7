/**
 * The twin's Lex V2 runtime: runs the bot definitions of `lex/` like Lex's RecognizeText —
 * intent classification, slot elicitation with prompts and retries, intent confirmation, the dialog
 * code hook invoked through the Lambda host with the real Lex V2 event, session attributes, and a
 * response with messages, interpretations and session state. Conversation logs go to
 * `lex-logs.jsonl` with obfuscated slots obfuscated (`{SlotName}`), when the bot keeps text logs.
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
  type SlotDefinition,
} from '../../lex/bot-definition';
import type { LambdaHost } from '../lambda/lambda-host';
import type { JsonlFile } from '../retention/jsonl-file';
import { IntentClassifier } from './intent-classifier';
import { confirmation, resolveSlotValue } from './slot-resolution';

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
}

/** Lex's RecognizeText text limit. */
const MAX_TEXT = 1024;

export class LexRuntime {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly bots: readonly BotDefinition[],
    private readonly options: { lambdaHost: LambdaHost; logFile: JsonlFile; forceTextLogs?: boolean },
  ) {}

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
    // Over-long input is treated like noise (a re-prompt), not an error the caller can trigger.
    const text = request.text.length > MAX_TEXT ? '' : request.text;
    const session = this.session(bot, locale, request.sessionId);
    if (request.sessionAttributes) Object.assign(session.attributes, request.sessionAttributes);
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

  private session(bot: BotDefinition, locale: LocaleDefinition, sessionId: string): Session {
    const now = Date.now();
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
    const classifier = new IntentClassifier(session.locale, (intent, slotName, said) => {
      const slot = intent.slots.find((s) => s.name === slotName);
      return Boolean(slot && resolveSlotValue(slot, said, session.locale, inputMode));
    });
    const scores = text.trim() === '' ? [] : classifier.classify(text);
    const best = scores[0];
    const interpretations = scores.slice(0, 3).map((s) => ({
      intent: { name: s.intent.name, slots: {}, state: 'InProgress' as LexV2IntentState, confirmationState: 'None' as const },
      nluConfidence: { score: Number(s.score.toFixed(2)) },
    }));
    if (!best || best.score < session.locale.nluConfidenceThreshold) {
      session.intent = { name: FALLBACK_INTENT, slots: {}, state: 'Fulfilled', confirmationState: 'None' };
      session.dialogAction = { type: 'Close' };
      return {
        messages: [message(session.locale.fallbackMessage)],
        interpretations: [{ intent: structuredClone(session.intent) }, ...interpretations],
      };
    }
    const slots: LexV2Slots = Object.fromEntries(best.intent.slots.map((s) => [s.name, null]));
    for (const [slotName, said] of Object.entries(best.capturedText ?? {})) {
      const slot = best.intent.slots.find((s) => s.name === slotName)!;
      const value = resolveSlotValue(slot, said, session.locale, inputMode);
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
    const value = slot ? resolveSlotValue(slot, text, session.locale, inputMode) : undefined;
    if (!slot || !value) return this.retry(session, slot?.prompt.maxRetries ?? 2, () => promptMessages(slot, true));
    session.intent!.slots[slotName] = { shape: 'Scalar', value };
    session.tries = 0;
    return this.dialogStep(session, text, inputMode, requestAttributes);
  }

  private async onConfirmation(session: Session, text: string, inputMode: InputMode, requestAttributes: Record<string, string>) {
    const answer = confirmation(inputMode === 'DTMF' ? text.replace(/#$/, '') : text, session.locale.localeId);
    if (!answer) return this.retry(session, 2, () => session.lastMessages);
    session.intent!.confirmationState = answer === 'Yes' ? 'Confirmed' : 'Denied';
    session.tries = 0;
    return this.dialogStep(session, text, inputMode, requestAttributes);
  }

  /** A try that gave nothing usable: re-prompt, or fail the intent after the last retry. */
  private retry(session: Session, maxRetries: number, reprompt: () => LexResponseMessage[]): LexResponseMessage[] {
    session.tries += 1;
    if (session.tries > maxRetries) {
      session.intent!.state = 'Failed';
      session.dialogAction = { type: 'Close' };
      const failure = this.intentDefinition(session)?.failureMessage;
      return failure ? [message(failure)] : [];
    }
    return reprompt();
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
          : promptMessages(
              intent.slots.find((s) => s.name === dialogAction.slotToElicit),
              false,
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
      return promptMessages(
        intent.slots.find((s) => s.name === next.slotToElicit),
        false,
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

function promptMessages(slot: SlotDefinition | undefined, retry: boolean): LexResponseMessage[] {
  if (!slot) return [];
  const messages = retry && slot.prompt.retryMessages?.length ? slot.prompt.retryMessages : slot.prompt.messages;
  return messages.map(message);
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
