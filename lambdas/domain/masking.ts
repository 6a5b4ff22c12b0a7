/** Masking of personal data kept in audit records and events (never a full number or email). */

/** "+15555550100" → "+*******0100": country prefix dropped, last 4 digits kept. */
export function maskPhoneNumber(number: string): string {
  const digits = number.replace(/\D/g, '');
  if (digits.length < 4) return '****';
  return `+${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/** "alex.rivera@example.com" → "a***@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.charAt(0)}***${email.slice(at)}`;
}
