/**
 * The verification code by text: short (one GSM-7 segment where the language allows), naming the desk,
 * the code and its expiry, and saying what to do about a code nobody asked for.
 */
import type { Locale } from '../domain/locale';

export interface VerificationCodeTextData {
  code: string;
  minutes: string;
  securityPhone: string;
}

const TEXTS: Record<Locale, (d: VerificationCodeTextData) => string> = {
  'en-US': (d) => `Support Desk code: ${d.code}. Expires in ${d.minutes} min. Didn't ask for it? Call security at ${d.securityPhone}.`,
  'es-US': (d) => `Código de Support Desk: ${d.code}. Vence en ${d.minutes} min. ¿No lo pidió? Llame a seguridad al ${d.securityPhone}.`,
};

export function verificationCodeText(locale: Locale, data: VerificationCodeTextData): string {
  return TEXTS[locale](data);
}
