/**
 * What an agent sees when a call reaches the queue (issue #20): the employee ID the caller confirmed,
 * how far verification got, why the call was transferred, the language and the masked calling number.
 * Written as contact attributes just before the transfer (on AWS the Agent Workspace shows them; in the
 * twin the console's Agent view). Never a code or a password: every value is checked against an
 * allow-list or a pattern here, so nothing else can reach an agent even if a caller typed it.
 */
import { isLocale, type Locale } from './locale';
import { EMPLOYEE_ID_PATTERN } from './employee';
import { maskPhoneNumber } from './masking';

/** The contact attributes the context is written to (read by the Agent Workspace app and the twin). */
export const AGENT_CONTEXT_ATTRIBUTES = {
  employeeId: 'agentEmployeeId',
  verificationState: 'agentVerificationState',
  transferReason: 'agentTransferReason',
  locale: 'agentLocale',
  callerNumberMasked: 'agentCallerNumberMasked',
} as const;

export const VERIFICATION_STATES = [
  'NOT_STARTED',
  'CODE_SENT',
  'FAILED_1',
  'FAILED_2',
  'LOCKED',
  'RESET_DONE',
  'UNLOCKED',
  'EXPIRED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'ID_NOT_CONFIRMED',
] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

/** Why the flow transferred the call: set by the flow on the path that led to the transfer. */
export const TRANSFER_REASONS = [
  'AGENT_REQUESTED',
  'MENU_NOT_UNDERSTOOD',
  'AUTH_NOT_COMPLETED',
  'NO_CODE_ENTERED',
  'LOCKED',
  'EXPIRED',
  'VERIFICATION_UNAVAILABLE',
  'UNLOCK_UNSUPPORTED',
  'TECHNICAL_ERROR',
  'UNSPECIFIED',
] as const;
export type TransferReason = (typeof TRANSFER_REASONS)[number];

export interface AgentContext {
  employeeId?: string;
  verificationState: VerificationState;
  transferReason: TransferReason;
  locale: Locale;
  callerNumberMasked: string;
}

/** What the flow knows at the transfer; every field is untrusted text (absent or empty when unknown). */
export interface TransferFacts {
  transferReason?: string;
  /** The ID the caller confirmed (the code hook's session attribute), not merely said. */
  confirmedEmployeeId?: string;
  /** The authentication bot's outcome: CODE_SENT, RATE_LIMITED, UNAVAILABLE, ID_NOT_CONFIRMED. */
  authOutcome?: string;
  /** The last verify-code answer, and the attempts it left. */
  verifyStatus?: string;
  attemptsLeft?: string;
  locale?: string;
  callerNumber?: string;
}

function verificationState(facts: TransferFacts, maxAttempts: number): VerificationState {
  switch (facts.verifyStatus) {
    case 'RESET':
      return 'RESET_DONE';
    case 'UNLOCKED':
      return 'UNLOCKED';
    case 'LOCKED':
      return 'LOCKED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'UNAVAILABLE':
    case 'UNLOCK_UNSUPPORTED':
      return 'UNAVAILABLE';
    case 'INVALID': {
      const left = Number(facts.attemptsLeft);
      const failed = Number.isInteger(left) ? maxAttempts - left : 1;
      return failed >= 2 ? 'FAILED_2' : 'FAILED_1';
    }
  }
  switch (facts.authOutcome) {
    case 'CODE_SENT':
    case 'RATE_LIMITED':
    case 'UNAVAILABLE':
    case 'ID_NOT_CONFIRMED':
      return facts.authOutcome;
  }
  return 'NOT_STARTED';
}

export function agentContext(facts: TransferFacts, maxAttempts: number): AgentContext {
  const reason = (TRANSFER_REASONS as readonly string[]).includes(facts.transferReason ?? '')
    ? (facts.transferReason as TransferReason)
    : 'UNSPECIFIED';
  const id = facts.confirmedEmployeeId ?? '';
  return {
    ...(EMPLOYEE_ID_PATTERN.test(id) && { employeeId: id }),
    verificationState: verificationState(facts, maxAttempts),
    transferReason: reason,
    locale: isLocale(facts.locale ?? '') ? (facts.locale as Locale) : 'en-US',
    callerNumberMasked: facts.callerNumber ? maskPhoneNumber(facts.callerNumber) : 'unknown',
  };
}

/** The context as contact attributes (flat strings, `$.External` for the flow's UpdateContactAttributes). */
export function agentContextAttributes(context: AgentContext): Record<string, string> {
  const names = AGENT_CONTEXT_ATTRIBUTES;
  // No confirmed ID: no attribute at all (an empty value is nothing an agent can use).
  return {
    ...(context.employeeId && { [names.employeeId]: context.employeeId }),
    [names.verificationState]: context.verificationState,
    [names.transferReason]: context.transferReason,
    [names.locale]: context.locale,
    [names.callerNumberMasked]: context.callerNumberMasked,
  };
}
