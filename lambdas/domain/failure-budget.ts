/**
 * Failure budgets (docs/security.md, "The guessing bound"): before a keyed code's result counts, the
 * verify workflow reserves one failure in three counters: the company's for the UTC day (the circuit
 * breaker), the employee's for the day and for the month. A reservation past a limit refuses the
 * attempt whatever the code; a right code gives the company's back. These are the counter keys and
 * limits the workflow's conditional updates use (ASL cannot format months or add durations), and the
 * bound the policy guarantees. Plain TypeScript.
 */
import type { ResetPolicy } from './reset-policy';
import { CODE_LENGTH } from './verification-code';

export interface FailureBudget {
  companyKey: string;
  employeeDayKey: string;
  employeeMonthKey: string;
  /** Strings: the DynamoDB integration takes `N` values as strings. */
  companyLimit: string;
  employeeDayLimit: string;
  employeeMonthLimit: string;
  /** Epoch seconds when a counter may go: after its month. */
  ttl: string;
}

export function failureBudget(employeeId: string, now: Date, policy: ResetPolicy): FailureBudget {
  const day = now.toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  return {
    companyKey: `failures#company#${day}`,
    employeeDayKey: `failures#employee#${employeeId}#${day}`,
    employeeMonthKey: `failures#employee#${employeeId}#${month}`,
    companyLimit: String(policy.companyDailyFailures),
    employeeDayLimit: String(policy.employeeDailyFailures),
    employeeMonthLimit: String(policy.employeeMonthlyFailures),
    ttl: String(Math.floor(now.getTime() / 1000) + 40 * 24 * 3600),
  };
}

/** The key the start workflow reads to know whether the breaker is open today. */
export function companyFailureKey(now: Date): string {
  return `failures#company#${now.toISOString().slice(0, 10)}`;
}

/**
 * The expected number of accounts taken over in a year by an attacker with unlimited lines and numbers:
 * at most `companyDailyFailures` wrong codes a day reach a comparison company-wide, each right with
 * probability 10^-digits (one live code per employee, uniform, never reused). Independent of company size.
 */
export function expectedTakeoversPerYear(policy: ResetPolicy, days = 365): number {
  return (days * policy.companyDailyFailures) / 10 ** CODE_LENGTH;
}
