/**
 * Fault injection for the twin's emulators: answer the next N matching requests with an AWS-shaped
 * error (or drop the connection) instead of passing them to the emulator. Lets tests and benchmarks
 * exercise Retry/Catch and SDK retries against the real protocol, without mocks.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../time/clock';

export type FaultService = 'dynamodb' | 'ses' | 'sms' | 'eventbridge' | 'stepfunctions';

export interface FaultRule {
  service: FaultService;
  /** API operation, e.g. "PutItem" or "SendEmail"; all operations when absent. */
  operation?: string;
  /** AWS error code, e.g. "ProvisionedThroughputExceededException". Ignored when `drop` is set. */
  errorCode?: string;
  httpStatus?: number;
  message?: string;
  /** Close the connection without answering, as a crashed or unreachable service would. */
  drop?: boolean;
  /** Answer normally, but only after this many milliseconds (a slow dependency). */
  delayMs?: number;
  /** How many matching requests fail; Infinity until cleared. */
  count?: number;
}

interface ActiveRule extends FaultRule {
  remaining: number;
  hits: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  /** Delays run on the twin's clock, so a test with a fake clock decides when a slow answer arrives. */
  constructor(private readonly clock: Clock = systemClock) {}

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY, hits: 0 });
  }

  clear(service?: FaultService): void {
    this.rules = service ? this.rules.filter((r) => r.service !== service) : [];
  }

  list(): Array<FaultRule & { remaining: number; hits: number }> {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Consumes and returns the first rule matching this request, if any. */
  take(service: FaultService, operation: string): ActiveRule | undefined {
    const rule = this.rules.find((r) => r.service === service && r.remaining > 0 && (!r.operation || r.operation === operation));
    if (rule) {
      rule.remaining -= 1;
      rule.hits += 1;
    }
    return rule;
  }

  /**
   * Puts this injector in front of an emulator's HTTP server: matching requests fail, others reach
   * the emulator's own request listener unchanged (same server, no extra hop).
   */
  guard(server: Server, service: FaultService, operationOf: (req: IncomingMessage) => string): void {
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const rule = this.rules.length > 0 ? this.take(service, operationOf(req)) : undefined;
      if (!rule) {
        for (const listener of listeners) listener(req, res);
        return;
      }
      if (rule.delayMs !== undefined) {
        const timer = this.clock.setTimeout(() => {
          for (const listener of listeners) listener(req, res);
        }, rule.delayMs);
        res.on('close', () => this.clock.clearTimeout(timer));
        return;
      }
      req.resume();
      if (rule.drop) {
        req.socket.destroy();
        return;
      }
      const code = rule.errorCode ?? 'InternalFailure';
      const message = rule.message ?? `injected fault: ${code}`;
      res.writeHead(rule.httpStatus ?? 500, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': code,
        'x-amzn-requestid': `fault-${Date.now()}`,
      });
      res.end(JSON.stringify({ __type: code, message }));
    });
  }
}

/** Operation name of a request in the AWS JSON protocols (X-Amz-Target: "<Service>.<Operation>"). */
export function jsonProtocolOperation(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split('.').pop() ?? '';
}

/** Operation name of an SES v2 REST request. */
export function sesV2Operation(req: IncomingMessage): string {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (req.method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
  if (req.method === 'POST' && path === '/v2/email/outbound-bulk-emails') return 'SendBulkEmail';
  if (path.startsWith('/v2/email/templates')) return `${req.method ?? 'GET'}EmailTemplate`;
  return `${req.method ?? 'GET'} ${path}`;
}
