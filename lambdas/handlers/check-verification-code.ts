/**
 * `password-reset-verify`: compares the keyed code with the session's HMAC in constant time.
 * A Lambda because the comparison needs the secret pepper.
 */
import type { Context } from 'aws-lambda';
import { codePepper } from '../aws/code-pepper';
import { ENV, requiredEnv } from '../configuration/environment';
import { policyFromEnvironment } from '../domain/reset-policy';
import { instrumented, observability } from '../observability/instrumented-handler';
import { codeMatches } from '../domain/verification-code';

const pepperSecretId = requiredEnv(ENV.codePepperSecretId);
const policy = policyFromEnvironment(process.env);
const tools = observability();

export interface CheckCodeInput {
  sessionId: string;
  code: unknown;
  /** The session item as the DynamoDB integration returns it; `codeHash` is absent on sessions that can never verify. */
  session: { codeHash?: { S?: string } };
}

export interface CheckCodeOutput {
  match: boolean;
  /** When the account stays locked if this was the last attempt (ASL cannot add durations). */
  lockedUntil: string;
}

export const handler = instrumented(tools, async (event: CheckCodeInput, _context: Context): Promise<CheckCodeOutput> => {
  const pepper = await codePepper(pepperSecretId);
  const match = typeof event.code === 'string' && codeMatches(event.code, event.sessionId, event.session?.codeHash?.S, pepper);
  tools.logger.info('verification code checked', { sessionId: event.sessionId, match });
  return { match, lockedUntil: new Date(Date.now() + policy.lockSeconds * 1000).toISOString() };
});
