/**
 * Preparing a reset start: validate the workflow input and derive what the workflow's direct
 * DynamoDB steps need and cannot compute in ASL (masked number, hashed rate-limit keys, epoch TTLs).
 * Numbers bound for DynamoDB `N` attributes are strings, as the integration expects.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { EMPLOYEE_ID_PATTERN } from './employee';
import { LOCALES, type Locale } from './locale';
import { maskPhoneNumber } from './masking';
import { companyFailureKey } from './failure-budget';
import type { ResetEventBase, ResetEventDetails } from '../../events/password-reset-events';
import type { ResetPolicy } from './reset-policy';
import { AGENT_ONLY_ACTIONS, RESET_ACTIONS, type ResetAction } from './reset-session';
import { parseChannelPreference } from './recovery-channel';
import { parseActor, type ActorIdentity } from './actor';

export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
export const UNKNOWN_EMPLOYEE_ID = '-';

/** The identity fields are those every reset event carries, so the workflow copies them straight into its events. */
export interface PreparedReset
  extends Pick<ResetEventBase, 'sessionId' | 'contactId' | 'employeeId' | 'callerNumberMasked' | 'callerHash' | 'locale'>,
    ActorIdentity {
  valid: boolean;
  /** What the session does once verified (stored on it, security rule 5: the same steps for either). */
  action: ResetAction;
  /**
   * Merged into the VerificationCodeRequested detail (States.JsonMerge): `{channelPreference}` when the
   * caller chose a channel, else `{}` (the schema has no empty value for it).
   */
  codeRequest: Pick<ResetEventDetails['VerificationCodeRequested'], 'channelPreference'>;
  now: string;
  day: string;
  employeeCounterKey: string;
  /** The circuit breaker's counter for today (lambdas/domain/failure-budget.ts) and its limit. */
  companyFailureKey: string;
  companyFailureLimit: number;
  callerCounterKey: string;
  employeeLimit: string;
  callerLimit: string;
  counterTtl: string;
  sessionExpiresAt: string;
  sessionTtl: string;
  maxAttempts: string;
  codeTtlMinutes: string;
}

/**
 * The caller number's id in counters, events and the audit: an HMAC keyed with the pepper, so the 10^10
 * possible numbers cannot be tried against it without the secret (security review F11: the unkeyed
 * SHA-256 reversed in 0.44 s). Truncated to 128 bits.
 */
export function callerHashOf(callerSubject: string, pepper: string): string {
  return createHmac('sha256', pepper).update(`support-desk-caller:${callerSubject}`).digest('hex').slice(0, 32);
}

export function prepareReset(
  input: unknown,
  now: Date,
  policy: ResetPolicy,
  pepper: string,
  newId: () => string = randomUUID,
): PreparedReset {
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const employeeId = typeof raw.employeeId === 'string' ? raw.employeeId.trim() : '';
  const callerNumber = typeof raw.callerNumber === 'string' ? raw.callerNumber.trim() : '';
  const contactId = typeof raw.contactId === 'string' ? raw.contactId.trim().slice(0, 128) : '';
  const locale = LOCALES.includes(raw.locale as Locale) ? (raw.locale as Locale) : 'en-US';
  // The action decides what a right code does, so an unknown one is invalid input (never taken for a
  // reset the caller did not ask for); absent is RESET, as before unlock existed. A channel the caller
  // did not choose is only a preference: anything else is none (the default channel), as the consumer reads it.
  const action = raw.action === undefined ? 'RESET' : (raw.action as ResetAction);
  const actionValid = RESET_ACTIONS.includes(action);
  const channelPreference = parseChannelPreference(raw.channelPreference);
  // Who acts (issue #20): the caller unless the input names an agent with a valid identity. An actor
  // claim that is not valid is invalid input, recorded as an unverified agent, never as the caller.
  const by = parseActor(raw);
  // VERIFY is an agent's verification of the caller (issue #20): a caller claiming it is invalid input.
  const actionAllowed = actionValid && (!AGENT_ONLY_ACTIONS.includes(action) || (by.valid && by.actor === 'agent'));
  const valid = EMPLOYEE_ID_PATTERN.test(employeeId) && contactId !== '' && actionAllowed && by.valid;
  // Withheld or malformed numbers share one bucket rather than escaping the limit.
  const callerSubject = E164_PATTERN.test(callerNumber) ? callerNumber : 'anonymous';
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const windowStart = nowSeconds - (nowSeconds % policy.rateWindowSeconds);
  const sessionExpires = nowSeconds + policy.codeTtlSeconds;
  // Hashed: neither the rate-limit table nor any event holds a caller's number.
  const callerHash = callerHashOf(callerSubject, pepper);
  return {
    valid,
    action: actionAllowed ? action : 'RESET',
    codeRequest: channelPreference ? { channelPreference } : {},
    sessionId: newId(),
    contactId: contactId || 'unknown',
    employeeId: valid ? employeeId : UNKNOWN_EMPLOYEE_ID,
    callerNumberMasked: E164_PATTERN.test(callerNumber) ? maskPhoneNumber(callerNumber) : 'anonymous',
    callerHash,
    locale,
    actor: by.actor,
    agentId: by.agentId,
    now: now.toISOString(),
    day: now.toISOString().slice(0, 10),
    companyFailureKey: companyFailureKey(now),
    companyFailureLimit: policy.companyDailyFailures,
    employeeCounterKey: `employee#${valid ? employeeId : UNKNOWN_EMPLOYEE_ID}#${windowStart}`,
    callerCounterKey: `caller#${callerHash}#${windowStart}`,
    employeeLimit: String(policy.employeeStartsPerWindow),
    callerLimit: String(policy.callerStartsPerWindow),
    counterTtl: String(windowStart + policy.rateWindowSeconds + 60),
    sessionExpiresAt: new Date(sessionExpires * 1000).toISOString(),
    // Kept a day past expiry so a late verify still finds it and answers EXPIRED.
    sessionTtl: String(sessionExpires + 24 * 3600),
    maxAttempts: String(policy.maxCodeAttempts),
    codeTtlMinutes: String(Math.round(policy.codeTtlSeconds / 60)),
  };
}
