/**
 * The security notices an employee gets after a reset or an unlock by phone: when, from a number
 * ending in which two digits, and whom to call if it was not them. Never the code, the password or
 * the full number.
 */
import type { Locale } from './locale';
import { escapeXml } from './ssml';
import type { AccountUnlockedNoticeData, LockoutNoticeData, PasswordResetNoticeData } from '../notifications/email-templates';

/** Said when the caller withheld their number (a new locale needs its entry: the compiler asks for it). */
const WITHHELD: Record<Locale, string> = { 'en-US': '(withheld number)', 'es-US': '(número oculto)' };

export function numberEnding(callerNumberMasked: string, locale: Locale): string {
  const digits = callerNumberMasked.replace(/\D/g, '');
  if (digits.length < 2) return WITHHELD[locale];
  return digits.slice(-2);
}

/** One formatter per locale: building an Intl.DateTimeFormat costs far more than formatting with one (#21 profile). */
const noticeTimeFormats = new Map<Locale, Intl.DateTimeFormat>();

export function resetNoticeTime(at: string, locale: Locale): string {
  let format = noticeTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    noticeTimeFormats.set(locale, format);
  }
  return `${format.format(new Date(at))} UTC`;
}

export function passwordResetNotice(input: {
  name: string;
  at: string;
  callerNumberMasked: string;
  locale: Locale;
  securityPhone: string;
}): PasswordResetNoticeData {
  // SES does not escape template data; escaping keeps the HTML part safe (the values are plain anyway).
  return {
    name: escapeXml(input.name.split(' ')[0] ?? ''),
    time: escapeXml(resetNoticeTime(input.at, input.locale)),
    numberEnding: escapeXml(numberEnding(input.callerNumberMasked, input.locale)),
    securityPhone: escapeXml(input.securityPhone),
  };
}

/**
 * The notice after "unlock my account" by phone: the same facts as after a reset (the template says the
 * password is unchanged); someone who unlocked an account they do not own is reported by its owner.
 */
export function accountUnlockedNotice(input: {
  name: string;
  at: string;
  callerNumberMasked: string;
  locale: Locale;
  securityPhone: string;
}): AccountUnlockedNoticeData {
  return passwordResetNotice(input);
}

/** The notice an employee gets when phone self-service locks for their account: when, from where, until when. */
export function lockoutNotice(input: {
  name: string;
  at: string;
  lockedUntil: string;
  callerNumberMasked: string;
  locale: Locale;
  securityPhone: string;
}): LockoutNoticeData {
  return {
    name: escapeXml(input.name.split(' ')[0] ?? ''),
    time: escapeXml(resetNoticeTime(input.at, input.locale)),
    numberEnding: escapeXml(numberEnding(input.callerNumberMasked, input.locale)),
    until: escapeXml(resetNoticeTime(input.lockedUntil, input.locale)),
    securityPhone: escapeXml(input.securityPhone),
  };
}
