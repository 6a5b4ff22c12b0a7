/**
 * `password-reset-verify`: compares the keyed code with the session's HMAC in constant time.
 * A Lambda because the comparison needs the secret pepper. A session that is not the employee's live
 * one (void, older, the employee locked or disabled) never matches, but costs the same work, so its
 * answer and its timing are a wrong code's. It also returns the failure budget's keys and limits.
 */
import type { Context } from 'aws-lambda';
import { codePepper } from '../aws/code-pepper';
import { ENV, requiredEnv } from '../configuration/environment';
import { policyFromEnvironment } from '../domain/reset-policy';
import { instrumented, observability } from '../observability/instrumented-handler';
import { codeMatches } from '../domain/verification-code';
import { failureBudget, type FailureBudget } from '../domain/failure-budget';

const pepperSecretId = requiredEnv(ENV.codePepperSecretId);
const policy = policyFromEnvironment(process.env);
const tools = observability();

export interface CheckCodeInput {
  sessionId: string;
  employeeId: string;
  code: unknown;
  /** Whether the session is the employee's one live verification (the workflow re-read the employee). */
  live: boolean;
  /** The session item as the DynamoDB integration returns it; `codeHash` is absent on sessions that can never verify. */
  session: { codeHash?: { S?: string } };
}

export interface CheckCodeOutput {
  match: boolean;
  /** When the account stays locked if this was the last attempt (ASL cannot add durations). */
  lockedUntil: string;
  budget: FailureBudget;
}

export const handler = instrumented(tools, async (event: CheckCodeInput, _context: Context): Promise<CheckCodeOutput> => {
  const pepper = await codePepper(pepperSecretId);
  const compared = typeof event.code === 'string' && codeMatches(event.code, event.sessionId, event.session?.codeHash?.S, pepper);
  const match = compared && event.live === true;
  tools.logger.info('verification code checked', { sessionId: event.sessionId, match, live: event.live === true });
  const now = new Date();
  return {
    match,
    lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000).toISOString(),
    budget: failureBudget(String(event.employeeId ?? '-'), now, policy),
  };
});
