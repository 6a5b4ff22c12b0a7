/**
 * The reset session: the durable "awaiting verification" state between the start and verify
 * workflows. Item shape shared by the workflows, handlers and tests.
 */
import type { Locale } from './locale';

export type SessionState = 'AWAITING_CODE' | 'COMPLETED' | 'LOCKED';

export interface ResetSessionItem {
  sessionId: string;
  employeeId: string;
  contactId: string;
  callerNumberMasked: string;
  callerHash: string;
  locale: Locale;
  state: SessionState;
  /** HMAC of the code; absent on a session that can never verify (unknown, disabled, locked ID). */
  codeHash?: string;
  attempts: number;
  attemptsLeft: number;
  createdAt: string;
  expiresAt: string;
  /** Epoch seconds, DynamoDB TTL. */
  ttl: number;
}

export type StartStatus = 'CODE_SENT' | 'RATE_LIMITED' | 'UNAVAILABLE';
export type VerifyStatus = 'RESET' | 'INVALID' | 'LOCKED' | 'EXPIRED' | 'UNAVAILABLE';

/** Workflow I/O, shared by the callers (Lex code hook, Connect Lambda) and the tests. */
export interface StartResetInput {
  contactId: string;
  employeeId: string;
  callerNumber: string;
  locale: Locale;
}
/** When the execution must have ended for its caller still to be listening (lambdas/domain/deadline.ts). */
export interface Deadline {
  respondBy: string;
}

export interface StartResetOutput {
  status: StartStatus;
  sessionId?: string;
}
export interface VerifyCodeInput extends Deadline {
  sessionId: string;
  code: string;
  contactId: string;
}
export interface VerifyCodeOutput {
  status: VerifyStatus;
  attemptsLeft?: number;
  password?: string;
  passwordSsml?: string;
}

export const START_STATUSES: readonly StartStatus[] = ['CODE_SENT', 'RATE_LIMITED', 'UNAVAILABLE'];
export const VERIFY_STATUSES: readonly VerifyStatus[] = ['RESET', 'INVALID', 'LOCKED', 'EXPIRED', 'UNAVAILABLE'];
