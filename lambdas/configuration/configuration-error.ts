/** A function's configuration (environment, secrets) is missing or invalid: thrown at cold start, so the function never serves. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}
