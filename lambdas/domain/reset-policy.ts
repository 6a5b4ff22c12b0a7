/**
 * The reset policy: rate limits, code lifetime and attempts, lock period, temporary password
 * lifetime. Read from configuration and validated once; invalid configuration fails at cold start.
 */
import { integerSettings, integerSettingsEnvironment } from '../configuration/integer-settings';

export interface ResetPolicy {
  /** Starts allowed per employee ID per rate window. */
  employeeStartsPerWindow: number;
  /** Starts allowed per caller number per rate window. */
  callerStartsPerWindow: number;
  rateWindowSeconds: number;
  codeTtlSeconds: number;
  maxCodeAttempts: number;
  lockSeconds: number;
  temporaryPasswordTtlSeconds: number;
  temporaryPasswordLength: number;
  /** Wrong codes an employee may key per UTC day, across all their sessions (docs/security.md). */
  employeeDailyFailures: number;
  /** Per calendar month (UTC), across all their sessions: a budget in months, as NIST SP 800-63B asks (≤ 100). */
  employeeMonthlyFailures: number;
  /** The company-wide circuit breaker: wrong codes per UTC day before self-service goes to agents (docs/security.md). */
  companyDailyFailures: number;
}

export const DEFAULT_POLICY: ResetPolicy = {
  employeeStartsPerWindow: 3,
  callerStartsPerWindow: 5,
  rateWindowSeconds: 3600,
  codeTtlSeconds: 600,
  maxCodeAttempts: 3,
  lockSeconds: 30 * 60,
  temporaryPasswordTtlSeconds: 24 * 3600,
  temporaryPasswordLength: 12,
  employeeDailyFailures: 5,
  employeeMonthlyFailures: 10,
  companyDailyFailures: 25,
};

/** Environment variable of each policy field (CDK and the twin set these). */
export const POLICY_ENV: Record<keyof ResetPolicy, string> = {
  employeeStartsPerWindow: 'RATE_LIMIT_EMPLOYEE_STARTS',
  callerStartsPerWindow: 'RATE_LIMIT_CALLER_STARTS',
  rateWindowSeconds: 'RATE_LIMIT_WINDOW_SECONDS',
  codeTtlSeconds: 'CODE_TTL_SECONDS',
  maxCodeAttempts: 'MAX_CODE_ATTEMPTS',
  lockSeconds: 'LOCK_SECONDS',
  temporaryPasswordTtlSeconds: 'TEMP_PASSWORD_TTL_SECONDS',
  temporaryPasswordLength: 'TEMP_PASSWORD_LENGTH',
  employeeDailyFailures: 'EMPLOYEE_DAILY_FAILURE_LIMIT',
  employeeMonthlyFailures: 'EMPLOYEE_MONTHLY_FAILURE_LIMIT',
  companyDailyFailures: 'COMPANY_DAILY_FAILURE_LIMIT',
};

const BOUNDS: Record<keyof ResetPolicy, [number, number]> = {
  employeeStartsPerWindow: [1, 100],
  callerStartsPerWindow: [1, 1000],
  rateWindowSeconds: [60, 7 * 24 * 3600],
  codeTtlSeconds: [60, 3600],
  maxCodeAttempts: [1, 10],
  lockSeconds: [60, 7 * 24 * 3600],
  temporaryPasswordTtlSeconds: [3600, 30 * 24 * 3600],
  temporaryPasswordLength: [12, 64],
  employeeDailyFailures: [1, 100],
  employeeMonthlyFailures: [1, 100],
  // Above 27 a day the default policy no longer keeps the bound of docs/security.md (≤ 0.01 takeovers a year).
  companyDailyFailures: [1, 10_000],
};

/** Policy from environment variables; unset fields take defaults, bad values throw. */
export function policyFromEnvironment(env: Record<string, string | undefined>): ResetPolicy {
  return integerSettings<ResetPolicy>(env, DEFAULT_POLICY, POLICY_ENV, BOUNDS);
}

export function policyEnvironment(policy: ResetPolicy): Record<string, string> {
  return integerSettingsEnvironment(policy, POLICY_ENV);
}
