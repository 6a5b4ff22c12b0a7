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

export interface PromptSpecification {
  readonly messages: readonly LexMessage[];
  /** Retries after the first prompt: 2 means at most 3 tries. */
  readonly maxRetries: number;
  /** Said on a retry instead of the first prompt. */
  readonly retryMessages?: readonly LexMessage[];
}

export interface SlotTypeDefinition {
  readonly name: string;
  /** Built-in parent, e.g. AMAZON.AlphaNumeric with a regular expression. */
  readonly parentSlotTypeSignature?: 'AMAZON.AlphaNumeric';
  /** Lex regex syntax (a subset of standard regular expressions), matched against the whole value. */
  readonly regexPattern?: string;
  readonly values?: ReadonlyArray<{ readonly value: string; readonly synonyms?: readonly string[] }>;
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
  readonly dtmf?: {
    readonly maxLength: number;
    readonly endCharacter: string;
    readonly deletionCharacter: string;
    readonly endTimeoutMs: number;
  };
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
  /** Spoken when a slot runs out of tries and the intent fails. */
  readonly failureMessage?: LexMessage;
}

export interface LocaleDefinition {
  readonly localeId: LexLocaleId;
  readonly description: string;
  readonly voiceId: string;
  /** Below this confidence the input goes to AMAZON.FallbackIntent. */
  readonly nluConfidenceThreshold: number;
  readonly slotTypes: readonly SlotTypeDefinition[];
  readonly intents: readonly IntentDefinition[];
  /** Said when the fallback intent closes. */
  readonly fallbackMessage: LexMessage;
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
