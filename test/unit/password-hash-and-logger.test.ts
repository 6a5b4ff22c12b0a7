import { hashPassword, verifyPassword } from '../../lambdas/domain/password-hash';
import { REDACTED, createLogger, redact } from '../../lambdas/observability/logger';

describe('demo directory password hashing', () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword('Kq7mPx3vRt9w');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('Kq7mPx3vRt9w');
    await expect(verifyPassword('Kq7mPx3vRt9w', hash)).resolves.toBe(true);
    await expect(verifyPassword('Kq7mPx3vRt9W', hash)).resolves.toBe(false);
    await expect(verifyPassword('Kq7mPx3vRt9w', undefined)).resolves.toBe(false);
    await expect(verifyPassword('Kq7mPx3vRt9w', 'md5$abc')).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same-Password-1')).not.toBe(await hashPassword('same-Password-1'));
  });
});

describe('logger redaction (security rule 2, at the logger)', () => {
  it('redacts secret-bearing attributes at any depth and keeps masked ones', () => {
    expect(
      redact({
        sessionId: 's',
        code: '123456',
        nested: { password: 'x', passwordSsml: '<speak/>', list: [{ email: 'a@b.c' }] },
        callerNumberMasked: '+***0100',
        callerNumber: '+15555550100',
      }),
    ).toEqual({
      sessionId: 's',
      code: REDACTED,
      nested: { password: REDACTED, passwordSsml: REDACTED, list: [{ email: REDACTED }] },
      callerNumberMasked: '+***0100',
      callerNumber: REDACTED,
    });
  });

  it('redacts what a handler logs through the Powertools logger', () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    // Unit tests run with handler logs off (test/support/quiet-handler-logs.ts): this one asks for them.
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    try {
      createLogger('test').info('issued', { code: '654321', sessionId: 'abc' });
    } finally {
      write.mockRestore();
      process.env.POWERTOOLS_LOG_LEVEL = level;
    }
    const record = JSON.parse(lines.join(''));
    expect(record).toMatchObject({ level: 'INFO', message: 'issued', service: 'test', code: REDACTED, sessionId: 'abc' });
    expect(lines.join('')).not.toContain('654321');
  });
});
