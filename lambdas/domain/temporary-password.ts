/**
 * Temporary passwords (security rule 2 (docs/design.md)): CSPRNG, unambiguous alphabet (no 0/O/1/l/I), at least one
 * upper-case letter, one lower-case letter and one digit, so that typical directory complexity rules
 * (three of four character classes) accept it. crypto.randomInt is unbiased (rejection sampling).
 */
import { randomInt } from 'node:crypto';

export const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const LOWER = 'abcdefghijkmnopqrstuvwxyz';
export const DIGITS = '23456789';
export const ALPHABET = UPPER + LOWER + DIGITS;
export const MIN_LENGTH = 12;
export const DEFAULT_LENGTH = 12;

export function generateTemporaryPassword(length = DEFAULT_LENGTH, random: (max: number) => number = randomInt): string {
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > 64) {
    throw new RangeError(`temporary password length must be an integer in [${MIN_LENGTH}, 64]`);
  }
  const pick = (set: string) => set.charAt(random(set.length));
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS)];
  while (chars.length < length) chars.push(pick(ALPHABET));
  // Fisher-Yates, so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The complexity rule the generator guarantees (and the demo directory enforces). */
export function meetsComplexity(password: string): boolean {
  return password.length >= MIN_LENGTH && /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password);
}
