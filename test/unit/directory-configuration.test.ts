import { directoryKind, ldapSettings } from '../../lambdas/directory/directory-from-environment';
import { ConfigurationError } from '../../lambdas/configuration/configuration-error';

const ldap = {
  DIRECTORY: 'ldap',
  LDAP_URL: 'ldaps://dc.example.com',
  LDAP_BASE_DN: 'dc=example,dc=com',
  LDAP_BIND_DN: 'cn=svc,dc=example,dc=com',
  LDAP_BIND_SECRET_ID: 'arn:aws:secretsmanager:...',
};

it('chooses the demo directory by default and refuses unknown kinds', () => {
  expect(directoryKind({})).toBe('demo');
  expect(() => directoryKind({ DIRECTORY: 'nis' })).toThrow(ConfigurationError);
});

it('reads LDAP settings with TLS verification on by default', () => {
  expect(ldapSettings(ldap)).toMatchObject({
    url: 'ldaps://dc.example.com',
    flavor: 'openldap',
    employeeIdAttribute: 'employeeNumber',
    rejectUnauthorized: true,
    bindSecretId: ldap.LDAP_BIND_SECRET_ID,
  });
  expect(ldapSettings({ ...ldap, LDAP_TLS_REJECT_UNAUTHORIZED: 'false' }).rejectUnauthorized).toBe(false);
});

it('reads a recovery e-mail attribute only when one is named, and only an attribute name', () => {
  expect(ldapSettings(ldap).recoveryEmailAttribute).toBeUndefined();
  expect(ldapSettings({ ...ldap, LDAP_RECOVERY_EMAIL_ATTRIBUTE: 'personalEmail' }).recoveryEmailAttribute).toBe('personalEmail');
  for (const bad of ['mail)(uid=*', 'mail,mobile', '1mail', 'mail;binary'])
    expect(() => ldapSettings({ ...ldap, LDAP_RECOVERY_EMAIL_ATTRIBUTE: bad })).toThrow('LDAP_RECOVERY_EMAIL_ATTRIBUTE');
});

it.each([
  [{ ...ldap, LDAP_URL: 'http://x' }, 'LDAP_URL'],
  [{ ...ldap, LDAP_FLAVOR: 'activedirectory', LDAP_URL: 'ldap://dc' }, 'LDAPS'],
  [{ ...ldap, LDAP_BIND_SECRET_ID: undefined }, 'LDAP_BIND_SECRET_ID'],
  [{ ...ldap, LDAP_BASE_DN: '' }, 'LDAP_BASE_DN'],
])('refuses bad LDAP settings (%#)', (env, message) => {
  expect(() => ldapSettings(env)).toThrow(message);
});
