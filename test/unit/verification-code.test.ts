import fc from 'fast-check';
import { codeMatches, hashCode, hashesMatch, issueCode } from '../../lambdas/domain/verification-code';

const pepper = 'p'.repeat(48);

describe('verification codes (security rule 1)', () => {
  it('issues 6 digits, keeping leading zeros', () => {
    expect(issueCode(() => 42)).toBe('000042');
    expect(issueCode(() => 999999)).toBe('999999');
    for (let i = 0; i < 200; i += 1) expect(issueCode()).toMatch(/^\d{6}$/);
  });

  it('draws from the whole range (CSPRNG, 10^6 values)', () => {
    let max = 0;
    const issue = (n: number) => {
      max = n;
      return 0;
    };
    issueCode(issue);
    expect(max).toBe(1_000_000);
  });

  it('property: a code matches the HMAC issued for it, and only in its own session', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999999 }), fc.uuid(), fc.uuid(), (n, session, other) => {
        const code = String(n).padStart(6, '0');
        const hash = hashCode(code, session, pepper);
        expect(codeMatches(code, session, hash, pepper)).toBe(true);
        if (other !== session) expect(codeMatches(code, other, hash, pepper)).toBe(false);
        expect(codeMatches(code, session, hash, `${pepper}x`)).toBe(false);
      }),
    );
  });

  it('property: any other code never matches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 999999 }), (a, b) => {
        fc.pre(a !== b);
        const [ca, cb] = [a, b].map((n) => String(n).padStart(6, '0')) as [string, string];
        expect(codeMatches(cb, 's', hashCode(ca, 's', pepper), pepper)).toBe(false);
      }),
    );
  });

  it('accepts keypad formatting but nothing malformed', () => {
    const hash = hashCode('012345', 's', pepper);
    expect(codeMatches('012345#', 's', hash, pepper)).toBe(true);
    expect(codeMatches('012 345', 's', hash, pepper)).toBe(true);
    for (const bad of ['', '12345', '0123456', 'abcdef', '01234５', '<speak>']) expect(codeMatches(bad, 's', hash, pepper)).toBe(false);
    expect(codeMatches('012345', 's', undefined, pepper)).toBe(false);
  });

  it('property: hashesMatch is equality on well-formed HMACs and false otherwise', () => {
    const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
    fc.assert(fc.property(hex64, hex64, (a, b) => expect(hashesMatch(a, b)).toBe(a === b)));
    fc.assert(
      fc.property(fc.string(), hex64, (a, b) => {
        fc.pre(!/^[0-9a-f]{64}$/.test(a));
        expect(hashesMatch(a, b)).toBe(false);
      }),
    );
  });
});
