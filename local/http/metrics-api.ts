/**
 * `GET /api/metrics`: the twin's CloudWatch metrics — counters per event type (the service-level
 * series the dashboard and alarms use) and every series with its per-minute sums.
 */
import { SERVICE_NAME } from '../../lambdas/configuration/function-environment';
import type { MetricStore } from '../metrics/metric-store';
import type { ApiRouter } from './api-router';

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function registerMetricsApi(router: ApiRouter, store: MetricStore): void {
  router.on('GET', '/api/metrics', (req) => {
    const name = req.query.get('name');
    const series = store.all().filter((s) => !name || s.name === name);
    const counters: Record<string, number> = {};
    for (const s of series) {
      if (JSON.stringify(s.dimensions) === JSON.stringify({ service: SERVICE_NAME })) counters[s.name] = (counters[s.name] ?? 0) + s.sum;
    }
    return {
      body: {
        counters,
        series: series.map((s) => ({
          namespace: s.namespace,
          name: s.name,
          dimensions: s.dimensions,
          unit: s.unit,
          sum: s.sum,
          count: s.count,
          perMinute: [...s.perMinute.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([minute, sum]) => ({ minute, sum, p95: percentile(s.valuesPerMinute.get(minute) ?? [], 95) })),
          p95: percentile(s.values, 95),
        })),
      },
    };
  });
}
