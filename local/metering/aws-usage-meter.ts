/**
 * Counts what the twin's AWS side is asked to do, per service and operation, with the units AWS bills
 * (issue #21, `npm run bench:cost`): requests, DynamoDB request units, Lambda invocations with their
 * configured memory and duration, Express workflow executions with their billed duration and memory,
 * events, e-mails, texts, log bytes. On only when the twin is started with HELPDESK_METERING=1 (it
 * parses every metered request and answer: no cost on the twin's hot path otherwise).
 *
 * Read through GET /api/metering (and reset with POST /api/metering/reset): the benchmark divides a
 * snapshot by the resets it completed and prices it (bench/aws-prices.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { capacityOf } from './dynamodb-capacity';

/** Billable quantities of one operation; absent ones are zero. */
export interface Usage {
  requests?: number;
  readRequestUnits?: number;
  writeRequestUnits?: number;
  /** Lambda: configured memory × duration, rounded up to the millisecond (GB-seconds). */
  gbSeconds?: number;
  durationMs?: number;
  /** EventBridge: events published (each entry of ≤ 64 KB is one). */
  events?: number;
  /** Bytes ingested by CloudWatch Logs. */
  logBytes?: number;
}

export type UsageLine = Required<Usage> & { service: string; operation: string };

const EMPTY: Required<Usage> = {
  requests: 0,
  readRequestUnits: 0,
  writeRequestUnits: 0,
  gbSeconds: 0,
  durationMs: 0,
  events: 0,
  logBytes: 0,
};

export class AwsUsageMeter {
  private readonly lines = new Map<string, UsageLine>();

  record(service: string, operation: string, usage: Usage = {}): void {
    const key = `${service}\u0000${operation}`;
    const line = this.lines.get(key) ?? { service, operation, ...EMPTY };
    line.requests += usage.requests ?? 1;
    for (const field of ['readRequestUnits', 'writeRequestUnits', 'gbSeconds', 'durationMs', 'events', 'logBytes'] as const)
      line[field] += usage[field] ?? 0;
    this.lines.set(key, line);
  }

  snapshot(): UsageLine[] {
    return [...this.lines.values()]
      .map((line) => ({ ...line }))
      .sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  }

  reset(): void {
    this.lines.clear();
  }
}

function json(chunks: Buffer[]): Record<string, unknown> {
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Meters every request a server answers: its operation, and (with `usage`) the billable units read from
 * the request and the answer. Call it after the server's owner attached its request listener (and before
 * the loopback guard, which refuses what never reaches AWS). The request body is observed alongside the
 * owner's own reading ('data' listeners all see every chunk; the owners attach theirs synchronously).
 */
export function meterServer(
  server: Server,
  service: string,
  operationOf: (req: IncomingMessage) => string,
  meter: AwsUsageMeter,
  usage?: (operation: string, request: Record<string, unknown>, response: Record<string, unknown>, status: number) => Usage,
): void {
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const operation = operationOf(req);
    const requestChunks: Buffer[] = [];
    const responseChunks: Buffer[] = [];
    if (usage) {
      req.on('data', (chunk: Buffer) => requestChunks.push(Buffer.from(chunk)));
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const keep = (chunk: unknown) => {
        if (typeof chunk === 'string') responseChunks.push(Buffer.from(chunk));
        else if (chunk instanceof Uint8Array) responseChunks.push(Buffer.from(chunk));
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        keep(chunk);
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (typeof chunk !== 'function') keep(chunk);
        return end(chunk, ...rest);
      }) as typeof res.end;
    }
    res.on('finish', () => {
      meter.record(service, operation, usage ? usage(operation, json(requestChunks), json(responseChunks), res.statusCode) : {});
    });
    for (const listener of listeners) listener.call(server, req, res);
  });
}

/** DynamoDB's units: a data operation that succeeded, or a write refused by its condition (still charged). */
export function dynamoDbUsage(
  operation: string,
  request: Record<string, unknown>,
  response: Record<string, unknown>,
  status: number,
): Usage {
  const conditionFailed = status === 400 && String(response.__type ?? '').endsWith('ConditionalCheckFailedException');
  if (status !== 200 && !conditionFailed) return {};
  return capacityOf(operation, request, status === 200 ? response : {});
}

/** Step Functions: an Express execution's billed duration and memory, as StartSyncExecution reports them. */
export function stepFunctionsUsage(operation: string, _request: Record<string, unknown>, response: Record<string, unknown>): Usage {
  if (operation !== 'StartSyncExecution') return {};
  const billing = response.billingDetails as { billedMemoryUsedInMB?: number; billedDurationInMilliseconds?: number } | undefined;
  const ms = billing?.billedDurationInMilliseconds ?? 0;
  return { durationMs: ms, gbSeconds: (ms / 1000) * ((billing?.billedMemoryUsedInMB ?? 64) / 1024) };
}

/** EventBridge: one event per entry (entries here are far below 64 KB). */
export function eventBridgeUsage(operation: string, request: Record<string, unknown>): Usage {
  return operation === 'PutEvents' ? { events: Array.isArray(request.Entries) ? request.Entries.length : 0 } : {};
}
