/**
 * The agent context in words, as both agent screens show it: the twin console's Agent view and the Agent
 * Workspace app on AWS. Records over the enums, so a new state or reason fails the type check until it
 * has its words.
 */
import type { TransferReason, VerificationState } from './agent-context';

export const VERIFICATION_WORDS: Record<VerificationState, string> = {
  NOT_STARTED: 'Not started',
  CODE_SENT: 'Code sent, not yet checked',
  FAILED_1: 'Wrong code once',
  FAILED_2: 'Wrong code twice',
  LOCKED: 'Locked after too many wrong codes',
  RESET_DONE: 'Password reset done',
  UNLOCKED: 'Account unlocked',
  EXPIRED: 'Code expired',
  RATE_LIMITED: 'Too many attempts (rate limited)',
  UNAVAILABLE: 'Verification unavailable',
  ID_NOT_CONFIRMED: 'Employee ID not confirmed',
};

export const TRANSFER_WORDS: Record<TransferReason, string> = {
  AGENT_REQUESTED: 'Asked for an agent',
  MENU_NOT_UNDERSTOOD: 'Menu choice not understood',
  AUTH_NOT_COMPLETED: 'Did not finish identifying',
  NO_CODE_ENTERED: 'Entered no code',
  LOCKED: 'Verification locked',
  EXPIRED: 'Code expired',
  VERIFICATION_UNAVAILABLE: 'Verification unavailable',
  UNLOCK_UNSUPPORTED: 'Unlock not supported by the directory',
  TECHNICAL_ERROR: 'Technical error',
  UNSPECIFIED: 'Not specified',
};
