/**
 * The twin's contact flow runner: executes Amazon Connect flow-language JSON for one contact,
 * action by action, until the call needs caller input or ends. Lex blocks go through the twin's
 * Lex runtime, Lambda blocks through its Lambda host (time limit at most 8 s, STRING_MAP
 * validation, `$.External` replaced on each invocation). While flow logging is on, every block is
 * logged (`flow-logs.jsonl`); while recording is on, both sides are transcribed (`recordings/`).
 * Written by hand: there is no offline Connect flow engine.
 */
import { encryptStoredInput, StoredInputEncryptionError } from './stored-input-encryption';
import { randomUUID } from 'node:crypto';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { ssmlToText } from '../../lambdas/domain/ssml';
import type { LambdaHost } from '../lambda/lambda-host';
import { LexRuntimeError, type LexRuntime, type RecognizeTextResponse } from '../lex/lex-runtime';
import type { LexLocaleId } from '../../lex/bot-definition';
import type { JsonlFile } from '../retention/jsonl-file';
import type { Contact } from './contact';
import type { CallerInput } from './call-snapshot';
import type { ContactFlow, FlowAction } from './flow-language';
import type { Clock, TimerHandle } from '../time/clock';
import { foreignIntentName, withDerived, type FlowMapping } from './flow-mapping';

export interface RunnerDependencies {
  lambdaHost: LambdaHost;
  lex: LexRuntime;
  /** Bot name for a Lex V2 bot alias ARN. */
  botForAlias: (aliasArn: string) => string | undefined;
  /** Queue name for a queue ARN; `atCapacity` when it takes no more contacts. */
  queueForArn: (arn: string) => { name: string; atCapacity: boolean; open: boolean } | undefined;
  /** The name of the flow with this ARN (or ID), when the instance has it. */
  flowForArn?: (arnOrId: string) => string | undefined;
  flowLogs: JsonlFile;
  recording: (contactId: string) => JsonlFile;
  instanceArn: string;
  /** Idle time and the Lambda time limit run on this clock. */
  clock: Clock;
  /** For a flow exported elsewhere: its resources mapped onto the project's. */
  mapping?: FlowMapping;
  /** The instance's security keys (public keys, PEM): what an InputEncryption certificate must be signed by. */
  securityKeys?: readonly string[];
  /** Told what the flow does, and asked for overrides (the test-case runner, local/connect/test-case-runner.ts). */
  observer?: FlowObserver;
}

/** A block's identity as a test case names it (the `ActionParameters` of FlowActionStarted and overrides). */
export type ObservedParameters = Record<string, unknown>;

/** What a test case's OverrideSystemBehavior makes a block do instead of running. */
export type BlockOverride =
  | { kind: 'external'; loadedData: Record<string, unknown> }
  | { kind: 'hours'; open: boolean }
  | { kind: 'error'; errorType: string }
  | { kind: 'substitute'; arn: string };

export interface FlowObserver {
  actionStarted(contact: Contact, actionType: string, parameters: ObservedParameters): void;
  messagePlayed(contact: Contact, prompt: { text: string; ssml: string | null }): void;
  override(contact: Contact, actionType: string, parameters: ObservedParameters): BlockOverride | undefined;
}

type Step =
  | { kind: 'next' }
  | { kind: 'condition'; value: string | undefined }
  | { kind: 'error'; errorType: string }
  | { kind: 'await'; awaiting: 'dtmf' | 'voice_or_dtmf' }
  | { kind: 'end'; disposition: 'DISCONNECTED' | 'TRANSFERRED' };

/** Connect's ceiling on a Lambda block. */
const MAX_LAMBDA_SECONDS = 8;
/** A flow that runs this many blocks without waiting for the caller is looping. */
const MAX_BLOCKS_PER_TURN = 500;

export class FlowRunner {
  private readonly actions: Map<string, FlowAction>;

  constructor(
    readonly flow: ContactFlow,
    readonly flowName: string,
    private readonly deps: RunnerDependencies,
  ) {
    this.actions = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  }

  /** Runs from the start of the flow until input is needed or the call ends. */
  async start(contact: Contact): Promise<void> {
    await this.runFrom(contact, this.flow.StartAction);
  }

  /** Delivers caller input to the waiting block, then runs on. */
  async input(contact: Contact, input: CallerInput): Promise<void> {
    const action = contact.current;
    if (!action || contact.ended) return;
    contact.lastActivity = this.deps.clock.now();
    const said =
      input.dtmf !== undefined
        ? { from: 'caller' as const, text: input.dtmf, dtmf: input.dtmf }
        : { from: 'caller' as const, text: input.text ?? '' };
    contact.transcript.push({ at: new Date().toISOString(), ...said, recorded: contact.recording });
    if (contact.recording) this.deps.recording(contact.contactId).append({ at: new Date().toISOString(), ...said });
    contact.awaiting = null;
    contact.current = undefined;
    const step =
      action.Type === 'ConnectParticipantWithLexBot'
        ? await this.lexInput(contact, action, input)
        : await this.dtmfInput(contact, action, input);
    await this.continueAfter(contact, action, step);
  }

  private async runFrom(contact: Contact, identifier: string | undefined): Promise<void> {
    let id = identifier;
    for (let blocks = 0; id && !contact.ended; blocks += 1) {
      if (blocks > MAX_BLOCKS_PER_TURN) return this.end(contact, 'DISCONNECTED');
      const action = this.actions.get(id);
      if (!action) return this.end(contact, 'DISCONNECTED');
      const step = await this.execute(contact, action);
      if (step.kind === 'await') {
        contact.current = action;
        contact.awaiting = step.awaiting;
        return;
      }
      if (step.kind === 'end') return this.end(contact, step.disposition);
      id = this.transition(action, step);
    }
    if (!contact.ended) this.end(contact, 'DISCONNECTED');
  }

  private async continueAfter(contact: Contact, action: FlowAction, step: Step): Promise<void> {
    if (step.kind === 'await') {
      contact.current = action;
      contact.awaiting = step.awaiting;
      return;
    }
    if (step.kind === 'end') return this.end(contact, step.disposition);
    await this.runFrom(contact, this.transition(action, step));
  }

  /** The next block for a step, as Connect picks it. */
  private transition(action: FlowAction, step: Step): string | undefined {
    const t = action.Transitions ?? {};
    const errorTarget = (type: string) => t.Errors?.find((e) => e.ErrorType === type)?.NextAction;
    if (step.kind === 'error') return errorTarget(step.errorType) ?? errorTarget('NoMatchingError');
    if (step.kind === 'condition') {
      const match = t.Conditions?.find((c) => matches(c.Condition.Operator, c.Condition.Operands, step.value));
      if (match) return match.NextAction;
      return errorTarget('NoMatchingCondition') ?? t.NextAction;
    }
    return t.NextAction;
  }

  private log(contact: Contact, action: FlowAction, parameters: Record<string, unknown>, results?: Record<string, unknown>): void {
    if (!contact.flowLogging) return;
    this.deps.flowLogs.append({
      ContactId: contact.contactId,
      ContactFlowId: `${this.deps.instanceArn}/contact-flow/${this.flowName}`,
      ContactFlowName: this.flowName,
      ContactFlowModuleType: action.Type,
      Identifier: action.Identifier,
      Timestamp: new Date().toISOString(),
      Parameters: parameters,
      ...(results ? results : {}),
    });
  }

  /** A block a test case overrode: the mocked result, as the block would have produced it. */
  private async overridden(contact: Contact, action: FlowAction, override: BlockOverride): Promise<Step> {
    this.log(contact, action, { ...(action.Parameters ?? {}) }, { Override: override.kind });
    if (override.kind === 'error') return { kind: 'error', errorType: override.errorType };
    if (action.Type === 'InvokeLambdaFunction' && override.kind === 'external') {
      contact.external = Object.fromEntries(
        Object.entries(override.loadedData).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      );
      return { kind: 'next' };
    }
    if (action.Type === 'InvokeLambdaFunction' && override.kind === 'substitute')
      return this.invokeLambda(contact, { ...action, Parameters: { ...(action.Parameters ?? {}), LambdaFunctionARN: override.arn } });
    if (action.Type === 'CheckHoursOfOperation' && override.kind === 'hours')
      return { kind: 'condition', value: override.open ? 'True' : 'False' };
    throw new Error(`unsupported: an override of ${action.Type} by ${override.kind}`);
  }

  private play(contact: Contact, content: { ssml?: string; text?: string }): void {
    const prompt =
      content.ssml !== undefined ? { text: ssmlToText(content.ssml), ssml: content.ssml } : { text: content.text ?? '', ssml: null };
    this.deps.observer?.messagePlayed(contact, prompt);
    contact.pending.push(prompt);
    contact.transcript.push({ at: new Date().toISOString(), from: 'system', ...prompt, recorded: contact.recording });
    if (contact.recording)
      this.deps.recording(contact.contactId).append({ at: new Date().toISOString(), from: 'system', text: prompt.text });
  }

  /** Plays the block's prompt (Text, SSML); false when it references something missing. */
  private playPrompt(contact: Contact, params: Record<string, unknown>): boolean {
    if (params.SSML !== undefined) {
      const ssml = contact.resolve(params.SSML);
      if (!ssml) return false;
      this.play(contact, ssml.trim().startsWith('<speak>') ? { ssml } : { text: ssml });
    } else if (params.Text !== undefined) {
      const text = contact.resolve(params.Text);
      if (!text) return false;
      this.play(contact, { text });
    }
    return true;
  }

  /** The identity of a block as test cases name it, resolved for this contact. */
  private observedParameters(contact: Contact, action: FlowAction): ObservedParameters {
    const params = action.Parameters ?? {};
    switch (action.Type) {
      case 'InvokeLambdaFunction':
        return { LambdaFunctionARN: contact.resolve(params.LambdaFunctionARN) ?? '' };
      case 'CheckHoursOfOperation':
        return { HoursOfOperationId: contact.targetQueue ? `${contact.targetQueue.arn}/hours` : '' };
      case 'TransferContactToQueue':
        return { QueueId: contact.targetQueue?.arn ?? '' };
      case 'ConnectParticipantWithLexBot':
        return { LexV2Bot: { AliasArn: (params.LexV2Bot as { AliasArn?: string } | undefined)?.AliasArn ?? '' } };
      default:
        return { ...params };
    }
  }

  private async execute(contact: Contact, action: FlowAction): Promise<Step> {
    const params = action.Parameters ?? {};
    const observer = this.deps.observer;
    if (observer) {
      const identity = this.observedParameters(contact, action);
      observer.actionStarted(contact, action.Type, identity);
      const override = observer.override(contact, action.Type, identity);
      if (override) return this.overridden(contact, action, override);
    }
    switch (action.Type) {
      case 'MessageParticipant': {
        const ok = this.playPrompt(contact, params);
        this.log(contact, action, { ...params });
        return ok && (params.SSML !== undefined || params.Text !== undefined)
          ? { kind: 'next' }
          : { kind: 'error', errorType: 'NoMatchingError' };
      }
      case 'GetParticipantInput': {
        this.log(contact, action, { ...params });
        if (!this.playPrompt(contact, params)) return { kind: 'error', errorType: 'NoMatchingError' };
        return { kind: 'await', awaiting: 'dtmf' };
      }
      case 'ConnectParticipantWithLexBot':
        return this.lexStart(contact, action);
      case 'InvokeLambdaFunction':
        return this.invokeLambda(contact, action);
      case 'Compare': {
        const value = contact.resolve(params.ComparisonValue);
        this.log(contact, action, { ComparisonValue: params.ComparisonValue }, { Results: value ?? null });
        return { kind: 'condition', value };
      }
      case 'UpdateContactAttributes': {
        const attributes = (params.Attributes ?? {}) as Record<string, unknown>;
        for (const [key, raw] of Object.entries(attributes)) {
          const value = contact.resolve(raw);
          if (value !== undefined) contact.attributes[key] = value;
        }
        this.log(contact, action, { ...params });
        return { kind: 'next' };
      }
      case 'UpdateContactData': {
        const language = contact.resolve(params.LanguageCode);
        if (language) contact.languageCode = language;
        this.log(contact, action, { ...params });
        return { kind: 'next' };
      }
      case 'UpdateContactTextToSpeechVoice': {
        const voice = contact.resolve(params.TextToSpeechVoice);
        if (voice) contact.voice = voice;
        this.log(contact, action, { ...params });
        return { kind: 'next' };
      }
      case 'Loop': {
        const limit = Number(contact.resolve(params.LoopCount) ?? '0');
        const count = contact.loops.get(action.Identifier) ?? 0;
        this.log(contact, action, { ...params });
        if (count < limit) {
          contact.loops.set(action.Identifier, count + 1);
          return { kind: 'condition', value: 'ContinueLooping' };
        }
        contact.loops.delete(action.Identifier);
        return { kind: 'condition', value: 'DoneLooping' };
      }
      case 'UpdateContactTargetQueue': {
        const arn = contact.resolve(params.QueueId);
        const queue = arn ? this.deps.queueForArn(arn) : undefined;
        this.log(contact, action, { ...params });
        if (!arn || !queue) return { kind: 'error', errorType: 'NoMatchingError' };
        contact.targetQueue = { arn, name: queue.name };
        return { kind: 'next' };
      }
      case 'UpdateContactEventHooks': {
        // One hook per block (the schema holds it to one entry); a flow the twin does not know is an error,
        // as Connect would not find it.
        const [event, raw] = Object.entries((params.EventHooks ?? {}) as Record<string, unknown>)[0] ?? [];
        const flow = event ? contact.resolve(raw) : undefined;
        this.log(contact, action, { ...params });
        if (!event || !flow || !this.deps.flowForArn?.(flow)) return { kind: 'error', errorType: 'NoMatchingError' };
        contact.eventHooks[event] = flow;
        return { kind: 'next' };
      }
      case 'TransferContactToQueue': {
        this.log(contact, action, { ...params });
        const queue = contact.targetQueue && this.deps.queueForArn(contact.targetQueue.arn);
        if (!contact.targetQueue || !queue) return { kind: 'error', errorType: 'NoMatchingError' };
        if (queue.atCapacity) return { kind: 'error', errorType: 'QueueAtCapacity' };
        // Enqueued on the twin's clock: the agent queue measures waiting time on it.
        contact.queue = { ...contact.targetQueue, enqueuedAt: new Date(this.deps.clock.now()).toISOString() };
        return { kind: 'end', disposition: 'TRANSFERRED' };
      }
      case 'CheckHoursOfOperation': {
        // The target queue's hours unless the block names others; an hours id the twin does not know is
        // an error, as is a contact with no target queue (https://docs.aws.amazon.com/connect/latest/APIReference/flow-control-actions-checkhoursofoperation.html).
        this.log(contact, action, { ...params });
        if (params.HoursOfOperationId !== undefined) return { kind: 'error', errorType: 'NoMatchingError' };
        const queue = contact.targetQueue && this.deps.queueForArn(contact.targetQueue.arn);
        if (!queue) return { kind: 'error', errorType: 'NoMatchingError' };
        return { kind: 'condition', value: queue.open ? 'True' : 'False' };
      }
      case 'DisconnectParticipant':
      case 'EndFlowExecution':
        this.log(contact, action, { ...params });
        return { kind: 'end', disposition: 'DISCONNECTED' };
      case 'UpdateFlowLoggingBehavior': {
        const enabled = params.FlowLoggingBehavior === 'Enabled';
        // The block that turns logging off is the last one logged; the one that turns it on, the first.
        if (enabled) contact.flowLogging = true;
        this.log(contact, action, { ...params });
        if (!enabled) contact.flowLogging = false;
        return { kind: 'next' };
      }
      case 'UpdateContactRecordingBehavior': {
        const behavior = (params.RecordingBehavior ?? {}) as { RecordedParticipants?: string[]; IVRRecordingBehavior?: string };
        // What a flow says to the caller, and hears back, is the IVR portion: Connect records it only with
        // IVRRecordingBehavior Enabled ("automated interaction call recording"). RecordedParticipants
        // records the agent conversation, from when an agent joins, and the twin has no agents yet
        // (https://docs.aws.amazon.com/connect/latest/adminguide/set-recording-behavior.html).
        contact.recording = behavior.IVRRecordingBehavior === 'Enabled';
        this.log(contact, action, { ...params });
        return { kind: 'next' };
      }
      default:
        this.log(contact, action, { ...params });
        return { kind: 'error', errorType: 'NoMatchingError' };
    }
  }

  /**
   * Keypad input to a GetParticipantInput block (voice). AWS:
   * - StoreInput "False" ("Get customer input"): one key picks a condition; nothing keyed in time is
   *   InputTimeLimitExceeded, a key no condition names is NoMatchingCondition
   *   (https://docs.aws.amazon.com/connect/latest/adminguide/get-customer-input.html);
   * - StoreInput "True" ("Store customer input"): the digits up to the terminating key, or up to
   *   MaximumLength (a key after that is not part of it), into $.StoredCustomerInput; nothing keyed
   *   takes the Success branch with the value "Timeout"
   *   (https://docs.aws.amazon.com/connect/latest/adminguide/store-customer-input.html).
   */
  private async dtmfInput(contact: Contact, action: FlowAction, input: CallerInput): Promise<Step> {
    const params = action.Parameters ?? {};
    // Voice flows gather keypad input here; speech is not heard by this block.
    const keyed = (input.dtmf ?? '').replace(/[^0-9*#]/g, '');
    if (params.StoreInput === 'True') {
      const terminator = (params.DTMFConfiguration as { InputTerminationSequence?: string } | undefined)?.InputTerminationSequence ?? '#';
      const max = Number(
        (params.InputValidation as { CustomValidation?: { MaximumLength?: string } })?.CustomValidation?.MaximumLength ?? '20',
      );
      const digits = keyed.split(terminator)[0]!.slice(0, max);
      const stored = digits === '' ? 'Timeout' : digits;
      if (params.InputEncryption === undefined) {
        contact.storedCustomerInput = stored;
        return { kind: 'next' };
      }
      // Encrypted, "Timeout" included: whether Connect leaves "Timeout" in clear is not documented, so the
      // twin assumes the stricter case (a flow must not depend on reading it).
      try {
        contact.storedCustomerInput = await encryptStoredInput(stored, params.InputEncryption as object, this.deps.securityKeys ?? []);
      } catch (error) {
        if (!(error instanceof StoredInputEncryptionError)) throw error;
        return { kind: 'error', errorType: 'NoMatchingError' };
      }
      return { kind: 'next' };
    }
    if (keyed === '') return { kind: 'error', errorType: 'InputTimeLimitExceeded' };
    return { kind: 'condition', value: keyed.charAt(0) };
  }

  /**
   * A Lex block on a voice call plays its prompt, then the caller's first answer goes to the bot.
   * Lex initialization data is chat-only ("The Voice channel is not supported",
   * https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-connectparticipantwithlexbot.html):
   * on a voice contact the block takes its error branch.
   */
  private async lexStart(contact: Contact, action: FlowAction): Promise<Step> {
    const params = action.Parameters ?? {};
    this.log(contact, action, { ...params });
    if (params.LexInitializationData !== undefined || params.LexInitilizationData !== undefined)
      return { kind: 'error', errorType: 'NoMatchingError' };
    if (!this.playPrompt(contact, params)) return { kind: 'error', errorType: 'NoMatchingError' };
    contact.lex = { Slots: {}, SessionAttributes: {} };
    // The block's session attributes go with the bot's first turn.
    const attributes: Record<string, string> = {};
    for (const [key, raw] of Object.entries((params.LexSessionAttributes ?? {}) as Record<string, unknown>)) {
      const value = contact.resolve(raw);
      if (value !== undefined) attributes[key] = value;
    }
    contact.lexSessionAttributes = attributes;
    return { kind: 'await', awaiting: 'voice_or_dtmf' };
  }

  /**
   * What the caller says or keys at a Lex block goes to the bot, silence included: on voice, Lex
   * re-prompts and falls back by itself; InputTimeLimitExceeded is a chat setting (LexTimeoutSeconds)
   * and never fires on a call. Keys pressed after a keypad input ended go to the bot as its next input.
   */
  private async lexInput(contact: Contact, action: FlowAction, input: CallerInput): Promise<Step> {
    let step = await this.lexTurn(contact, action, input, input.dtmf !== undefined ? 'DTMF' : 'Speech');
    while (step.kind === 'await' && contact.remainingKeys) {
      const keys = contact.remainingKeys;
      contact.remainingKeys = undefined;
      step = await this.lexTurn(contact, action, { dtmf: keys }, 'DTMF');
    }
    contact.remainingKeys = undefined;
    return step;
  }

  private async lexTurn(contact: Contact, action: FlowAction, input: CallerInput, inputMode: 'Text' | 'Speech' | 'DTMF'): Promise<Step> {
    const params = action.Parameters ?? {};
    const aliasArn = contact.resolve((params.LexV2Bot as { AliasArn?: string } | undefined)?.AliasArn) ?? '';
    const botName = this.deps.botForAlias(aliasArn);
    if (!botName) return { kind: 'error', errorType: 'NoMatchingError' };
    const sessionAttributes = contact.lexSessionAttributes;
    contact.lexSessionAttributes = undefined;
    let response: RecognizeTextResponse;
    try {
      response = await this.deps.lex.recognizeText({
        botName,
        localeId: contact.languageCode.replace('-', '_') as LexLocaleId,
        sessionId: contact.contactId,
        text: input.dtmf ?? input.text ?? '',
        inputMode,
        ...(sessionAttributes ? { sessionAttributes } : {}),
        requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
      });
    } catch (error) {
      if (!(error instanceof LexRuntimeError)) throw error;
      this.endLex(contact, action);
      return { kind: 'error', errorType: 'NoMatchingError' };
    }
    for (const m of response.messages) this.play(contact, m.contentType === 'SSML' ? { ssml: m.content } : { text: m.content });
    if (response.sessionState.dialogAction.type !== 'Close') {
      contact.remainingKeys = response.remainingKeys;
      return { kind: 'await', awaiting: 'voice_or_dtmf' };
    }
    const intent = response.sessionState.intent;
    const intentName = foreignIntentName(this.deps.mapping, intent?.name);
    contact.lex = {
      IntentName: intentName,
      Slots: Object.fromEntries(Object.entries(intent?.slots ?? {}).map(([k, v]) => [k, v?.value.interpretedValue ?? null])),
      SessionAttributes: withDerived(response.sessionState.sessionAttributes, this.deps.mapping?.sessionAttributes) as Record<
        string,
        string
      >,
    };
    return { kind: 'condition', value: intentName };
  }

  private endLex(contact: Contact, action: FlowAction): void {
    const aliasArn = contact.resolve((action.Parameters?.LexV2Bot as { AliasArn?: string } | undefined)?.AliasArn) ?? '';
    const botName = this.deps.botForAlias(aliasArn);
    if (botName) this.deps.lex.endSession(botName, contact.contactId);
  }

  private async invokeLambda(contact: Contact, action: FlowAction): Promise<Step> {
    const params = action.Parameters ?? {};
    const foreignArn = contact.resolve(params.LambdaFunctionARN) ?? '';
    const mapped = this.deps.mapping?.lambdas?.[foreignArn];
    const arn = mapped ? this.deps.lambdaHost.arnOf(mapped.function) : foreignArn;
    const limitSeconds = Math.min(
      MAX_LAMBDA_SECONDS,
      Number(contact.resolve(params.InvocationTimeLimitSeconds) ?? MAX_LAMBDA_SECONDS) || MAX_LAMBDA_SECONDS,
    );
    const invocationParameters: Record<string, string> = {};
    const attributes = { ...(params.LambdaInvocationAttributes as Record<string, unknown> | undefined), ...mapped?.parameters };
    for (const [key, raw] of Object.entries(attributes)) {
      const value = contact.resolve(raw);
      if (value !== undefined) invocationParameters[key] = value;
    }
    const event: ConnectContactFlowEvent = {
      Name: 'ContactFlowEvent',
      Details: {
        ContactData: {
          Attributes: { ...contact.attributes },
          Channel: 'VOICE',
          ContactId: contact.contactId,
          CustomerEndpoint: { Address: contact.customerNumber, Type: 'TELEPHONE_NUMBER' },
          InitialContactId: contact.contactId,
          InitiationMethod: 'INBOUND',
          InstanceARN: this.deps.instanceArn,
          PreviousContactId: contact.contactId,
          Queue: contact.targetQueue ? { ARN: contact.targetQueue.arn, Name: contact.targetQueue.name } : null,
          SystemEndpoint: { Address: contact.systemNumber, Type: 'TELEPHONE_NUMBER' },
          MediaStreams: { Customer: { Audio: null } },
        },
        Parameters: invocationParameters,
      },
    };
    // $.External is replaced by each invocation, and empty when it fails.
    contact.external = {};
    let timer: TimerHandle | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = this.deps.clock.setTimeout(() => resolve('timeout'), limitSeconds * 1000);
    });
    const result = await Promise.race([this.deps.lambdaHost.invoke(arn, event), timeout]);
    this.deps.clock.clearTimeout(timer);
    let step: Step = { kind: 'error', errorType: 'NoMatchingError' };
    let failure: string | undefined;
    if (result === 'timeout') failure = `Lambda did not answer within ${limitSeconds} s`;
    else if (!result.ok) failure = `${result.error.errorType}: ${result.error.errorMessage}`;
    else if (
      !validResponse(result.payload, (params.ResponseValidation as { ResponseType?: string } | undefined)?.ResponseType ?? 'STRING_MAP')
    )
      failure = 'response failed validation';
    else {
      contact.external = withDerived(result.payload as Record<string, unknown>, mapped?.results);
      step = { kind: 'next' };
    }
    this.log(
      contact,
      action,
      { FunctionArn: arn, Parameters: invocationParameters, TimeLimit: String(limitSeconds * 1000) },
      failure ? { Error: failure } : { ExternalResults: contact.external },
    );
    return step;
  }

  private end(contact: Contact, disposition: 'DISCONNECTED' | 'TRANSFERRED'): void {
    contact.ended = true;
    contact.awaiting = null;
    contact.current = undefined;
    contact.disposition ??= disposition;
  }
}

/** Connect's Compare and condition operators. */
function matches(operator: string, operands: string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  const [operand] = operands;
  if (operand === undefined) return false;
  switch (operator) {
    case 'Equals':
      return value === operand;
    case 'NumberGreaterThan':
      return Number(value) > Number(operand);
    case 'NumberGreaterOrEqualTo':
      return Number(value) >= Number(operand);
    case 'NumberLessThan':
      return Number(value) < Number(operand);
    case 'NumberLessOrEqualTo':
      return Number(value) <= Number(operand);
    case 'TextContains':
      return value.includes(operand);
    case 'TextStartsWith':
      return value.startsWith(operand);
    case 'TextEndsWith':
      return value.endsWith(operand);
    default:
      return false;
  }
}

/** STRING_MAP: a flat object of strings. JSON: any object. */
function validResponse(payload: unknown, type: string): boolean {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return false;
  if (type === 'JSON') return true;
  return Object.values(payload).every((v) => typeof v === 'string');
}

export const newContactId = (): string => randomUUID();
