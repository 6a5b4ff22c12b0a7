/**
 * Where a verification code goes: a channel registered for recovery, never the corporate mailbox by
 * default — an employee who is locked out, or has forgotten the password, usually cannot open it (the
 * same password protects it). As trusted reset desks do (Microsoft Entra SSPR, Specops uReset): the
 * mobile by text first, else the recovery e-mail; the caller may ask for the other one. Which channels
 * an ID has is never said to the caller (security rule 5 (docs/design.md)).
 */
import type { EmployeeItem } from './employee';

export type DeliveryChannel = 'SMS' | 'EMAIL';

export interface RecoveryDestination {
  channel: DeliveryChannel;
  /** E.164 for SMS, an address for e-mail. */
  to: string;
}

export interface RecoveryOptions {
  /** What the caller asked for; the other registered channel when this one is not registered. */
  preferred?: DeliveryChannel;
  /** Texts can be sent (a deployment with SMS on; always in the twin). */
  smsAvailable: boolean;
  /** The corporate address may receive codes (off by default: CODE_TO_CORPORATE_EMAIL). */
  corporateEmailAllowed: boolean;
}

/** The destination of a code, or undefined when the employee has no usable recovery channel. */
export function recoveryDestination(
  employee: Pick<EmployeeItem, 'email' | 'mobile' | 'recoveryEmail'>,
  options: RecoveryOptions,
): RecoveryDestination | undefined {
  const sms = options.smsAvailable && employee.mobile ? { channel: 'SMS' as const, to: employee.mobile } : undefined;
  const emailTo = employee.recoveryEmail ?? (options.corporateEmailAllowed ? employee.email : undefined);
  const email = emailTo ? { channel: 'EMAIL' as const, to: emailTo } : undefined;
  return options.preferred === 'EMAIL' ? (email ?? sms) : (sms ?? email);
}

/** Recovery channels as a directory holds them (Directory.recoveryChannels): either, both or neither. */
export interface RecoveryChannels {
  /** E.164. */
  mobile?: string;
  recoveryEmail?: string;
}

/** E.164 (ITU-T): "+", a country code (never starting with 0), at most 15 digits in all; 7 at least, as reset-start takes a caller's number. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** What a number written for people may hold besides digits and the leading "+": spaces, dashes, parentheses. */
const PRESENTATION = /^\+[\d\s\-\u2010-\u2015()]+$/;
/** Parentheses in pairs, never nested. */
const BALANCED_PARENTHESES = /^[^()]*(\([^()]*\)[^()]*)*$/;

/**
 * A directory's phone number as E.164, when it already is one once the presentation is taken away
 * (spaces, dashes, parentheses): "+1 555 901 1234" and "+1 (555) 901-1234" are "+15559011234".
 * Anything else is not confidently the number the employee registered, and a code must never go to a
 * guessed number: no "+" (a national number: which country?), an international prefix written as
 * "00", letters or extensions, dots or slashes, a parenthesised trunk prefix ("+44 (0)20 …": keeping
 * the 0 dials a wrong number, dropping it is a guess) — all undefined.
 */
export function normaliseE164(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const written = value.trim();
  if (!PRESENTATION.test(written) || !BALANCED_PARENTHESES.test(written) || /\(\s*0/.test(written)) return undefined;
  const number = written.replace(/[\s\-\u2010-\u2015()]/g, '');
  return E164.test(number) ? number : undefined;
}

/** An address a code can be sent to (one "@", a dotted domain, no spaces, at most 254 characters), trimmed; otherwise undefined. */
export function recoveryEmailAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const address = value.trim();
  return address.length <= 254 && /^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(address) ? address : undefined;
}

/**
 * Whether the directory is asked for recovery channels: only when the employees table has none for
 * the employee, and the directory is not the demo one (that is the employees table: nothing more to learn).
 */
export function asksDirectoryForChannels(
  employee: Pick<EmployeeItem, 'mobile' | 'recoveryEmail'>,
  directory: 'demo' | 'ldap' | 'cognito',
): boolean {
  return directory !== 'demo' && !employee.mobile && !employee.recoveryEmail;
}

/**
 * The employee with the directory's recovery channels filling in what the employees table lacks; the
 * table's values win, field by field (the desk's own record). The directory's are taken only when
 * usable — a mobile in E.164, an address that looks like one — and never the corporate address: the
 * corporate mailbox gets codes only when CODE_TO_CORPORATE_EMAIL allows it, whatever attribute a
 * directory is configured to read the recovery e-mail from.
 */
export function withDirectoryChannels<T extends Pick<EmployeeItem, 'email' | 'mobile' | 'recoveryEmail'>>(
  employee: T,
  directory: RecoveryChannels,
): T {
  const mobile = employee.mobile ?? normaliseE164(directory.mobile);
  const fromDirectory = recoveryEmailAddress(directory.recoveryEmail);
  const corporate = fromDirectory !== undefined && fromDirectory.toLowerCase() === employee.email.trim().toLowerCase();
  const recoveryEmail = employee.recoveryEmail ?? (corporate ? undefined : fromDirectory);
  return { ...employee, ...(mobile ? { mobile } : {}), ...(recoveryEmail ? { recoveryEmail } : {}) };
}

/** The caller's choice as the flow passes it ("SMS", "EMAIL", or nothing): anything else is no preference. */
export function parseChannelPreference(value: unknown): DeliveryChannel | undefined {
  return value === 'SMS' || value === 'EMAIL' ? value : undefined;
}

/**
 * Where a security notice (reset, unlock, lock-out) goes: the corporate mailbox and the recovery e-mail.
 * After a takeover the corporate mailbox is the attacker's to read (the password was just reset), so the
 * address the employee registered for recovery hears of it too. Codes never go to both: see
 * `recoveryDestination`.
 */
export function noticeRecipients(employee: Pick<EmployeeItem, 'email' | 'recoveryEmail'>): string[] {
  return [...new Set([employee.email, employee.recoveryEmail].filter((a): a is string => Boolean(a)))];
}
