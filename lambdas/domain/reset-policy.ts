/**
 * The reset policy: rate limits, code lifetime and attempts, lock period, temporary password
 * lifetime. Read from configuration and validated once; invalid configuration fails at cold start.
 */

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
};

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * Integer settings from environment variables: each field named by `names`, within `bounds`; unset
 * fields take `defaults`, bad values throw naming the variable.
 */
export function integerSettings<T extends { [K in keyof T]: number }>(
  env: Record<string, string | undefined>,
  defaults: T,
  names: Record<keyof T, string>,
  bounds: Record<keyof T, [number, number]>,
): T {
  const settings = { ...defaults };
  for (const key of Object.keys(names) as Array<keyof T>) {
    const raw = env[names[key]];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    const [min, max] = bounds[key];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new ConfigurationError(`${names[key]} must be an integer in [${min}, ${max}], got "${raw}"`);
    settings[key] = value as T[keyof T];
  }
  return settings;
}

/** Integer settings as environment variables (CDK and the twin put these on the functions). */
export function integerSettingsEnvironment<T extends { [K in keyof T]: number }>(
  settings: T,
  names: Record<keyof T, string>,
): Record<string, string> {
  return Object.fromEntries((Object.keys(names) as Array<keyof T>).map((k) => [names[k], String(settings[k])]));
}

/** Policy from environment variables; unset fields take defaults, bad values throw. */
export function policyFromEnvironment(env: Record<string, string | undefined>): ResetPolicy {
  return integerSettings<ResetPolicy>(env, DEFAULT_POLICY, POLICY_ENV, BOUNDS);
}

export function policyEnvironment(policy: ResetPolicy): Record<string, string> {
  return integerSettingsEnvironment(policy, POLICY_ENV);
}
