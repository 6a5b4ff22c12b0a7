/**
 * The directory the configuration names (DIRECTORY=demo|ldap|cognito), its settings read and validated
 * at cold start. The LDAP service account's password comes from Secrets Manager in AWS
 * (LDAP_BIND_SECRET_ID) or, in the twin, from LDAP_BIND_PASSWORD.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigurationError } from '../configuration/configuration-error';
import { optionalEnv, positiveIntegerEnv, requiredEnv, tableName } from '../configuration/environment';
import { documentClient } from '../aws/dynamodb-client';
import type { Directory } from './directory';
import { DemoDirectory } from './demo-directory';
import type { LdapSettings } from './ldap-directory';
import { CognitoDirectory } from './cognito-directory';

import { directoryKind, type DirectoryKind } from './directory-kind';

export { directoryKind, type DirectoryKind };

type Env = Record<string, string | undefined>;

/** A bundle asked for a directory it was not built for: only a deployment that bypassed CDK can do that. */
function notBundled(kind: DirectoryKind): ConfigurationError {
  return new ConfigurationError(
    `DIRECTORY is ${kind}, but this function was built for ${process.env.SUPPORT_DESK_BUNDLED_DIRECTORY}: deploy it with the stack`,
  );
}

/** LDAP settings without the bind password (resolved later, possibly from Secrets Manager). */
export function ldapSettings(
  env: Env = process.env,
): Omit<LdapSettings, 'bindPassword'> & { bindSecretId?: string; bindPassword?: string } {
  const url = requiredEnv('LDAP_URL', env);
  if (!/^ldaps?:\/\//.test(url)) throw new ConfigurationError('LDAP_URL must start with ldap:// or ldaps://');
  const flavor = (env.LDAP_FLAVOR ?? 'openldap') as LdapSettings['flavor'];
  if (flavor !== 'openldap' && flavor !== 'activedirectory')
    throw new ConfigurationError('LDAP_FLAVOR must be openldap or activedirectory');
  if (flavor === 'activedirectory' && !url.startsWith('ldaps://'))
    throw new ConfigurationError('Active Directory accepts unicodePwd only over LDAPS (ldaps://)');
  const startTls = env.LDAP_START_TLS === 'true';
  // Passwords never cross the network in clear (security review F10): ldaps://, or ldap:// with StartTLS.
  // LDAP_ALLOW_CLEARTEXT is for a directory on the same host (the twin's test OpenLDAP); CDK never sets it.
  if (url.startsWith('ldap://') && !startTls && env.LDAP_ALLOW_CLEARTEXT !== 'true')
    throw new ConfigurationError('LDAP_URL ldap:// sends passwords in clear: use ldaps:// or set LDAP_START_TLS=true');
  // A personal address for codes, read from this attribute (none unless named): an attribute description, nothing else.
  const recoveryEmailAttribute = optionalEnv('LDAP_RECOVERY_EMAIL_ATTRIBUTE', env)?.trim();
  if (recoveryEmailAttribute !== undefined && !/^[A-Za-z][A-Za-z0-9-]*$/.test(recoveryEmailAttribute))
    throw new ConfigurationError('LDAP_RECOVERY_EMAIL_ATTRIBUTE must be an attribute name (letters, digits, hyphens)');
  const bindSecretId = optionalEnv('LDAP_BIND_SECRET_ID', env);
  const bindPassword = optionalEnv('LDAP_BIND_PASSWORD', env);
  if (!bindSecretId && !bindPassword) throw new ConfigurationError('LDAP_BIND_SECRET_ID (AWS) or LDAP_BIND_PASSWORD (twin) is required');
  return {
    url,
    baseDn: requiredEnv('LDAP_BASE_DN', env),
    bindDn: requiredEnv('LDAP_BIND_DN', env),
    flavor,
    employeeIdAttribute: optionalEnv('LDAP_EMPLOYEE_ID_ATTRIBUTE', env) ?? 'employeeNumber',
    // TLS verification is on unless explicitly turned off.
    rejectUnauthorized: env.LDAP_TLS_REJECT_UNAUTHORIZED !== 'false',
    timeoutMs: positiveIntegerEnv('LDAP_TIMEOUT_MS', 3000, env),
    startTls,
    ...(recoveryEmailAttribute ? { recoveryEmailAttribute } : {}),
    ...(bindSecretId ? { bindSecretId } : {}),
    ...(bindPassword ? { bindPassword } : {}),
  };
}

/**
 * Validates the configuration now; builds the directory (fetching a bind secret) on first use.
 *
 * The directory a deployed bundle was built for. CDK builds each function for its stage's directory:
 * esbuild replaces `process.env.SUPPORT_DESK_BUNDLED_DIRECTORY` with it (`directoryDefine` in
 * infra/bundling/function-bundle.ts), the comparisons below become constants, the other adapters'
 * branches dead code, and their modules (ldapts, the Cognito client) leave the bundle (#21: a lazy
 * `import()` kept them, and cost tree-shaking). Run from source (the twin, the tests) it is unset: every
 * adapter is there. Written out at each use, each adapter inside its `if`: esbuild drops a branch whose
 * condition folds to false before it links modules, but neither a helper's call nor code after a `throw`.
 */
export function directoryFromEnvironment(env: Env = process.env): () => Promise<Directory> {
  const kind = directoryKind(env);
  if (kind === 'demo') {
    if (process.env.SUPPORT_DESK_BUNDLED_DIRECTORY === undefined || process.env.SUPPORT_DESK_BUNDLED_DIRECTORY === 'demo') {
      const directory = new DemoDirectory(documentClient, tableName('Employees', env));
      return async () => directory;
    }
    throw notBundled(kind);
  }
  if (kind === 'cognito') {
    if (process.env.SUPPORT_DESK_BUNDLED_DIRECTORY === undefined || process.env.SUPPORT_DESK_BUNDLED_DIRECTORY === 'cognito') {
      const directory = new CognitoDirectory(requiredEnv('COGNITO_USER_POOL_ID', env));
      return async () => directory;
    }
    throw notBundled(kind);
  }
  if (process.env.SUPPORT_DESK_BUNDLED_DIRECTORY === undefined || process.env.SUPPORT_DESK_BUNDLED_DIRECTORY === 'ldap')
    return ldapDirectory(env);
  throw notBundled(kind);
}

/** LDAP: settings validated now; the directory built (its bind secret fetched) on first use. */
function ldapDirectory(env: Env): () => Promise<Directory> {
  const settings = ldapSettings(env);
  let directory: Promise<Directory> | undefined;
  return () => {
    directory ??= (async () => {
      const secret = settings.bindSecretId ? await getSecret(settings.bindSecretId, { maxAge: 300 }) : settings.bindPassword;
      if (typeof secret !== 'string' || !secret) throw new ConfigurationError('the LDAP bind secret is empty');
      // Required here, not imported: a bundle built for another directory then holds no ldapts at all (a
      // module imported statically stays in a bundle for its side effects, used or not).
      const { LdapDirectory } = require('./ldap-directory') as typeof import('./ldap-directory');
      return new LdapDirectory({ ...settings, bindPassword: secret });
    })().catch((error: unknown) => {
      // Not kept: a secret that could not be read now (Secrets Manager unreachable) is asked for again next time.
      directory = undefined;
      throw error;
    });
    return directory;
  };
}
