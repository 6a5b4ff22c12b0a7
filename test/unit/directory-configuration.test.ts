import { directoryFromEnvironment, directoryKind, ldapSettings } from '../../lambdas/directory/directory-from-environment';
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

describe('a bundle built for one directory (SUPPORT_DESK_BUNDLED_DIRECTORY, esbuild define in CDK)', () => {
  afterEach(() => {
    delete process.env.SUPPORT_DESK_BUNDLED_DIRECTORY;
  });

  it('refuses at cold start a DIRECTORY it was not built for', () => {
    process.env.SUPPORT_DESK_BUNDLED_DIRECTORY = 'ldap';
    expect(() => directoryFromEnvironment({ DIRECTORY: 'demo', EMPLOYEES_TABLE: 'e' })).toThrow(
      new ConfigurationError('DIRECTORY is demo, but this function was built for ldap: deploy it with the stack'),
    );
    expect(() => directoryFromEnvironment({ DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_x' })).toThrow('built for ldap');
    process.env.SUPPORT_DESK_BUNDLED_DIRECTORY = 'demo';
    expect(() => directoryFromEnvironment(ldap)).toThrow('DIRECTORY is ldap, but this function was built for demo');
  });

  it('builds the directory it was built for, and any from source (unset)', () => {
    process.env.SUPPORT_DESK_BUNDLED_DIRECTORY = 'ldap';
    expect(typeof directoryFromEnvironment(ldap)).toBe('function');
    delete process.env.SUPPORT_DESK_BUNDLED_DIRECTORY;
    expect(typeof directoryFromEnvironment(ldap)).toBe('function');
    expect(typeof directoryFromEnvironment({ DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_x' })).toBe('function');
  });
});
