/**
 * Which directory a deployment uses (DIRECTORY=demo|ldap|cognito) and what it can do, known without
 * loading or reaching it: plain data, no SDK or LDAP import, so a function that only needs to know
 * (get-prompts tells the flow whether "unlock my account" can work) keeps its cold start cheap.
 * The adapters declare their `canUnlock` from here (one source).
 */
import { ConfigurationError } from '../configuration/configuration-error';

export type DirectoryKind = 'demo' | 'ldap' | 'cognito';
export const DIRECTORY_KINDS: readonly DirectoryKind[] = ['demo', 'ldap', 'cognito'];

type Env = Record<string, string | undefined>;

/** The configured directory (default demo); anything else fails the cold start. */
export function directoryKind(env: Env = process.env): DirectoryKind {
  const kind = (env.DIRECTORY ?? 'demo').trim() || 'demo';
  if (!DIRECTORY_KINDS.includes(kind as DirectoryKind))
    throw new ConfigurationError(`DIRECTORY must be demo, ldap or cognito, got "${kind}"`);
  return kind as DirectoryKind;
}

/**
 * Whether the directory keeps a lock-out an administrator can clear (Directory.canUnlock): the demo
 * directory (its LOCKED status), OpenLDAP ppolicy (`pwdAccountLockedTime`) and Active Directory
 * (`lockoutTime`) do; a Cognito user pool does not (see CognitoDirectory.unlock). A property of the
 * deployment, the same for every caller, so saying it reveals nothing about an employee.
 */
export const CAN_UNLOCK: Readonly<Record<DirectoryKind, boolean>> = { demo: true, ldap: true, cognito: false };
