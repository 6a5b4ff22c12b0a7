import fc from 'fast-check';
import { ALPHABET, DIGITS, LOWER, UPPER, generateTemporaryPassword, meetsComplexity } from '../../lambdas/domain/temporary-password';

describe('temporary passwords (security rule 2)', () => {
  it('uses an unambiguous alphabet', () => {
    for (const ambiguous of ['0', 'O', '1', 'l', 'I']) expect(ALPHABET).not.toContain(ambiguous);
    expect(new Set(ALPHABET).size).toBe(ALPHABET.length);
  });

  it('property: length, alphabet and complexity hold for every length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 64 }), (length) => {
        const password = generateTemporaryPassword(length);
        expect(password).toHaveLength(length);
        expect([...password].every((c) => ALPHABET.includes(c))).toBe(true);
        expect(meetsComplexity(password)).toBe(true);
        expect(/[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: complexity is guaranteed even by the most adversarial random source', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (draws) => {
        let i = 0;
        const random = (max: number) => draws[i++ % draws.length]! % max;
        expect(meetsComplexity(generateTemporaryPassword(12, random))).toBe(true);
      }),
    );
  });

  it('draws every character uniformly from its set (no modulo bias: crypto.randomInt bounds)', () => {
    const bounds = new Set<number>();
    generateTemporaryPassword(12, (max) => {
      bounds.add(max);
      return 0;
    });
    expect(bounds).toEqual(
      new Set([UPPER.length, LOWER.length, DIGITS.length, ALPHABET.length, ...Array.from({ length: 11 }, (_, k) => k + 2)]),
    );
  });

  it('every character class appears across positions (shuffled)', () => {
    const firstChars = new Set(Array.from({ length: 300 }, () => generateTemporaryPassword().charAt(0)));
    expect([...firstChars].some((c) => DIGITS.includes(c))).toBe(true);
    expect([...firstChars].some((c) => LOWER.includes(c))).toBe(true);
  });

  it('refuses lengths below 12', () => {
    expect(() => generateTemporaryPassword(11)).toThrow(RangeError);
  });
});
