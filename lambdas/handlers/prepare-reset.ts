/**
 * Step 1 of `password-reset-start`: validates the input and derives keys and times for the
 * workflow's direct DynamoDB steps. No secret is involved; it is a Lambda only because ASL cannot
 * validate formats, mask a number or compute epoch TTLs.
 */
import type { Context } from 'aws-lambda';
import { prepareReset, type PreparedReset } from '../domain/reset-start';
import { resetPolicy } from '../configuration/environment';
import { createLogger } from '../observability/logger';

const policy = resetPolicy();
const logger = createLogger('password-reset');

export const handler = async (event: unknown, context: Context): Promise<PreparedReset> => {
  logger.addContext(context);
  const prepared = prepareReset(event, new Date(), policy);
  if (!prepared.valid) logger.warn('reset start input rejected', { sessionId: prepared.sessionId });
  return prepared;
};
