/**
 * The call API's wire types (local/http/call-api.ts): what a caller's side sees of a call after each
 * turn, and what it sends. No imports, so that every client of the API — the terminal softphone and
 * the benchmarks' callers (local/softphone/phone.ts), the tests, and the browser console — shares them
 * with the server without pulling the twin in.
 */

/** What a contact waits for: keypad only (GetParticipantInput), or speech or keypad (a Lex block). */
export type Awaiting = 'dtmf' | 'voice_or_dtmf';

/** One prompt played to the caller: its words, and the SSML it was spoken from (null for plain text). */
export interface Prompt {
  text: string;
  ssml: string | null;
}

/**
 * Where a transferred contact is: waiting, connected to an agent, or gone and why (a connected contact
 * that ended says who ended it).
 */
export type QueueState = 'WAITING' | 'CONNECTED' | 'ABANDONED' | 'TIMED_OUT' | 'ENDED_BY_AGENT' | 'ENDED_BY_CALLER';

/** A call after a turn: the prompts played since the last one, and what it waits for. */
export interface CallSnapshot {
  contactId: string;
  prompts: Prompt[];
  awaiting: Awaiting | null;
  ended: boolean;
  disposition?: string;
  queue?: string;
  /** For a transferred call: waiting in the queue, or why it left (the IVR part has ended either way). */
  queueState?: QueueState;
}

/** What the caller does in a turn: says words, or keys digits (with * and #). */
export interface CallerInput {
  text?: string;
  dtmf?: string;
}

/** One line of a call's transcript: what the desk played or the caller said or keyed. */
export interface TranscriptEntry {
  at: string;
  from: 'system' | 'caller';
  text: string;
  ssml?: string | null;
  dtmf?: string;
  /** Whether recording was on: what was not recorded is not shown after the fact. */
  recorded: boolean;
}

/** A call as a supervisor sees it (GET /api/calls/{contactId}): unrecorded lines are withheld. */
export interface CallDetails {
  contactId: string;
  from: string;
  flow: string;
  languageCode: string;
  startedAt: string;
  endedAt: string | null;
  ended: boolean;
  awaiting: Awaiting | null;
  disposition: string | null;
  queue: string | null;
  queueState: QueueState | null;
  transcript: TranscriptEntry[];
}
