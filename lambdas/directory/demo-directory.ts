/**
 * The demo directory: the employees table as the place employees log in (scrypt hashes,
 * must-change-at-next-logon, expiring temporary passwords). The default directory of the product
 * and what the twin uses out of the box.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmployeeItem } from '../domain/employee';
import { hashPassword, verifyPassword } from '../domain/password-hash';
import { meetsComplexity } from '../domain/temporary-password';

import {
  EmployeeNotFoundError,
  PasswordPolicyError,
  type Directory,
  type DirectoryEmployee,
  type RecoveryChannels,
  type TemporaryPasswordOptions,
} from './directory';
import { CAN_UNLOCK } from './directory-kind';

export { EmployeeNotFoundError, PasswordPolicyError };

/**
 * Consecutive wrong passwords that lock a demo account (status LOCKED) until it is unlocked: a common
 * directory lock-out threshold (AD's `LockoutThreshold`, ppolicy's `pwdMaxFailure`), here fixed.
 */
export const DEMO_LOCKOUT_THRESHOLD = 5;

export interface LoginResult {
  ok: boolean;
  mustChangePassword: boolean;
  /** Why a login failed, for the caller of the demo API (never which part of the secret was wrong). */
  reason?: 'INVALID_CREDENTIALS' | 'PASSWORD_EXPIRED' | 'ACCOUNT_DISABLED' | 'ACCOUNT_LOCKED' | 'TEMPORARY_PASSWORD_USED';
}

export class DemoDirectory implements Directory {
  readonly kind = 'demo' as const;
  // It keeps mustChangePassword and passwordExpiresAt and its login checks both.
  readonly guarantees = { mustChange: true, expiry: true };
  readonly canUnlock = CAN_UNLOCK.demo;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async lookup(employeeId: string): Promise<EmployeeItem | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: { employeeId }, ConsistentRead: true }));
    return out.Item as EmployeeItem | undefined;
  }

  /**
   * The channels on the employee's item: the demo directory is the employees table, so this says
   * nothing issue-verification-code has not read already (it does not ask the demo directory).
   */
  async recoveryChannels(employeeId: string): Promise<RecoveryChannels> {
    const employee = await this.lookup(employeeId);
    return {
      ...(employee?.mobile ? { mobile: employee.mobile } : {}),
      ...(employee?.recoveryEmail ? { recoveryEmail: employee.recoveryEmail } : {}),
    };
  }

  /**
   * The demo directory's own lock is `status: 'LOCKED'`, placed by `login` after
   * DEMO_LOCKOUT_THRESHOLD consecutive wrong passwords: the account state its logon refuses
   * (ACCOUNT_LOCKED), its counterpart of OpenLDAP's pwdAccountLockedTime and AD's lockoutTime.
   * Unlocking sets it back to ACTIVE and forgets the failures that caused it (`failedLogins`), as
   * ppolicy drops pwdFailureTime and AD zeroes badPwdCount with the lock (see LdapDirectory.unlock), so
   * the next wrong password does not lock it again at once. It touches nothing else: not the password
   * (`passwordHash`, `mustChangePassword`, `passwordExpiresAt`), not a DISABLED account (an
   * administrator's decision), and not `lockedUntil` — that is the desk's lock after wrong verification
   * codes, set by the verify workflow and lifted only by time, so an unlock can never undo the guessing
   * bound. Not locked: nothing to do.
   */
  async unlock(employee: DirectoryEmployee): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { employeeId: employee.employeeId },
          UpdateExpression: 'SET #status = :active REMOVE failedLogins',
          ConditionExpression: '#status = :locked',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'ACTIVE', ':locked': 'LOCKED' },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      // Not LOCKED: an unknown employee is an error, an unlocked (or disabled) one is left as it is.
      if (!(await this.lookup(employee.employeeId))) throw new EmployeeNotFoundError(`employee ${employee.employeeId} not found`);
    }
  }

  /** Sets a temporary password: must be changed at next logon, expires at `expiresAt`; unlocks the account. */
  async setTemporaryPassword(employee: DirectoryEmployee, password: string, options: TemporaryPasswordOptions): Promise<void> {
    const { employeeId } = employee;
    if (!meetsComplexity(password)) throw new PasswordPolicyError('password does not meet the directory complexity rule');
    const passwordHash = await hashPassword(password);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { employeeId },
          // A reset unlocks as well (status LOCKED → ACTIVE, failures forgotten), in the same write: an
          // employee locked out after guessing a forgotten password needs both (Entra SSPR's "reset
          // password and unlock"). A DISABLED account is an administrator's decision and is never written.
          UpdateExpression:
            'SET passwordHash = :hash, mustChangePassword = :mustChange, passwordExpiresAt = :expiresAt, passwordSetAt = :now, #status = :active REMOVE temporaryPasswordUsedAt, failedLogins',
          ConditionExpression: 'attribute_exists(employeeId) AND #status <> :disabled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':hash': passwordHash,
            ':mustChange': options.mustChange,
            ':expiresAt': options.expiresAt,
            ':now': new Date().toISOString(),
            ':active': 'ACTIVE',
            ':disabled': 'DISABLED',
          },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new EmployeeNotFoundError(`employee ${employeeId} not found, or disabled`);
      throw error;
    }
  }

  /**
   * A logon. A temporary password works once, for the logon that changes it (as directories do):
   * the first success is recorded and a second logon with the same temporary password is refused.
   * DEMO_LOCKOUT_THRESHOLD consecutive wrong passwords lock the account (status LOCKED, until `unlock`),
   * as a directory's lock-out policy does; a successful logon starts the count again.
   */
  async login(employeeId: string, password: string, now = new Date()): Promise<LoginResult> {
    const employee = await this.lookup(employeeId);
    const matches = await verifyPassword(password, employee?.passwordHash);
    if (!employee) return { ok: false, mustChangePassword: false, reason: 'INVALID_CREDENTIALS' };
    if (!matches) {
      // Only an active account counts failures: a locked one is locked already, a disabled one refuses anyway.
      if (employee.status === 'ACTIVE') await this.countFailedLogin(employeeId);
      return { ok: false, mustChangePassword: false, reason: 'INVALID_CREDENTIALS' };
    }
    if (employee.status === 'DISABLED') return { ok: false, mustChangePassword: false, reason: 'ACCOUNT_DISABLED' };
    // The directory's own lock (cleared by unlock); the desk's `lockedUntil` does not stop a logon.
    if (employee.status === 'LOCKED') return { ok: false, mustChangePassword: false, reason: 'ACCOUNT_LOCKED' };
    if (employee.failedLogins) await this.forgetFailedLogins(employeeId);
    if (!employee.mustChangePassword) return { ok: true, mustChangePassword: false };
    if (employee.passwordExpiresAt && employee.passwordExpiresAt < now.toISOString()) {
      return { ok: false, mustChangePassword: true, reason: 'PASSWORD_EXPIRED' };
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { employeeId },
          UpdateExpression: 'SET temporaryPasswordUsedAt = :now',
          ConditionExpression: 'attribute_not_exists(temporaryPasswordUsedAt) AND passwordHash = :hash',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':hash': employee.passwordHash },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        return { ok: false, mustChangePassword: true, reason: 'TEMPORARY_PASSWORD_USED' };
      throw error;
    }
    return { ok: true, mustChangePassword: true };
  }

  /**
   * One more consecutive wrong password (an atomic ADD, so parallel attempts all count); the one that
   * reaches DEMO_LOCKOUT_THRESHOLD locks the account, if it is still ACTIVE.
   */
  private async countFailedLogin(employeeId: string): Promise<void> {
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { employeeId },
        UpdateExpression: 'ADD failedLogins :one',
        ConditionExpression: 'attribute_exists(employeeId)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if (Number(out.Attributes?.failedLogins ?? 0) < DEMO_LOCKOUT_THRESHOLD) return;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { employeeId },
          UpdateExpression: 'SET #status = :locked',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':locked': 'LOCKED', ':active': 'ACTIVE' },
        }),
      );
    } catch (error) {
      // Locked (or disabled) meanwhile: nothing more to do.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** A successful logon: the wrong passwords before it no longer count toward a lock-out. */
  private async forgetFailedLogins(employeeId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { employeeId },
        UpdateExpression: 'REMOVE failedLogins',
        ConditionExpression: 'attribute_exists(employeeId)',
      }),
    );
  }
}
