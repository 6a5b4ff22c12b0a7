import type { EventPattern } from '../../events/event-pattern';
import { matchesPattern } from '../../local/eventbridge/event-pattern-matcher';

const event = {
  source: 'support-desk.password-reset',
  'detail-type': 'PasswordReset',
  detail: { employeeId: '1234567', locale: 'es-US', attempts: 3, reason: 'OK', tags: ['phone', 'voice'] },
};

describe('EventBridge pattern matching', () => {
  const cases: Array<[string, EventPattern, boolean]> = [
    ['exact match', { source: ['support-desk.password-reset'] }, true],
    ['exact non-match', { source: ['other'] }, false],
    ['any of several values', { 'detail-type': ['AccountLocked', 'PasswordReset'] }, true],
    ['nested exact', { detail: { employeeId: ['1234567'] } }, true],
    ['nested non-match', { detail: { employeeId: ['7654321'] } }, false],
    ['array element match', { detail: { tags: ['voice'] } }, true],
    ['prefix match', { detail: { locale: [{ prefix: 'es-' }] } }, true],
    ['prefix non-match', { detail: { locale: [{ prefix: 'en-' }] } }, false],
    ['suffix match', { 'detail-type': [{ suffix: 'Reset' }] }, true],
    ['equals-ignore-case', { detail: { reason: [{ 'equals-ignore-case': 'ok' }] } }, true],
    ['anything-but value match', { detail: { locale: [{ 'anything-but': 'en-US' }] } }, true],
    ['anything-but value non-match', { detail: { locale: [{ 'anything-but': ['es-US', 'fr-CA'] }] } }, false],
    ['anything-but prefix match', { detail: { locale: [{ 'anything-but': { prefix: 'en' } }] } }, true],
    ['anything-but prefix non-match', { detail: { locale: [{ 'anything-but': { prefix: 'es' } }] } }, false],
    ['exists true match', { detail: { reason: [{ exists: true }] } }, true],
    ['exists true non-match', { detail: { missing: [{ exists: true }] } }, false],
    ['exists false match', { detail: { missing: [{ exists: false }] } }, true],
    ['exists false non-match', { detail: { reason: [{ exists: false }] } }, false],
    ['numeric range match', { detail: { attempts: [{ numeric: ['>', 2, '<=', 3] }] } }, true],
    ['numeric range non-match', { detail: { attempts: [{ numeric: ['>=', 4] }] } }, false],
    ['numeric equals', { detail: { attempts: [{ numeric: ['=', 3] }] } }, true],
    ['numeric on a string never matches', { detail: { locale: [{ numeric: ['>', 0] }] } }, false],
    ['all fields must match', { source: ['support-desk.password-reset'], 'detail-type': ['AccountLocked'] }, false],
    ['object pattern on a scalar field', { source: { x: ['y'] } }, false],
  ];
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('does not match a non-object event', () => {
    expect(matchesPattern({ source: ['a'] }, 'a')).toBe(false);
  });
});
