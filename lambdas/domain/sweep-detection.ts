/**
 * Sweep detection policy: one caller number starting resets for at least N different employee IDs
 * within a window, or at least N lock-outs across the company within a window, is suspicious —
 * reported once per window. Windows are fixed (aligned to the epoch), so "once per window" is a key.
 */
import { ConfigurationError } from './reset-policy';

export interface SweepPolicy {
  distinctEmployeesPerCaller: number;
  callerWindowSeconds: number;
  lockoutsCompanyWide: number;
  lockoutWindowSeconds: number;
}

export const DEFAULT_SWEEP_POLICY: SweepPolicy = { distinctEmployeesPerCaller: 3, callerWindowSeconds: 900, lockoutsCompanyWide: 3, lockoutWindowSeconds: 900 };

export const SWEEP_ENV: Record<keyof SweepPolicy, string> = {
  distinctEmployeesPerCaller: 'SWEEP_DISTINCT_EMPLOYEES',
  callerWindowSeconds: 'SWEEP_WINDOW_SECONDS',
  lockoutsCompanyWide: 'LOCKOUT_SURGE_COUNT',
  lockoutWindowSeconds: 'LOCKOUT_SURGE_WINDOW_SECONDS',
};

export function sweepPolicyFromEnvironment(env: Record<string, string | undefined>): SweepPolicy {
  const policy = { ...DEFAULT_SWEEP_POLICY };
  for (const key of Object.keys(SWEEP_ENV) as Array<keyof SweepPolicy>) {
    const raw = env[SWEEP_ENV[key]];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 86_400) throw new ConfigurationError(`${SWEEP_ENV[key]} must be an integer in [1, 86400], got "${raw}"`);
    policy[key] = value;
  }
  return policy;
}

export function sweepPolicyEnvironment(policy: SweepPolicy): Record<string, string> {
  return Object.fromEntries((Object.keys(SWEEP_ENV) as Array<keyof SweepPolicy>).map((k) => [SWEEP_ENV[k], String(policy[k])]));
}

export interface SweepWindow {
  start: string;
  end: string;
  /** Epoch seconds at which the counters may be deleted (DynamoDB TTL). */
  ttl: number;
}

export function windowOf(at: string, seconds: number): SweepWindow {
  const t = Math.floor(new Date(at).getTime() / 1000);
  const start = t - (t % seconds);
  return { start: new Date(start * 1000).toISOString(), end: new Date((start + seconds) * 1000).toISOString(), ttl: start + seconds + 3600 };
}

export const callerSweepKey = (callerHash: string, window: SweepWindow) => `sweep#caller#${callerHash}#${window.start}`;
export const lockoutSurgeKey = (window: SweepWindow) => `sweep#lockouts#${window.start}`;
/** The marker whose conditional creation makes an alert fire once per window. */
export const alertMarkerKey = (counterKey: string) => `alert#${counterKey}`;
