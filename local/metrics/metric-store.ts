/**
 * The twin's CloudWatch metrics: reads the Embedded Metric Format records handlers print (Powertools
 * Metrics) as CloudWatch would, and keeps sums per metric and dimension set, per minute.
 * `GET /api/metrics` serves them. Written by hand: CloudWatch has no local emulator.
 */

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit?: string }>;
}

export interface MetricSeries {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  unit: string;
  sum: number;
  count: number;
  /** minute (ISO, truncated) → sum in that minute */
  perMinute: Map<string, number>;
  /** minute → the values observed in it (bounded), for percentiles */
  valuesPerMinute: Map<string, number[]>;
  values: number[];
}

const MAX_VALUES = 5000;

export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();

  /** Feeds one log record; anything that is not EMF is ignored. */
  ingest(message: unknown): void {
    if (!message || typeof message !== 'object') return;
    const record = message as Record<string, unknown> & { _aws?: { Timestamp?: number; CloudWatchMetrics?: EmfDirective[] } };
    const directives = record._aws?.CloudWatchMetrics;
    if (!Array.isArray(directives)) return;
    const minute = new Date(Math.floor((record._aws?.Timestamp ?? Date.now()) / 60_000) * 60_000).toISOString();
    for (const directive of directives) {
      for (const dimensionSet of directive.Dimensions ?? [[]]) {
        const dimensions = Object.fromEntries(dimensionSet.map((d) => [d, String(record[d] ?? '')]));
        for (const metric of directive.Metrics ?? []) {
          const raw = record[metric.Name];
          const values = (Array.isArray(raw) ? raw : [raw]).map(Number).filter((v) => Number.isFinite(v));
          if (values.length === 0) continue;
          const key = JSON.stringify([directive.Namespace, metric.Name, dimensions]);
          let s = this.series.get(key);
          if (!s) {
            s = this.create(directive.Namespace, metric.Name, dimensions, metric.Unit ?? 'None');
            this.series.set(key, s);
          }
          for (const v of values) this.add(s, minute, v);
        }
      }
    }
  }

  /** A measurement the twin itself takes (e.g. the latency of a caller's turn). */
  observe(namespace: string, name: string, dimensions: Record<string, string>, unit: string, value: number, at = Date.now()): void {
    const key = JSON.stringify([namespace, name, dimensions]);
    let s = this.series.get(key);
    if (!s) {
      s = this.create(namespace, name, dimensions, unit);
      this.series.set(key, s);
    }
    this.add(s, new Date(Math.floor(at / 60_000) * 60_000).toISOString(), value);
  }

  private create(namespace: string, name: string, dimensions: Record<string, string>, unit: string): MetricSeries {
    return { namespace, name, dimensions, unit, sum: 0, count: 0, perMinute: new Map(), valuesPerMinute: new Map(), values: [] };
  }

  private add(s: MetricSeries, minute: string, v: number): void {
    s.sum += v;
    s.count += 1;
    s.perMinute.set(minute, (s.perMinute.get(minute) ?? 0) + v);
    const inMinute = s.valuesPerMinute.get(minute) ?? [];
    if (inMinute.length < MAX_VALUES) inMinute.push(v);
    s.valuesPerMinute.set(minute, inMinute);
    s.values.push(v);
    if (s.values.length > MAX_VALUES) s.values.splice(0, s.values.length - MAX_VALUES);
  }

  all(): MetricSeries[] {
    return [...this.series.values()];
  }

  /** Sum of a metric over the series with exactly these dimensions (undefined: any). */
  sum(name: string, dimensions?: Record<string, string>): number {
    return this.all()
      .filter((s) => s.name === name && (!dimensions || JSON.stringify(s.dimensions) === JSON.stringify(dimensions)))
      .reduce((total, s) => total + s.sum, 0);
  }
}
