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
  type TemporaryPasswordOptions,
} from './directory';

export { EmployeeNotFoundError, PasswordPolicyError };

export interface LoginResult {
  ok: boolean;
  mustChangePassword: boolean;
  /** Why a login failed, for the caller of the demo API (never which part of the secret was wrong). */
  reason?: 'INVALID_CREDENTIALS' | 'PASSWORD_EXPIRED' | 'ACCOUNT_DISABLED' | 'TEMPORARY_PASSWORD_USED';
}

export class DemoDirectory implements Directory {
  readonly kind = 'demo' as const;
  // It keeps mustChangePassword and passwordExpiresAt and its login checks both.
  readonly guarantees = { mustChange: true, expiry: true };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async lookup(employeeId: string): Promise<EmployeeItem | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: { employeeId }, ConsistentRead: true }));
    return out.Item as EmployeeItem | undefined;
  }

  async unlock(employee: DirectoryEmployee): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { employeeId: employee.employeeId },
        UpdateExpression: 'REMOVE lockedUntil',
        ConditionExpression: 'attribute_exists(employeeId)',
      }),
    );
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
          UpdateExpression:
            'SET passwordHash = :hash, mustChangePassword = :mustChange, passwordExpiresAt = :expiresAt, passwordSetAt = :now REMOVE temporaryPasswordUsedAt',
          ConditionExpression: 'attribute_exists(employeeId)',
          ExpressionAttributeValues: {
            ':hash': passwordHash,
            ':mustChange': options.mustChange,
            ':expiresAt': options.expiresAt,
            ':now': new Date().toISOString(),
          },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new EmployeeNotFoundError(`employee ${employeeId} not found`);
      throw error;
    }
  }

  /**
   * A logon. A temporary password works once, for the logon that changes it (as directories do):
   * the first success is recorded and a second logon with the same temporary password is refused.
   */
  async login(employeeId: string, password: string, now = new Date()): Promise<LoginResult> {
    const employee = await this.lookup(employeeId);
    const matches = await verifyPassword(password, employee?.passwordHash);
    if (!employee || !matches) return { ok: false, mustChangePassword: false, reason: 'INVALID_CREDENTIALS' };
    if (employee.status === 'DISABLED') return { ok: false, mustChangePassword: false, reason: 'ACCOUNT_DISABLED' };
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
}
