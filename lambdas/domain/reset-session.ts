/**
 * The reset session: the durable "awaiting verification" state between the start and verify
 * workflows. Item shape shared by the workflows, handlers and tests.
 */
import type { Locale } from './locale';
import type { DeliveryChannel } from './recovery-channel';
import type { Actor } from './actor';

export type SessionState = 'AWAITING_CODE' | 'COMPLETED' | 'LOCKED';

/**
 * What a verified session does, chosen by the caller at the menu and fixed when the session opens:
 * RESET sets a temporary password; UNLOCK clears the directory's own lock-out and leaves the password
 * as it is (issue #19); VERIFY (an agent's only, issue #20) does nothing in the directory: the right
 * code proves the caller holds the employee's recovery channel, and the agent is told VERIFIED.
 * The verification before each is the same, and so is the failure budget.
 */
export type ResetAction = 'RESET' | 'UNLOCK' | 'VERIFY';
export const RESET_ACTIONS: readonly ResetAction[] = ['RESET', 'UNLOCK', 'VERIFY'];
/** The actions only an agent may start (an input claiming one for a caller is invalid). */
export const AGENT_ONLY_ACTIONS: readonly ResetAction[] = ['VERIFY'];

export interface ResetSessionItem {
  sessionId: string;
  employeeId: string;
  contactId: string;
  callerNumberMasked: string;
  callerHash: string;
  locale: Locale;
  state: SessionState;
  /** What a right code does (absent on sessions opened before unlock existed: RESET). */
  action?: ResetAction;
  /** Who started it (issue #20): the agent's identity for an agent's session, "-" for the caller's (absent before #20). */
  agentId?: string;
  /** HMAC of the code; absent on a session that can never verify (unknown, disabled, locked ID). */
  codeHash?: string;
  attempts: number;
  attemptsLeft: number;
  createdAt: string;
  /** When the right code completed it (removed if the session is reopened). */
  completedAt?: string;
  /**
   * When an agent's readout (AgentReadoutInput) claimed this completed VERIFY session: at most one readout
   * acts per verification; removed if the session is reopened (nothing was done in the directory).
   */
  readoutAt?: string;
  expiresAt: string;
  /** Epoch seconds, DynamoDB TTL. */
  ttl: number;
}

export type StartStatus = 'CODE_SENT' | 'RATE_LIMITED' | 'UNAVAILABLE';
/**
 * UNLOCKED: an UNLOCK session's right code, the directory's lock-out cleared (no password).
 * UNLOCK_UNSUPPORTED: the directory keeps no lock it can clear (Cognito); nothing was done.
 * VERIFIED: a VERIFY session's right code (an agent's verification of the caller); nothing was done.
 * NOT_AUTHORIZED: an agent's readout (AgentReadoutInput) that may not act: the session is not a VERIFY
 *   session this agent completed with a right code, was read out already (or a concurrent readout won), or
 *   the employee is no longer live. Nothing was done in the directory and no attempt was spent.
 */
export type VerifyStatus =
  | 'RESET'
  | 'UNLOCKED'
  | 'UNLOCK_UNSUPPORTED'
  | 'VERIFIED'
  | 'NOT_AUTHORIZED'
  | 'INVALID'
  | 'LOCKED'
  | 'EXPIRED'
  | 'UNAVAILABLE';

/** Workflow I/O, shared by the callers (Lex code hook, Connect Lambda, the agent API) and the tests. */
export interface StartResetInput extends ActorInput {
  contactId: string;
  employeeId: string;
  callerNumber: string;
  locale: Locale;
  /** The caller's choice at the menu (default RESET); VERIFY only with `actor: 'agent'`; anything else is invalid input. */
  action?: ResetAction;
  /** Where the caller asked the code to go (default: the mobile, else the recovery e-mail); anything else is no preference. */
  channelPreference?: DeliveryChannel;
}

/**
 * Who acts (lambdas/domain/actor.ts), on either workflow: absent for the IVR (the caller); the agent API
 * sends `actor: 'agent'` and the agent's identity. An invalid claim is invalid input (audited as an
 * unverified agent, never as the caller).
 */
export interface ActorInput {
  actor?: Actor;
  /** The agent's identity (1–128 of [A-Za-z0-9._@:/+=-], not "-"); "-" or absent for the caller. */
  agentId?: string;
}

/** When the execution must have ended for its caller still to be listening (lambdas/domain/deadline.ts). */
export interface Deadline {
  respondBy: string;
}

export interface StartResetOutput {
  status: StartStatus;
  sessionId?: string;
}
export interface VerifyCodeInput extends Deadline, ActorInput {
  sessionId: string;
  code: string;
  contactId: string;
}
/** What an agent's readout does for the caller (issue #20): what a right code does for a RESET or an UNLOCK session. */
export type AgentReadoutAction = 'RESET' | 'UNLOCK';
export const AGENT_READOUT_ACTIONS: readonly AgentReadoutAction[] = ['RESET', 'UNLOCK'];

/**
 * password-reset-verify's agent readout form (issue #20), without a code: after the agent's right code
 * (a VERIFY session COMPLETED on this contact by this agent), the caller, moved to the readout flow,
 * gets the reset or unlock the agent asked for, once. Anything else answers NOT_AUTHORIZED (another
 * call: EXPIRED, as for a code); an input with both `code` and `readout` is invalid.
 */
export interface AgentReadoutInput extends Deadline {
  sessionId: string;
  contactId: string;
  actor: 'agent';
  /** The agent who verified the caller (the session's `agentId`). */
  agentId: string;
  readout: AgentReadoutAction;
}
export interface VerifyCodeOutput {
  status: VerifyStatus;
  attemptsLeft?: number;
  password?: string;
  passwordSsml?: string;
}

export const START_STATUSES: readonly StartStatus[] = ['CODE_SENT', 'RATE_LIMITED', 'UNAVAILABLE'];
export const VERIFY_STATUSES: readonly VerifyStatus[] = [
  'RESET',
  'UNLOCKED',
  'UNLOCK_UNSUPPORTED',
  'VERIFIED',
  'NOT_AUTHORIZED',
  'INVALID',
  'LOCKED',
  'EXPIRED',
  'UNAVAILABLE',
];
