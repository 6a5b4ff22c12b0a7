/**
 * What every handler gets (Powertools without middy): a Logger with secrets redacted and the Lambda
 * context attached, Metrics (EMF; namespace and service from POWERTOOLS_* variables) with the
 * cold-start metric, and stored metrics flushed after each invocation.
 */
import type { Context } from 'aws-lambda';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { createLogger } from './logger';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/** One set per handler module (the twin runs many handlers in one process). */
export function observability(): Observability {
  return { logger: createLogger(), metrics: new Metrics() };
}

export function instrumented<E, R>(
  tools: Observability,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    tools.logger.addContext(context);
    tools.metrics.captureColdStartMetric(context?.functionName);
    try {
      return await handler(event, context);
    } finally {
      if (tools.metrics.hasStoredMetrics()) tools.metrics.publishStoredMetrics();
    }
  };
}
