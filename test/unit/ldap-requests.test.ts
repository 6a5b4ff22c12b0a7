/**
 * The LDAP requests the directory adapter builds by hand: Password Modify's BER and filter escaping (RFC 3062, RFC 4515);
 * and the recovery channels it reads from a search entry.
 */
import { passwordModifyRequest, escapeFilterValue, recoveryChannelsFromEntry } from '../../lambdas/directory/ldap-directory';

it('encodes the Password Modify request and escapes filter values', () => {
  expect(passwordModifyRequest('uid=a,dc=x', 'Pw1').toString('hex')).toBe('3011800a7569643d612c64633d78820350773 1'.replace(/ /g, ''));
  expect(escapeFilterValue('1*)(uid=*')).toBe('1\\2a\\29\\28uid=\\2a');
});

describe('recovery channels from an entry', () => {
  const dn = 'uid=alex,ou=people,dc=example,dc=com';

  it('reads `mobile` as E.164, whatever case the server names it in, as a string or bytes', () => {
    expect(recoveryChannelsFromEntry({ dn, mobile: '+1 555 901 1234' })).toEqual({ mobile: '+15559011234' });
    expect(recoveryChannelsFromEntry({ dn, Mobile: ['+1 (555) 901-1234'] })).toEqual({ mobile: '+15559011234' });
    expect(recoveryChannelsFromEntry({ dn, mobile: Buffer.from('+15559011234') })).toEqual({ mobile: '+15559011234' });
  });

  it('leaves out what is not confidently E.164, and never picks between two numbers', () => {
    expect(recoveryChannelsFromEntry({ dn })).toEqual({});
    expect(recoveryChannelsFromEntry({ dn, mobile: [] })).toEqual({});
    expect(recoveryChannelsFromEntry({ dn, mobile: '555 901 1234' })).toEqual({});
    // One number written twice is that number; an unusable value beside it does not count.
    expect(recoveryChannelsFromEntry({ dn, mobile: ['+15559011234', '+1 555 901 1234', '901 1234'] })).toEqual({ mobile: '+15559011234' });
    // Two numbers, in no defined order (RFC 4511): which phone the employee carries is not known.
    expect(recoveryChannelsFromEntry({ dn, mobile: ['+15559011234', '+15559015678'] })).toEqual({});
  });

  it('reads the recovery e-mail only from the configured attribute', () => {
    const entry = { dn, mobile: '+15559011234', personalEmail: 'Alex@Home.example.net', mail: 'alex@corp.example.com' };
    expect(recoveryChannelsFromEntry(entry)).toEqual({ mobile: '+15559011234' });
    expect(recoveryChannelsFromEntry(entry, 'personalemail')).toEqual({ mobile: '+15559011234', recoveryEmail: 'alex@home.example.net' });
    expect(recoveryChannelsFromEntry({ dn, personalEmail: 'not an address' }, 'personalEmail')).toEqual({});
    expect(recoveryChannelsFromEntry({ dn, personalEmail: ['a@home.example.net', 'b@home.example.net'] }, 'personalEmail')).toEqual({});
    // `dn` is the entry's name, never an attribute value.
    expect(recoveryChannelsFromEntry({ dn: 'x@home.example.net' }, 'dn')).toEqual({});
  });
});
