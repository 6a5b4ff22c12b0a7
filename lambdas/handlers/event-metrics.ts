/**
 * Consumer of every Support Desk event: a Powertools (EMF) metric per event type, once with only the
 * service dimension (what the dashboard and alarms use) and once with low-cardinality dimensions
 * (locale, reason) for breakdowns. Idempotent on the event id, so a redelivered event counts once.
 */
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { idempotentConsumer } from '../aws/idempotent-consumer';
import { instrumented, observability } from '../observability/instrumented-handler';
import { DETAIL_TYPES, SECURITY_DETAIL_TYPES, type ResetEvent } from '../../events/password-reset-events';

const tools = observability();
const KNOWN = new Set<string>([...DETAIL_TYPES, ...SECURITY_DETAIL_TYPES]);

const count = idempotentConsumer('event-metrics', async (event: ResetEvent) => {
  const type = event['detail-type'];
  const detail = event.detail as unknown as Record<string, unknown>;
  tools.metrics.addMetric(type, MetricUnit.Count, 1);
  const breakdown = tools.metrics.singleMetric();
  if (typeof detail.locale === 'string') breakdown.addDimension('locale', detail.locale);
  const reason = typeof detail.reason === 'string' ? detail.reason : typeof detail.kind === 'string' ? detail.kind : 'NONE';
  breakdown.addDimension('reason', reason);
  breakdown.addMetric(`${type}ByReason`, MetricUnit.Count, 1);
  return { counted: type };
});

export const handler = instrumented(tools, async (event: ResetEvent, context: Context) => {
  if (!event || typeof event['detail-type'] !== 'string' || !KNOWN.has(event['detail-type'])) {
    tools.logger.warn('ignored an event of unknown type', { detailType: String(event?.['detail-type']) });
    return { counted: null };
  }
  return count(event, context);
});
