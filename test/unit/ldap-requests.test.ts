/** The LDAP requests the directory adapter builds by hand: Password Modify's BER and filter escaping (RFC 3062, RFC 4515). */
import { passwordModifyRequest, escapeFilterValue } from '../../lambdas/directory/ldap-directory';

it('encodes the Password Modify request and escapes filter values', () => {
  expect(passwordModifyRequest('uid=a,dc=x', 'Pw1').toString('hex')).toBe('3011800a7569643d612c64633d78820350773 1'.replace(/ /g, ''));
  expect(escapeFilterValue('1*)(uid=*')).toBe('1\\2a\\29\\28uid=\\2a');
});
