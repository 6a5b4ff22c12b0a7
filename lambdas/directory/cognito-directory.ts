/**
 * Amazon Cognito user pools as the directory: AdminSetUserPassword with Permanent: false (the user
 * must set a new password at next sign-in), the username being the employee ID. Documented errors
 * map to the typed directory errors.
 */
import { AdminGetUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  DirectoryUnavailableError,
  EmployeeNotFoundError,
  PasswordPolicyError,
  UnlockUnsupportedError,
  type Directory,
  type DirectoryEmployee,
  type TemporaryPasswordOptions,
} from './directory';
import { CAN_UNLOCK } from './directory-kind';

export class CognitoDirectory implements Directory {
  readonly kind = 'cognito' as const;
  // Permanent: false leaves the user in FORCE_CHANGE_PASSWORD; how long a temporary password lasts is the
  // pool's TemporaryPasswordValidityDays (whole days), not per password: not enforced at expiresAt.
  readonly guarantees = { mustChange: true, expiry: false };
  // No lock-out an administrator can clear: see `unlock`.
  readonly canUnlock = CAN_UNLOCK.cognito;

  constructor(
    private readonly userPoolId: string,
    private readonly client = new CognitoIdentityProviderClient({ maxAttempts: 3 }),
  ) {}

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'UserNotFoundException') throw new EmployeeNotFoundError((error as Error).message);
      if (name === 'InvalidPasswordException') throw new PasswordPolicyError((error as Error).message);
      throw new DirectoryUnavailableError(`Cognito: ${name}: ${(error as Error).message}`);
    }
  }

  async lookup(employeeId: string): Promise<{ employeeId: string } | undefined> {
    try {
      await this.call(() => this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: employeeId })));
      return { employeeId };
    } catch (error) {
      if (error instanceof EmployeeNotFoundError) return undefined;
      throw error;
    }
  }

  async setTemporaryPassword(employee: DirectoryEmployee, password: string, _options: TemporaryPasswordOptions): Promise<void> {
    await this.call(() =>
      this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: this.userPoolId,
          Username: employee.employeeId,
          Password: password,
          Permanent: false,
        }),
      ),
    );
  }

  /**
   * Unsupported: a user pool keeps no lock an administrator can clear. After five failed password
   * sign-ins Cognito refuses attempts for a time that doubles with each further failure, up to about
   * 15 minutes ("Password attempts exceeded"); the lock resets only by a successful sign-in once the
   * period has passed, or by 15 minutes without attempts, and no API resets it ("Lockout behavior for
   * failed sign-in attempts", https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior;
   * AWS notes the behaviour may change). AdminEnableUser is not an unlock: it reverses AdminDisableUser
   * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html),
   * and would re-enable an employee an administrator disabled. Nothing is called; the caller is told
   * why, and how long without attempts clears the lock.
   */
  async unlock(employee: DirectoryEmployee): Promise<void> {
    throw new UnlockUnsupportedError(
      `Cognito cannot unlock ${employee.employeeId}: its sign-in lock-out clears itself after 15 minutes without sign-in attempts; a password reset works now`,
      COGNITO_LOCKOUT_IDLE_RESET_SECONDS,
    );
  }
}

/** Cognito lifts its failed-sign-in lock-out after this long without attempts (documented; subject to change). */
export const COGNITO_LOCKOUT_IDLE_RESET_SECONDS = 15 * 60;
