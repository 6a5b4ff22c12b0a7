/**
 * The Amazon Connect flow language (Version 2019-10-30) as the twin reads it: flows, actions,
 * transitions, and the `$.` references the runner resolves.
 */

export interface FlowCondition {
  NextAction: string;
  Condition: { Operator: string; Operands: string[] };
}

export interface FlowAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Conditions?: FlowCondition[];
    Errors?: Array<{ NextAction: string; ErrorType: string }>;
  };
}

export interface ContactFlow {
  Version: string;
  StartAction: string;
  Metadata?: Record<string, unknown>;
  Actions: FlowAction[];
}

/** The action types the twin's runner executes: one block each in local/connect/blocks/ (test/unit/flow-blocks.test.ts). */
export const RUNNER_ACTION_TYPES = [
  'MessageParticipant',
  'GetParticipantInput',
  'ConnectParticipantWithLexBot',
  'InvokeLambdaFunction',
  'Compare',
  'UpdateContactAttributes',
  'UpdateContactData',
  'UpdateContactTextToSpeechVoice',
  'Loop',
  'UpdateContactTargetQueue',
  'UpdateContactEventHooks',
  'TransferContactToQueue',
  'DisconnectParticipant',
  'UpdateFlowLoggingBehavior',
  'UpdateContactRecordingBehavior',
  'EndFlowExecution',
  'CheckHoursOfOperation',
] as const;

/** Roots a `$.` reference may start with. */
export const REFERENCE_ROOTS = [
  'Attributes',
  'External',
  'Lex',
  'CustomerEndpoint',
  'SystemEndpoint',
  'StoredCustomerInput',
  'ContactId',
  'InitialContactId',
  'Channel',
  'LanguageCode',
  'Queue',
] as const;

/** A `$.`-reference: `$.Root` or `$.Root.Key...` with word-ish keys. */
export const REFERENCE = /\$\.([A-Za-z]+)((?:\.[A-Za-z0-9_-]+)*)/g;

/** Every `$.` reference in a parameter value (strings at any depth). */
export function references(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(REFERENCE)].map((m) => m[0]);
  if (Array.isArray(value)) return value.flatMap(references);
  if (value && typeof value === 'object') return Object.values(value).flatMap(references);
  return [];
}

export function isWellFormedReference(ref: string): boolean {
  const match = /^\$\.([A-Za-z]+)((?:\.[A-Za-z0-9_-]+)*)$/.exec(ref);
  if (!match) return false;
  const root = match[1] as (typeof REFERENCE_ROOTS)[number];
  if (!REFERENCE_ROOTS.includes(root)) return false;
  const depth = match[2] ? match[2].split('.').length - 1 : 0;
  if (
    root === 'StoredCustomerInput' ||
    root === 'ContactId' ||
    root === 'InitialContactId' ||
    root === 'Channel' ||
    root === 'LanguageCode'
  )
    return depth === 0;
  if (root === 'Lex') {
    const [, key] = match[2]!.split('.');
    if (['IntentName', 'IntentConfidence', 'SentimentLabel'].includes(key ?? '')) return depth === 1;
    return ['Slots', 'SessionAttributes'].includes(key ?? '') && depth === 2;
  }
  return depth >= 1;
}
