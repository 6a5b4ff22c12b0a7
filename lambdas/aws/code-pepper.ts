/**
 * The secret pepper keying verification-code HMACs, from Secrets Manager (never an environment
 * variable or the template), cached in the container for five minutes by Powertools Parameters.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigurationError } from '../configuration/configuration-error';

export async function codePepper(secretId: string): Promise<string> {
  const value = await getSecret(secretId, { maxAge: 300 });
  if (typeof value !== 'string' || value.length < 32) throw new ConfigurationError(`secret ${secretId} must hold at least 32 characters`);
  return value;
}
