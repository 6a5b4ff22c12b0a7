/**
 * EventBridge delivers at least once: every consumer is wrapped with Powertools Idempotency
 * (DynamoDB persistence in the idempotency table), so a redelivered event is processed once and
 * answered from the stored result.
 *
 * The key is the detail type and the workflow execution that emitted it, not the event id: when
 * PutEvents reports a failed entry the workflow's retrier sends the whole batch again, and the entries
 * that had gone through come back with new ids
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html: FailedEntryCount > 0
 * raises EventBridge.FailedEntry). An execution emits each detail type at most once. Events with no
 * execution (SuspiciousActivity, derived by a consumer) fall back to their id.
 */
import type { Context } from 'aws-lambda';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { tableName } from '../configuration/environment';
import { isResetEvent, type ResetEvent } from '../../events/password-reset-events';

/** JMESPath over the EventBridge event: what makes two deliveries "the same event". */
export const IDEMPOTENCY_KEY = '["detail-type", detail.executionId || id]';

/**
 * `consumer` names the idempotency scope: each consumer processes a given event once, independently
 * of the others (and of the function's deployed name).
 */
export function idempotentConsumer<E extends { id: string }, R>(
  consumer: string,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: tableName('Idempotency') });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: IDEMPOTENCY_KEY,
    expiresAfterSeconds: 24 * 3600,
    throwOnNoIdempotencyKey: true,
  });
  const idempotent = makeIdempotent(handler, { persistenceStore, config, keyPrefix: `support-desk.${consumer}` });
  return async (event, context) => {
    config.registerLambdaContext(context);
    return idempotent(event, context);
  };
}

/**
 * A consumer of the given detail types: anything else is refused with a TypeError before it takes
 * an idempotency record (a rule that routes the wrong events here is a deployment bug to surface).
 */
export function resetEventConsumer<E extends ResetEvent, R>(
  consumer: string,
  detailTypes: ReadonlyArray<E['detail-type']>,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  const idempotent = idempotentConsumer(consumer, handler);
  return async (event, context) => {
    if (!event || !detailTypes.some((type) => isResetEvent(event, type)))
      throw new TypeError(`expected a ${detailTypes.join(' or ')} event`);
    return idempotent(event, context);
  };
}
