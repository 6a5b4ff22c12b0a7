/**
 * Step 1 of `password-reset-start`: validates the input and derives keys and times for the
 * workflow's direct DynamoDB steps. No secret is involved; it is a Lambda only because ASL cannot
 * validate formats, mask a number or compute epoch TTLs.
 */
import type { Context } from 'aws-lambda';
import { prepareReset, type PreparedReset } from '../domain/reset-start';
import { policyFromEnvironment } from '../domain/reset-policy';
import { instrumented, observability } from '../observability/instrumented-handler';

const policy = policyFromEnvironment(process.env);
const tools = observability();

export const handler = instrumented(tools, async (event: unknown, _context: Context): Promise<PreparedReset> => {
  const prepared = prepareReset(event, new Date(), policy);
  if (!prepared.valid) tools.logger.warn('reset start input rejected', { sessionId: prepared.sessionId });
  return prepared;
});
