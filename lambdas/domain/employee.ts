/**
 * An employee as the directory (the employees table in the demo directory) holds it.
 * The table item type shared by the seeder, the handlers and the tests.
 */
import type { Locale } from './locale';

export type EmployeeStatus = 'ACTIVE' | 'DISABLED' | 'LOCKED';

export interface EmployeeItem {
  employeeId: string;
  name: string;
  email: string;
  /** E.164. */
  phone: string;
  locale: Locale;
  status: EmployeeStatus;
  /** ISO time until which the account is locked after too many wrong codes. */
  lockedUntil?: string;
  /** The one reset session a code can verify: set by each start, removed by a lock (security review F1). */
  activeSessionId?: string;
  /** Demo directory only: scrypt hash of the current password. */
  passwordHash?: string;
  mustChangePassword?: boolean;
  passwordExpiresAt?: string;
}

export const EMPLOYEE_ID_PATTERN = /^\d{7}$/;
