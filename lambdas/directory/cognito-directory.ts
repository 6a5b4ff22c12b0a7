/**
 * Amazon Cognito user pools as the directory: AdminSetUserPassword with Permanent: false (the user
 * must set a new password at next sign-in), the username being the employee ID. Documented errors
 * map to the typed directory errors.
 */
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminEnableUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DirectoryUnavailableError,
  EmployeeNotFoundError,
  PasswordPolicyError,
  type Directory,
  type DirectoryEmployee,
  type TemporaryPasswordOptions,
} from './directory';

export class CognitoDirectory implements Directory {
  readonly kind = 'cognito' as const;
  // Permanent: false leaves the user in FORCE_CHANGE_PASSWORD; how long a temporary password lasts is the
  // pool's TemporaryPasswordValidityDays (whole days), not per password: not enforced at expiresAt.
  readonly guarantees = { mustChange: true, expiry: false };

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

  async unlock(employee: DirectoryEmployee): Promise<void> {
    await this.call(() => this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: employee.employeeId })));
  }
}
