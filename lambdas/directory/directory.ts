/**
 * Where employees log in: the directory the verify workflow sets the temporary password in. One
 * interface, chosen by configuration (DIRECTORY=demo|ldap|cognito), with typed errors the workflow
 * turns into outcomes: not found, policy rejected, unavailable.
 */

export interface DirectoryEmployee {
  employeeId: string;
}

export interface TemporaryPasswordOptions {
  /** Must be changed at next logon. */
  mustChange: boolean;
  /** ISO time after which the temporary password no longer works (where the directory supports it). */
  expiresAt: string;
}

/**
 * What a directory enforces of a temporary password itself (security review F10): reported, never
 * assumed. Where it does not, the caller is not told it expires (docs/security.md, "Directories").
 */
export interface DirectoryGuarantees {
  /** The employee must choose a new password at next logon. */
  readonly mustChange: boolean;
  /** The temporary password stops working at `expiresAt`. */
  readonly expiry: boolean;
}

export interface Directory {
  readonly kind: 'demo' | 'ldap' | 'cognito';
  readonly guarantees: DirectoryGuarantees;
  /** Whether the employee exists in the directory (and under which name the directory knows them). */
  lookup(employeeId: string): Promise<{ employeeId: string; distinguishedName?: string } | undefined>;
  setTemporaryPassword(employee: DirectoryEmployee, password: string, options: TemporaryPasswordOptions): Promise<void>;
  /** Clears a lock-out the directory itself keeps. */
  unlock(employee: DirectoryEmployee): Promise<void>;
}

export class DirectoryError extends Error {}

export class EmployeeNotFoundError extends DirectoryError {
  override name = 'EmployeeNotFoundError';
}

export class PasswordPolicyError extends DirectoryError {
  override name = 'PasswordPolicyError';
}

/** The directory did not answer, or refused for a reason that may pass (throttling, outage). */
export class DirectoryUnavailableError extends DirectoryError {
  override name = 'DirectoryUnavailableError';
}
