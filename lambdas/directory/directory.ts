/**
 * Where employees log in: the directory the verify workflow sets the temporary password in. One
 * interface, chosen by configuration (DIRECTORY=demo|ldap|cognito), with typed errors the workflow
 * turns into outcomes: not found, policy rejected, unavailable, unlock unsupported.
 */
import type { RecoveryChannels } from '../domain/recovery-channel';

export type { RecoveryChannels };

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
  /**
   * Whether `unlock` can clear this directory's lock-out. Known before a verification code is spent, so
   * an "unlock my account" caller can be offered a reset instead (or told the lock clears itself) rather
   * than verified for an unlock that cannot happen. Where it is false, `unlock` throws UnlockUnsupportedError.
   */
  readonly canUnlock: boolean;
  /**
   * "Unlock my account" (issue #19): clears the lock-out the directory itself keeps after failed logons,
   * so the employee's current password works again. It must not change the password: not its value,
   * not must-change-at-next-logon, not its age or expiry. Nor does it undo an administrator's disabling,
   * or the desk's own lock after wrong verification codes (the employees table's `lockedUntil`, placed
   * by the verify workflow and lifted only by time). An account that is not locked is not an error.
   * Throws EmployeeNotFoundError, DirectoryUnavailableError, or UnlockUnsupportedError (`canUnlock` false).
   */
  unlock(employee: DirectoryEmployee): Promise<void>;
  /**
   * The employee's recovery channels as the directory holds them (issue #19), for an employee the
   * employees table has none for: a mobile in E.164 (LDAP/AD `mobile`; Cognito `phone_number`, only
   * once verified) and, where configured, a recovery e-mail. Read only, never written. A value that is
   * not confidently usable is left out, never guessed at. An employee the directory does not have has
   * none: {}. Throws DirectoryUnavailableError when the directory cannot answer.
   *
   * Whoever can write these attributes can have codes sent to them, so only administrators (or the HR
   * feed) may: never the employee's own account (docs/security.md, "Recovery channels from the directory").
   */
  recoveryChannels(employeeId: string): Promise<RecoveryChannels>;
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

/**
 * The directory keeps no lock-out an administrator can clear (Cognito: its sign-in throttle only
 * clears itself). The caller turns it into a prompt: no unlock here; a reset, or wait
 * `clearsItselfAfterSeconds` (when the directory documents one) without trying to sign in.
 */
export class UnlockUnsupportedError extends DirectoryError {
  override name = 'UnlockUnsupportedError';

  constructor(
    message: string,
    /** How long without sign-in attempts until the directory lifts the lock itself, where documented. */
    readonly clearsItselfAfterSeconds?: number,
  ) {
    super(message);
  }
}
