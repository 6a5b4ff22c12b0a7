/**
 * One phone call in the twin: the contact's data as Connect keeps it (attributes, $.External,
 * $.Lex, stored input, language, voice, queue, logging and recording state) plus what the caller
 * has heard and said.
 */
import type { FlowAction } from './flow-language';
import type { Awaiting, Prompt, TranscriptEntry } from './call-snapshot';

export type Disposition = 'DISCONNECTED' | 'TRANSFERRED' | 'HUNG_UP' | 'IDLE_TIMEOUT' | 'ERROR';

export class Contact {
  readonly initiatedAt = new Date();
  attributes: Record<string, string> = {};
  external: Record<string, unknown> = {};
  lex: { IntentName?: string; Slots: Record<string, string | null>; SessionAttributes: Record<string, string> } = {
    Slots: {},
    SessionAttributes: {},
  };
  storedCustomerInput: string | undefined;
  /** The Lex block's session attributes, sent with the bot's first turn. */
  lexSessionAttributes: Record<string, string> | undefined;
  /** Keys pressed after a keypad input ended: the bot's next input. */
  remainingKeys: string | undefined;
  languageCode = 'en-US';
  voice = 'Joanna';
  targetQueue: { arn: string; name: string } | undefined;
  queue: { arn: string; name: string; enqueuedAt: string } | undefined;
  /** Flows the contact runs on events (UpdateContactEventHooks), by event: CustomerRemaining is its disconnect flow. */
  eventHooks: Record<string, string> = {};
  flowLogging = false;
  recording = false;
  loops = new Map<string, number>();
  /** The action waiting for caller input, if any. */
  current: FlowAction | undefined;
  awaiting: Awaiting | null = null;
  ended = false;
  disposition: Disposition | undefined;
  disconnectedAt: Date | undefined;
  /** When the caller last did something, on the twin's clock (set by the call center). */
  lastActivity = 0;
  /** Played since the last caller input. */
  pending: Prompt[] = [];
  transcript: TranscriptEntry[] = [];

  constructor(
    readonly contactId: string,
    readonly customerNumber: string,
    readonly systemNumber: string,
    readonly flowName: string,
  ) {}

  /** Resolves a `$.` reference against the contact's data (undefined when absent). */
  lookup(reference: string): string | undefined {
    const [root, ...keys] = reference.replace(/^\$\./, '').split('.');
    const key = keys.join('.');
    const str = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
    switch (root) {
      case 'Attributes':
        return this.attributes[key];
      case 'External':
        return str(
          keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), this.external),
        );
      case 'Lex':
        if (keys[0] === 'IntentName') return this.lex.IntentName;
        if (keys[0] === 'Slots') return this.lex.Slots[keys[1] ?? ''] ?? undefined;
        if (keys[0] === 'SessionAttributes') return this.lex.SessionAttributes[keys[1] ?? ''];
        return undefined;
      case 'CustomerEndpoint':
        return keys[0] === 'Address' ? this.customerNumber : keys[0] === 'Type' ? 'TELEPHONE_NUMBER' : undefined;
      case 'SystemEndpoint':
        return keys[0] === 'Address' ? this.systemNumber : keys[0] === 'Type' ? 'TELEPHONE_NUMBER' : undefined;
      case 'StoredCustomerInput':
        return this.storedCustomerInput;
      case 'ContactId':
      case 'InitialContactId':
        return this.contactId;
      case 'Channel':
        return 'VOICE';
      case 'LanguageCode':
        return this.languageCode;
      case 'Queue':
        return keys[0] === 'Name' ? this.targetQueue?.name : keys[0] === 'ARN' ? this.targetQueue?.arn : undefined;
      default:
        return undefined;
    }
  }

  /**
   * The contact's flow ends: the flow, the caller (HUNG_UP), Connect (IDLE_TIMEOUT) or a failure (ERROR)
   * ended it. The first ending is the one the contact keeps.
   */
  end(disposition: Disposition): void {
    if (this.ended) return;
    this.ended = true;
    this.awaiting = null;
    this.current = undefined;
    this.disposition = disposition;
  }

  /**
   * The contact goes on in another flow after it ended (the disconnect flow an agent's hang-up starts):
   * live again, waiting for nothing, its loop counters reset; attributes and the rest stay.
   */
  reopen(): void {
    this.ended = false;
    this.disposition = undefined;
    this.disconnectedAt = undefined;
    this.awaiting = null;
    this.current = undefined;
    this.loops.clear();
  }

  /**
   * A parameter value: a whole `$.` reference resolves to its value; text with embedded references
   * has them substituted (Connect's dynamic text); anything else is literal.
   */
  resolve(value: unknown): string | undefined {
    if (typeof value !== 'string') return value === undefined ? undefined : JSON.stringify(value);
    if (/^\$\.[A-Za-z]+(\.[A-Za-z0-9_-]+)*$/.test(value)) return this.lookup(value);
    return value.replace(/\$\.[A-Za-z]+(?:\.[A-Za-z0-9_-]+)*/g, (ref) => this.lookup(ref) ?? '');
  }
}
