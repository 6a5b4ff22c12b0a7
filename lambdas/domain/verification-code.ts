/**
 * Verification codes (security rule 1 (docs/design.md)): 6 digits from a CSPRNG, stored only as an HMAC-SHA256 keyed
 * with a secret pepper and bound to the reset session, compared in constant time.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_LENGTH = 6;
export const CODE_PATTERN = /^\d{6}$/;

/** A uniformly random 6-digit code (leading zeros allowed). */
export function issueCode(random: (max: number) => number = randomInt): string {
  return String(random(10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

/** HMAC of the code bound to its session, so a hash from one session is useless in another. */
export function hashCode(code: string, sessionId: string, pepper: string): string {
  return createHmac('sha256', pepper).update(`${sessionId}:${code}`).digest('hex');
}

/** Constant-time comparison of two hex HMACs; malformed or missing input never matches. */
export function hashesMatch(expected: string | undefined, actual: string): boolean {
  if (!expected || !/^[0-9a-f]{64}$/.test(expected) || !/^[0-9a-f]{64}$/.test(actual)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(actual, 'hex'));
}

/** Whether `code` (as keyed or spoken) is the one whose HMAC the session holds. */
export function codeMatches(code: string, sessionId: string, expectedHash: string | undefined, pepper: string): boolean {
  const normalized = code.replace(/[\s#-]/g, '');
  // Hash even a malformed code so the answer takes the same time either way.
  const actual = hashCode(normalized, sessionId, pepper);
  return CODE_PATTERN.test(normalized) && hashesMatch(expectedHash, actual);
}
