/**
 * Sweep detection policy: one caller number starting resets for at least N different employee IDs
 * within a window, one agent starting verifications for at least M different employees within a window
 * (issue #20: an insider, or a stolen agent session), or at least N lock-outs across the company within
 * a window, is suspicious —
 * reported once per window. Windows are fixed (aligned to the epoch), so "once per window" is a key.
 */
import { integerSettings, integerSettingsEnvironment } from '../configuration/integer-settings';

export interface SweepPolicy {
  distinctEmployeesPerCaller: number;
  callerWindowSeconds: number;
  /** Per agent, in the caller window: an agent legitimately verifies a few callers in 15 minutes, not many. */
  distinctEmployeesPerAgent: number;
  lockoutsCompanyWide: number;
  lockoutWindowSeconds: number;
}

export const DEFAULT_SWEEP_POLICY: SweepPolicy = {
  distinctEmployeesPerCaller: 3,
  callerWindowSeconds: 900,
  distinctEmployeesPerAgent: 5,
  lockoutsCompanyWide: 3,
  lockoutWindowSeconds: 900,
};

export const SWEEP_ENV: Record<keyof SweepPolicy, string> = {
  distinctEmployeesPerCaller: 'SWEEP_DISTINCT_EMPLOYEES',
  callerWindowSeconds: 'SWEEP_WINDOW_SECONDS',
  distinctEmployeesPerAgent: 'SWEEP_AGENT_DISTINCT_EMPLOYEES',
  lockoutsCompanyWide: 'LOCKOUT_SURGE_COUNT',
  lockoutWindowSeconds: 'LOCKOUT_SURGE_WINDOW_SECONDS',
};

const SWEEP_BOUNDS: Record<keyof SweepPolicy, [number, number]> = {
  distinctEmployeesPerCaller: [1, 1000],
  callerWindowSeconds: [60, 86_400],
  distinctEmployeesPerAgent: [1, 1000],
  lockoutsCompanyWide: [1, 10_000],
  lockoutWindowSeconds: [60, 86_400],
};

export function sweepPolicyFromEnvironment(env: Record<string, string | undefined>): SweepPolicy {
  return integerSettings<SweepPolicy>(env, DEFAULT_SWEEP_POLICY, SWEEP_ENV, SWEEP_BOUNDS);
}

export function sweepPolicyEnvironment(policy: SweepPolicy): Record<string, string> {
  return integerSettingsEnvironment(policy, SWEEP_ENV);
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
  return {
    start: new Date(start * 1000).toISOString(),
    end: new Date((start + seconds) * 1000).toISOString(),
    ttl: start + seconds + 3600,
  };
}

export const callerSweepKey = (callerHash: string, window: SweepWindow) => `sweep#caller#${callerHash}#${window.start}`;
export const agentSweepKey = (agentId: string, window: SweepWindow) => `sweep#agent#${agentId}#${window.start}`;
export const lockoutSurgeKey = (window: SweepWindow) => `sweep#lockouts#${window.start}`;
/** The marker whose conditional creation makes an alert fire once per window. */
export const alertMarkerKey = (counterKey: string) => `alert#${counterKey}`;
