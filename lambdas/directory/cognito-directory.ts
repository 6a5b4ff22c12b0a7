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
  type RecoveryChannels,
  type TemporaryPasswordOptions,
} from './directory';
import { CAN_UNLOCK } from './directory-kind';
import { normaliseE164 } from '../domain/recovery-channel';

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

  /**
   * The user's `phone_number` (E.164 in Cognito already; checked all the same), and only while
   * `phone_number_verified` is "true": a verified number is one whose holder answered a code Cognito
   * sent to it, or one an administrator marked verified (AdminUpdateUserAttributes) ("Configuring email
   * or phone verification", https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html).
   * An unverified number may have been set by anyone who could edit the attribute: where the pool does
   * not require verification before an update, UpdateUserAttributes with the user's own access token
   * changes `phone_number` at once
   * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserAttributeUpdateSettingsType.html).
   * Verification proves possession, not that the employee chose the number: so no app client may
   * write `phone_number` (its WriteAttributes leave it out), and only administrators change it
   * (docs/security.md). No recovery e-mail: a pool's `email` is the corporate address here. An unknown
   * user has none ({}); other errors are DirectoryUnavailableError, as for every call here.
   */
  async recoveryChannels(employeeId: string): Promise<RecoveryChannels> {
    let attributes: Array<{ Name?: string; Value?: string }>;
    try {
      const user = await this.call(() => this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: employeeId })));
      attributes = user.UserAttributes ?? [];
    } catch (error) {
      if (error instanceof EmployeeNotFoundError) return {};
      throw error;
    }
    const value = (name: string) => attributes.find((a) => a.Name === name)?.Value;
    if (value('phone_number_verified') !== 'true') return {};
    const mobile = normaliseE164(value('phone_number'));
    return mobile ? { mobile } : {};
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
