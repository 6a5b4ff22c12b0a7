/** Integer settings (policies) read from, and written to, environment variables, each within its bounds. */
import { ConfigurationError } from './configuration-error';

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
