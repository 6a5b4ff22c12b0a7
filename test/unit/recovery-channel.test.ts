/** Where a code goes (lambdas/domain/recovery-channel.ts) and what the text says (lambdas/notifications/sms-texts.ts). */
import {
  asksDirectoryForChannels,
  noticeRecipients,
  normaliseE164,
  parseChannelPreference,
  recoveryDestination,
  recoveryEmailAddress,
  withDirectoryChannels,
} from '../../lambdas/domain/recovery-channel';
import { verificationCodeText } from '../../lambdas/notifications/sms-texts';

const both = { email: 'alex@corp.example.com', mobile: '+15559001234', recoveryEmail: 'alex@home.example.net' };
const on = { smsAvailable: true, corporateEmailAllowed: false };

it('the mobile first, the recovery e-mail when asked or when there is no mobile; never the corporate mailbox by default', () => {
  expect(recoveryDestination(both, on)).toEqual({ channel: 'SMS', to: '+15559001234' });
  expect(recoveryDestination(both, { ...on, preferred: 'EMAIL' })).toEqual({ channel: 'EMAIL', to: 'alex@home.example.net' });
  expect(recoveryDestination({ email: both.email, recoveryEmail: both.recoveryEmail }, on)).toEqual({
    channel: 'EMAIL',
    to: both.recoveryEmail,
  });
  // Asked for e-mail, has only a mobile: the mobile (the caller is not told which).
  expect(recoveryDestination({ email: both.email, mobile: both.mobile }, { ...on, preferred: 'EMAIL' })).toEqual({
    channel: 'SMS',
    to: both.mobile,
  });
  expect(recoveryDestination({ email: both.email }, on)).toBeUndefined();
  expect(recoveryDestination({ email: both.email }, { ...on, corporateEmailAllowed: true })).toEqual({ channel: 'EMAIL', to: both.email });
  // SMS off in the deployment: the recovery e-mail.
  expect(recoveryDestination(both, { ...on, smsAvailable: false })).toEqual({ channel: 'EMAIL', to: both.recoveryEmail });
});

it('only SMS and EMAIL are preferences', () => {
  expect(parseChannelPreference('SMS')).toBe('SMS');
  expect(parseChannelPreference('EMAIL')).toBe('EMAIL');
  for (const v of ['', 'sms', 'TEXT', undefined, 1]) expect(parseChannelPreference(v)).toBeUndefined();
});

it('the text names the desk, the code, its expiry and what to do, in one short message per locale', () => {
  for (const locale of ['en-US', 'es-US'] as const) {
    const text = verificationCodeText(locale, { code: '123456', minutes: '10', securityPhone: '+18005550100' });
    expect(text).toContain('Support Desk');
    expect(text).toContain('123456');
    expect(text).toContain('10 min');
    expect(text).toContain('+18005550100');
    expect(text.length).toBeLessThanOrEqual(140);
  }
});

describe('recovery channels from the directory', () => {
  it.each([
    ['+15559011234', '+15559011234'],
    ['+1 555 901 1234', '+15559011234'],
    [' +1 (555) 901-1234 ', '+15559011234'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+49-30-1234567', '+49301234567'],
    ['+1\u00a0555\u00a0901\u00a01234', '+15559011234'],
    ['+1 555\u2011901\u20111234', '+15559011234'],
  ])('%j is E.164 once the presentation is taken away: %s', (written, e164) => {
    expect(normaliseE164(written)).toBe(e164);
  });

  it.each([
    // No country: which one is a guess.
    '555 901 1234',
    '(555) 901-1234',
    '5559011234',
    // The international prefix written as digits, not "+".
    '0015559011234',
    '0044 20 7946 0958',
    // A parenthesised trunk prefix: keeping the 0 dials a wrong number, dropping it is a guess.
    '+44 (0)20 7946 0958',
    '+49 (030) 1234567',
    // Not a number as written for people, or not only one.
    '+1.555.901.1234',
    '+1/555/901/1234',
    '+1 555 901 1234 ext. 5',
    '+1 555 901 1234 x5',
    'tel:+15559011234',
    '+1 555 901 1234, +1 555 901 5678',
    '++15559011234',
    '+1 (555 901 1234',
    '+1 ((555)) 901 1234',
    // E.164 itself: a country code never starts with 0; 7 to 15 digits.
    '+05559011234',
    '+123456',
    '+1234567890123456',
    '',
    '   ',
    '+',
  ])('%j is not confidently E.164: ignored', (written) => {
    expect(normaliseE164(written)).toBeUndefined();
  });

  it('ignores what is not a string', () => {
    for (const v of [undefined, null, 15559011234, ['+15559011234'], { mobile: '+15559011234' }]) expect(normaliseE164(v)).toBeUndefined();
  });

  it('takes an address that looks like one, trimmed', () => {
    expect(recoveryEmailAddress(' alex@home.example.net ')).toBe('alex@home.example.net');
    for (const v of [
      'alex',
      'alex@home',
      '@home.example.net',
      'a b@home.example.net',
      'a@b@home.example.net',
      'a@home.',
      `${'a'.repeat(250)}@x.net`,
      7,
    ])
      expect(recoveryEmailAddress(v)).toBeUndefined();
  });

  it('asks the directory only for an employee the table has no channel for, and never the demo directory', () => {
    expect(asksDirectoryForChannels({}, 'ldap')).toBe(true);
    expect(asksDirectoryForChannels({}, 'cognito')).toBe(true);
    expect(asksDirectoryForChannels({}, 'demo')).toBe(false);
    expect(asksDirectoryForChannels({ mobile: '+15559001234' }, 'ldap')).toBe(false);
    expect(asksDirectoryForChannels({ recoveryEmail: 'alex@home.example.net' }, 'cognito')).toBe(false);
  });

  it("fills in what the table lacks; the table's values win, field by field", () => {
    const corporate = { email: 'alex@corp.example.com' };
    expect(withDirectoryChannels(corporate, { mobile: '+15559001234', recoveryEmail: 'alex@home.example.net' })).toEqual({
      ...corporate,
      mobile: '+15559001234',
      recoveryEmail: 'alex@home.example.net',
    });
    expect(withDirectoryChannels(both, { mobile: '+15559009999', recoveryEmail: 'other@home.example.net' })).toEqual(both);
    expect(
      withDirectoryChannels({ ...corporate, mobile: both.mobile }, { mobile: '+15559009999', recoveryEmail: 'alex@home.example.net' }),
    ).toEqual({
      ...corporate,
      mobile: both.mobile,
      recoveryEmail: 'alex@home.example.net',
    });
    expect(withDirectoryChannels(corporate, {})).toEqual(corporate);
    // What reaches the merge is checked again: a number as people write it becomes E.164, anything else is dropped.
    expect(withDirectoryChannels(corporate, { mobile: '+1 555 900 1234' })).toEqual({ ...corporate, mobile: '+15559001234' });
    expect(withDirectoryChannels(corporate, { mobile: '555 900 1234', recoveryEmail: 'not an address' })).toEqual(corporate);
  });

  it('never takes the corporate address from the directory: that is CODE_TO_CORPORATE_EMAIL to allow', () => {
    const employee = { email: 'Alex@Corp.example.com' };
    const merged = withDirectoryChannels(employee, { recoveryEmail: 'alex@corp.example.com' });
    expect(merged).toEqual(employee);
    expect(recoveryDestination(merged, on)).toBeUndefined();
  });

  it("the merged channels go where the table's would: the mobile first", () => {
    const merged = withDirectoryChannels({ email: both.email }, { mobile: '+1 (555) 900-1234' });
    expect(recoveryDestination(merged, on)).toEqual({ channel: 'SMS', to: '+15559001234' });
    expect(recoveryDestination(merged, { ...on, smsAvailable: false })).toBeUndefined();
  });
});

describe('noticeRecipients', () => {
  it('the corporate mailbox and the recovery e-mail, once each; the corporate one alone when there is no other', () => {
    expect(noticeRecipients({ email: 'a@corp.example', recoveryEmail: 'a@home.example' })).toEqual(['a@corp.example', 'a@home.example']);
    expect(noticeRecipients({ email: 'a@corp.example', recoveryEmail: 'a@corp.example' })).toEqual(['a@corp.example']);
    expect(noticeRecipients({ email: 'a@corp.example' })).toEqual(['a@corp.example']);
  });
});
