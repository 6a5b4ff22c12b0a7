/**
 * Typed Lex V2 bot definitions: the one source for the AWS bots (CDK `CfnBot`) and the twin's Lex
 * runtime. Field names follow the Lex V2 model (intents, sample utterances, slots, slot types,
 * prompts, DTMF settings, obfuscation) so the CDK mapping is direct.
 */

export type LexLocaleId = 'en_US' | 'es_US';
export const LEX_LOCALES: readonly LexLocaleId[] = ['en_US', 'es_US'];

export interface LexMessage {
  /** Plain text, or SSML when it starts with `<speak>`. */
  readonly text: string;
}

/**
 * One message group (Lex V2 `MessageGroup`): Lex plays one message of each group of a response, the
 * primary one or one of at most two variations (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_MessageGroup.html).
 * A retry text is therefore a variation of the same group, never a second group (that would be spoken too).
 */
export interface MessageGroup {
  readonly message: LexMessage;
  readonly variations?: readonly LexMessage[];
}

export interface PromptSpecification {
  readonly messageGroups: readonly MessageGroup[];
  /** Retries after the first prompt: 2 means at most 3 tries; then Lex switches to the fallback intent. */
  readonly maxRetries: number;
  /**
   * Ordered: the first try plays each group's message, retry N its variation N ("play the messages in
   * order", https://aws.amazon.com/blogs/machine-learning/configure-dtmf-slots-and-ordered-retry-prompts-with-amazon-lex/).
   * Random: any of them, each try.
   */
  readonly messageSelectionStrategy: 'Ordered' | 'Random';
  /** How long Lex waits for the caller to start speaking or keying before a no-input retry (`startTimeoutMs`). */
  readonly startTimeoutMs: number;
}

/**
 * Lex V2 wait and continue (https://docs.aws.amazon.com/lexv2/latest/dg/wait-and-continue.html): the
 * caller says "hold on a second"; the bot waits (intent state Waiting), reminds them periodically, and
 * continues when they are back. Available only in English locales (en-AU, en-GB, en-IN, en-US, en-ZA).
 */
export interface WaitAndContinueSpecification {
  readonly waitingResponse: readonly MessageGroup[];
  readonly continueResponse: readonly MessageGroup[];
  readonly stillWaitingResponse?: {
    readonly messageGroups: readonly MessageGroup[];
    readonly frequencyInSeconds: number;
    readonly timeoutInSeconds: number;
  };
}

export interface SlotTypeDefinition {
  readonly name: string;
  /** Built-in parent, e.g. AMAZON.AlphaNumeric with a regular expression. */
  readonly parentSlotTypeSignature?: 'AMAZON.AlphaNumeric';
  /** Lex regex syntax (a subset of standard regular expressions), matched against the whole value. */
  readonly regexPattern?: string;
  readonly values?: ReadonlyArray<{ readonly value: string; readonly synonyms?: readonly string[] }>;
  /** TOP_RESOLUTION: a synonym resolves to its value; ORIGINAL_VALUE (default): what was said. */
  readonly resolution?: 'ORIGINAL_VALUE' | 'TOP_RESOLUTION';
}

export interface SlotDefinition {
  readonly name: string;
  /** A slot type of this locale, or a built-in (AMAZON.Number, AMAZON.Confirmation, ...). */
  readonly slotTypeName: string;
  readonly description: string;
  readonly required: boolean;
  readonly prompt: PromptSpecification;
  /** DefaultObfuscation hides the value in conversation logs (Lex V2 `obfuscationSetting`). */
  readonly obfuscation: 'None' | 'DefaultObfuscation';
  /** DTMF capture for the slot (Lex V2 `dtmfSpecification`). */
  readonly dtmf?: DtmfSpecification;
  /** Whether the caller may speak the value (false: keypad only, so a code is never said aloud). */
  readonly allowAudioInput?: boolean;
  /** Slot elicitation utterances such as "my ID is {EmployeeId}" (Lex V2 slot `sampleUtterances`). */
  readonly sampleUtterances?: readonly string[];
  readonly waitAndContinue?: WaitAndContinueSpecification;
}

/** Lex V2 `DTMFSpecification` (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_DTMFSpecification.html). */
export interface DtmfSpecification {
  /** The input ends at this many digits; a key pressed after it belongs to the next input. */
  readonly maxLength: number;
  /** Ends the input at once. */
  readonly endCharacter: string;
  /** Clears the digits keyed so far and ends the input at once. */
  readonly deletionCharacter: string;
  /** Without the end character, the input ends this long after the last key. */
  readonly endTimeoutMs: number;
}

export interface IntentDefinition {
  readonly name: string;
  readonly description: string;
  /** Spoken or typed examples; single digits serve keypad selection (DTMF arrives as text). */
  readonly sampleUtterances: readonly string[];
  readonly slots: readonly SlotDefinition[];
  readonly dialogCodeHook: boolean;
  readonly fulfillmentCodeHook: boolean;
  /** Spoken when the intent closes without a code hook answer. */
  readonly closingMessage?: LexMessage;
}

export interface LocaleDefinition {
  readonly localeId: LexLocaleId;
  readonly description: string;
  readonly voiceId: string;
  /** Below this confidence the input goes to AMAZON.FallbackIntent. */
  readonly nluConfidenceThreshold: number;
  readonly slotTypes: readonly SlotTypeDefinition[];
  readonly intents: readonly IntentDefinition[];
  /** Said when the fallback intent closes; none when the contact flow apologises itself. */
  readonly fallbackMessage?: LexMessage;
}

export interface BotDefinition {
  readonly name: string;
  readonly description: string;
  readonly idleSessionTtlSeconds: number;
  /** The Lambda of the alias' code hook (function catalogue name), if any intent uses one. */
  readonly codeHookFunction?: string;
  /** Conversation text logs (slots with DefaultObfuscation are obfuscated in them). */
  readonly textLogs: boolean;
  readonly locales: Readonly<Record<LexLocaleId, LocaleDefinition>>;
}

export const FALLBACK_INTENT = 'FallbackIntent';

export function ssml(text: string): LexMessage {
  return { text: `<speak>${text}</speak>` };
}

export function plain(text: string): LexMessage {
  return { text };
}
