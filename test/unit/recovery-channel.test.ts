/** Where a code goes (lambdas/domain/recovery-channel.ts) and what the text says (lambdas/notifications/sms-texts.ts). */
import { parseChannelPreference, recoveryDestination } from '../../lambdas/domain/recovery-channel';
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
