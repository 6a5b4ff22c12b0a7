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

/** The caller's choice as the flow passes it ("SMS", "EMAIL", or nothing): anything else is no preference. */
export function parseChannelPreference(value: unknown): DeliveryChannel | undefined {
  return value === 'SMS' || value === 'EMAIL' ? value : undefined;
}
