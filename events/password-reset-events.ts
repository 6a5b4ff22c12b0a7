/**
 * The password-reset event catalogue: detail types, their TypeScript types and versioned JSON
 * Schemas (draft-07), shared by the producers (the workflows' putEvents steps), the consumers,
 * the twin and the tests. No detail carries a code, a password, a full number or a full email.
 */
import { LOCALES, type Locale } from '../lambdas/domain/locale';
import { ACTORS, type Actor } from '../lambdas/domain/actor';
import { EVENT_SOURCE, SECURITY_SOURCE } from './rule-catalogue';

export const DETAIL_TYPES = [
  'ResetStarted',
  'VerificationCodeRequested',
  'VerificationCodeSent',
  'VerificationCodeDeliveryFailed',
  'ResetRejected',
  'VerificationFailed',
  'AccountLocked',
  'PasswordReset',
  'AccountUnlocked',
  'CallerVerified',
  'AuditWriteFailed',
] as const;
export type ResetDetailType = (typeof DETAIL_TYPES)[number];
export const SECURITY_DETAIL_TYPES = ['SuspiciousActivity'] as const;
export type DetailType = ResetDetailType | (typeof SECURITY_DETAIL_TYPES)[number];

export const SCHEMA_VERSION = '1';

/** Fields every password-reset event carries. */
export interface ResetEventBase {
  schemaVersion: typeof SCHEMA_VERSION;
  sessionId: string;
  contactId: string;
  /** The 7-digit ID the caller gave ("-" when the input was invalid). */
  employeeId: string;
  callerNumberMasked: string;
  /** Non-reversible id of the caller number ("-" when unknown), for sweep detection. */
  callerHash: string;
  locale: Locale;
  /** ISO time the workflow execution started. */
  at: string;
  executionId: string;
  /** Who acted (lambdas/domain/actor.ts): the caller, or an agent on the caller's behalf; absent on older events (the caller). */
  actor?: Actor;
  /** The agent's identity, "-" for a caller ("?" with actor agent: a claim that was not valid, refused). */
  agentId?: string;
}

export interface ResetEventDetails {
  ResetStarted: ResetEventBase;
  /** The start answered CODE_SENT for a live session; the code is issued and delivered off the caller's path. */
  VerificationCodeRequested: ResetEventBase & { channelPreference?: 'SMS' | 'EMAIL' };
  /**
   * Sent to a channel registered for recovery: a text to the mobile, or the recovery e-mail. With the
   * request's channelPreference when the caller chose one (what was asked beside what was used).
   */
  VerificationCodeSent: ResetEventBase & { channel: 'SMS' | 'EMAIL'; destinationMasked: string; channelPreference?: 'SMS' | 'EMAIL' };
  /** NONE: the employee has no recovery channel (reason NO_RECOVERY_CHANNEL); nothing was sent. */
  VerificationCodeDeliveryFailed: ResetEventBase & {
    channel: 'SMS' | 'EMAIL' | 'NONE';
    reason: string;
    channelPreference?: 'SMS' | 'EMAIL';
  };
  ResetRejected: ResetEventBase & { reason: string };
  VerificationFailed: ResetEventBase & { reason: string; attemptsLeft?: number };
  AccountLocked: ResetEventBase & { reason: string; lockedUntil: string };
  PasswordReset: ResetEventBase & { mustChangePassword: true; passwordExpiresAt: string };
  /**
   * An UNLOCK session's right code: the directory's lock-out was cleared, the password left as it was
   * (nothing about it to carry). The desk's own lock (lockedUntil) is never lifted by it.
   */
  AccountUnlocked: ResetEventBase;
  /**
   * A VERIFY session's right code (issue #20): an agent verified the caller by a code sent to the
   * employee's recovery channel. Nothing was done in the directory; `actor` is `agent`, with its identity.
   */
  CallerVerified: ResetEventBase;
  /** A workflow could not append its audit record; the caller got the real outcome all the same. */
  /** DELIVER: the record of a code that did not go out (issue-verification-code). */
  AuditWriteFailed: ResetEventBase & { step: 'START' | 'VERIFY' | 'DELIVER'; outcome: string; reason: string };
  SuspiciousActivity: SuspiciousActivityDetail;
}

/** Derived by the sweep detector; source `support-desk.security`. */
export interface SuspiciousActivityDetail {
  schemaVersion: typeof SCHEMA_VERSION;
  kind: 'CALLER_SWEEP' | 'AGENT_SWEEP' | 'LOCKOUT_SURGE';
  windowStart: string;
  windowEnd: string;
  /** Distinct employee IDs (sweep) or lock-outs (surge) seen in the window. */
  count: number;
  threshold: number;
  callerHash?: string;
  callerNumberMasked?: string;
  /** AGENT_SWEEP: the agent who started the verifications. */
  agentId?: string;
  employeeIds: string[];
  at: string;
}

/** An event as EventBridge delivers it to a target. */
export interface ResetEvent<T extends DetailType = DetailType> {
  version: '0';
  id: string;
  'detail-type': T;
  source: typeof EVENT_SOURCE | typeof SECURITY_SOURCE;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: ResetEventDetails[T];
}

type JsonSchema = Record<string, unknown>;

const baseProperties: Record<keyof ResetEventBase, JsonSchema> = {
  schemaVersion: { const: SCHEMA_VERSION },
  sessionId: { type: 'string', minLength: 1 },
  contactId: { type: 'string', minLength: 1 },
  employeeId: { type: 'string', pattern: '^(\\d{7}|-)$' },
  callerNumberMasked: { type: 'string', pattern: '^(\\+\\**\\d{4}|anonymous|unknown|\\*{4})$' },
  callerHash: { type: 'string', pattern: '^([0-9a-f]{32}|-)$' },
  locale: { enum: [...LOCALES] },
  at: { type: 'string', format: 'date-time' },
  executionId: { type: 'string', minLength: 1 },
  actor: { enum: [...ACTORS] },
  agentId: { type: 'string', pattern: '^([A-Za-z0-9._@:/+=-]{1,128}|\\?)$' },
};
/** Every base field is required but the actor's (events written before agents carry none). */
const OPTIONAL_BASE: ReadonlyArray<keyof ResetEventBase> = ['actor', 'agentId'];
const requiredBase = Object.keys(baseProperties).filter((k) => !OPTIONAL_BASE.includes(k as keyof ResetEventBase));

function detailSchema(type: DetailType, extra: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://schemas.support-desk.example.com/${EVENT_SOURCE}/${type}/v${SCHEMA_VERSION}.json`,
    title: `${type} v${SCHEMA_VERSION}`,
    type: 'object',
    additionalProperties: false,
    properties: { ...baseProperties, ...extra },
    required: [...requiredBase, ...required],
  };
}

const reason = { type: 'string', pattern: '^[A-Z_]+$' };
/** The channel the caller asked for (optional: most callers take the default). */
const channelPreference = { enum: ['SMS', 'EMAIL'] };

export const DETAIL_SCHEMAS: Record<DetailType, JsonSchema> = {
  ResetStarted: detailSchema('ResetStarted'),
  VerificationCodeRequested: detailSchema('VerificationCodeRequested', { channelPreference }),
  VerificationCodeSent: detailSchema(
    'VerificationCodeSent',
    {
      channel: { enum: ['SMS', 'EMAIL'] },
      channelPreference,
      // Masked always: "a***@example.net" or "+*******1234".
      destinationMasked: { type: 'string', pattern: '^(.\\*\\*\\*@|\\+\\*+[0-9]{4}$)' },
    },
    ['channel', 'destinationMasked'],
  ),
  VerificationCodeDeliveryFailed: detailSchema(
    'VerificationCodeDeliveryFailed',
    { channel: { enum: ['SMS', 'EMAIL', 'NONE'] }, channelPreference, reason },
    ['channel', 'reason'],
  ),
  ResetRejected: detailSchema('ResetRejected', { reason }, ['reason']),
  VerificationFailed: detailSchema('VerificationFailed', { reason, attemptsLeft: { type: 'integer', minimum: 0 } }, ['reason']),
  AccountLocked: detailSchema('AccountLocked', { reason, lockedUntil: { type: 'string', format: 'date-time' } }, ['reason', 'lockedUntil']),
  PasswordReset: detailSchema(
    'PasswordReset',
    { mustChangePassword: { const: true }, passwordExpiresAt: { type: 'string', format: 'date-time' } },
    ['mustChangePassword', 'passwordExpiresAt'],
  ),
  AccountUnlocked: detailSchema('AccountUnlocked'),
  CallerVerified: detailSchema('CallerVerified'),
  AuditWriteFailed: detailSchema('AuditWriteFailed', { step: { enum: ['START', 'VERIFY', 'DELIVER'] }, outcome: reason, reason }, [
    'step',
    'outcome',
    'reason',
  ]),
  SuspiciousActivity: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://schemas.support-desk.example.com/${SECURITY_SOURCE}/SuspiciousActivity/v${SCHEMA_VERSION}.json`,
    title: `SuspiciousActivity v${SCHEMA_VERSION}`,
    type: 'object',
    additionalProperties: false,
    properties: {
      schemaVersion: { const: SCHEMA_VERSION },
      kind: { enum: ['CALLER_SWEEP', 'AGENT_SWEEP', 'LOCKOUT_SURGE'] },
      windowStart: { type: 'string', format: 'date-time' },
      windowEnd: { type: 'string', format: 'date-time' },
      count: { type: 'integer', minimum: 1 },
      threshold: { type: 'integer', minimum: 1 },
      callerHash: baseProperties.callerHash,
      callerNumberMasked: baseProperties.callerNumberMasked,
      agentId: baseProperties.agentId,
      employeeIds: { type: 'array', items: { type: 'string', pattern: '^(\\d{7}|-)$' } },
      at: { type: 'string', format: 'date-time' },
    },
    required: ['schemaVersion', 'kind', 'windowStart', 'windowEnd', 'count', 'threshold', 'employeeIds', 'at'],
  },
};

export function isResetEvent<T extends DetailType>(event: { source?: unknown; 'detail-type'?: unknown }, type: T): event is ResetEvent<T> {
  return (event.source === EVENT_SOURCE || event.source === SECURITY_SOURCE) && event['detail-type'] === type;
}
