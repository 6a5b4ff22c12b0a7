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
  /** Registered for recovery: the mobile that receives codes by text (E.164). */
  mobile?: string;
  /** Registered for recovery: a personal address that receives codes (not the corporate mailbox). */
  recoveryEmail?: string;
  locale: Locale;
  /**
   * LOCKED is the directory's own lock-out after failed logons (the demo directory's; unlock by phone
   * clears it). It does not stop the desk's verification: that is the point of "unlock my account".
   */
  status: EmployeeStatus;
  /** ISO time until which the account is locked after too many wrong codes. */
  lockedUntil?: string;
  /** The one reset session a code can verify: set by each start, removed by a lock (security review F1). */
  activeSessionId?: string;
  /** Demo directory only: scrypt hash of the current password. */
  passwordHash?: string;
  mustChangePassword?: boolean;
  passwordExpiresAt?: string;
  /** Demo directory only: consecutive wrong passwords at logon; at DEMO_LOCKOUT_THRESHOLD the status becomes LOCKED. */
  failedLogins?: number;
}

export const EMPLOYEE_ID_PATTERN = /^\d{7}$/;
