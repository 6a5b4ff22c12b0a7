import { DEFAULT_POLICY, policyEnvironment, policyFromEnvironment } from '../../lambdas/domain/reset-policy';
import { ConfigurationError } from '../../lambdas/configuration/configuration-error';
import { callerHashOf, prepareReset } from '../../lambdas/domain/reset-start';
import { createHash } from 'node:crypto';
import { maskEmail, maskPhoneNumber } from '../../lambdas/domain/masking';

describe('reset policy configuration', () => {
  it('defaults: 3 starts per employee and 5 per caller per hour, 10-minute codes, 3 attempts, 30-minute lock, 24 h passwords, failure budgets 5 a day and 10 a month per employee, 25 a day company-wide', () => {
    expect(policyFromEnvironment({})).toEqual({
      employeeStartsPerWindow: 3,
      callerStartsPerWindow: 5,
      rateWindowSeconds: 3600,
      codeTtlSeconds: 600,
      maxCodeAttempts: 3,
      lockSeconds: 1800,
      temporaryPasswordTtlSeconds: 86400,
      temporaryPasswordLength: 12,
      employeeDailyFailures: 5,
      employeeMonthlyFailures: 10,
      companyDailyFailures: 25,
    });
  });

  it('reads overrides and round-trips through the environment', () => {
    expect(policyFromEnvironment({ MAX_CODE_ATTEMPTS: '5', LOCK_SECONDS: '600' })).toMatchObject({ maxCodeAttempts: 5, lockSeconds: 600 });
    expect(policyFromEnvironment(policyEnvironment(DEFAULT_POLICY))).toEqual(DEFAULT_POLICY);
  });

  it.each([
    ['MAX_CODE_ATTEMPTS', '0'],
    ['MAX_CODE_ATTEMPTS', 'three'],
    ['CODE_TTL_SECONDS', '1.5'],
    ['TEMP_PASSWORD_LENGTH', '8'],
  ])('rejects %s=%s', (name, value) => {
    expect(() => policyFromEnvironment({ [name]: value })).toThrow(ConfigurationError);
  });
});

const PEPPER = 'a-test-pepper-of-at-least-32-characters';

describe('preparing a reset start', () => {
  const now = new Date('2026-11-25T20:42:05.123Z');
  const input = {
    contactId: 'c-1',
    employeeId: '1234567',
    callerNumber: '+15555550100',
    locale: 'es-US',
    respondBy: '2026-11-25T20:42:10.623Z',
  };

  it('derives masked number, hashed keys and TTLs', () => {
    const p = prepareReset(input, now, DEFAULT_POLICY, PEPPER, () => 'session-1');
    const windowStart = Math.floor(now.getTime() / 1000 / 3600) * 3600;
    expect(p).toMatchObject({
      valid: true,
      sessionId: 'session-1',
      employeeId: '1234567',
      callerNumberMasked: '+*******0100',
      locale: 'es-US',
      day: '2026-11-25',
      employeeCounterKey: `employee#1234567#${windowStart}`,
      employeeLimit: '3',
      callerLimit: '5',
      maxAttempts: '3',
      sessionExpiresAt: '2026-11-25T20:52:05.000Z',
    });
    expect(p.callerCounterKey).toMatch(new RegExp(`^caller#[0-9a-f]{32}#${windowStart}$`));
    expect(p.callerCounterKey).not.toContain('5555550100');
    expect(Number(p.counterTtl)).toBeGreaterThan(windowStart + 3600);
  });

  it.each([
    [{ ...input, employeeId: '123456' }],
    [{ ...input, employeeId: '12345678' }],
    [{ ...input, employeeId: '12<b>45' }],
    [{ ...input, contactId: '' }],
    [null],
    ['text'],
  ])('marks bad input invalid without throwing: %j', (bad) => {
    const p = prepareReset(bad, now, DEFAULT_POLICY, PEPPER);
    expect(p.valid).toBe(false);
    expect(p.employeeId).toBe('-');
  });

  it('puts withheld numbers in one shared bucket and defaults the locale', () => {
    const a = prepareReset({ ...input, callerNumber: 'anonymous', locale: 'fr-FR' }, now, DEFAULT_POLICY, PEPPER);
    const b = prepareReset({ ...input, callerNumber: '' }, now, DEFAULT_POLICY, PEPPER);
    expect(a.callerCounterKey).toBe(b.callerCounterKey);
    expect(a.locale).toBe('en-US');
    expect(a.callerNumberMasked).toBe('anonymous');
  });

  it('masks numbers and emails', () => {
    expect(maskPhoneNumber('+15555550100')).toBe('+*******0100');
    expect(maskPhoneNumber('12')).toBe('****');
    expect(maskEmail('alex.rivera@example.com')).toBe('a***@example.com');
    expect(maskEmail('nope')).toBe('***');
  });
});

describe('security review F11: the caller hash is keyed', () => {
  it('is an HMAC with the pepper: the unkeyed hash of the number is not it, and another pepper gives another id', () => {
    const number = '+15555550100';
    const unkeyed = createHash('sha256').update(`support-desk-caller:${number}`).digest('hex').slice(0, 32);
    expect(callerHashOf(number, PEPPER)).toMatch(/^[0-9a-f]{32}$/);
    expect(callerHashOf(number, PEPPER)).not.toBe(unkeyed);
    expect(callerHashOf(number, `${PEPPER}-other`)).not.toBe(callerHashOf(number, PEPPER));
    expect(
      prepareReset({ contactId: 'c', employeeId: '1234567', callerNumber: number }, new Date(), DEFAULT_POLICY, PEPPER).callerHash,
    ).toBe(callerHashOf(number, PEPPER));
  });
});
