/**
 * Step 1 of `password-reset-start`: validates the input and derives keys and times for the
 * workflow's direct DynamoDB steps. It is a Lambda because ASL cannot validate formats, mask a number,
 * key a hash or compute epoch TTLs.
 */
import type { Context } from 'aws-lambda';
import { prepareReset, type PreparedReset } from '../domain/reset-start';
import { policyFromEnvironment } from '../domain/reset-policy';
import { instrumented, observability } from '../observability/instrumented-handler';
import { codePepper } from '../aws/code-pepper';
import { ENV, requiredEnv } from '../configuration/environment';

const policy = policyFromEnvironment(process.env);
const pepperSecretId = requiredEnv(ENV.codePepperSecretId);
const tools = observability();

export const handler = instrumented(tools, async (event: unknown, _context: Context): Promise<PreparedReset> => {
  // The pepper keys the caller number's hash (security review F11).
  const prepared = prepareReset(event, new Date(), policy, await codePepper(pepperSecretId));
  if (!prepared.valid) tools.logger.warn('reset start input rejected', { sessionId: prepared.sessionId });
  return prepared;
});
