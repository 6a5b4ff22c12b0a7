/**
 * The twin's EventBridge: PutEvents onto the project's buses, rule matching with the same rule
 * objects CDK deploys, and at-least-once delivery to Lambda targets with retries and a dead-letter
 * file. Every accepted event is archived to `events.jsonl`, as the bus archive keeps it in AWS.
 */
import { randomUUID } from 'node:crypto';
import { matchesPattern } from './event-pattern-matcher';
import { EVENT_BUS_NAME, type RuleDefinition } from '../../events/rule-catalogue';
import type { LambdaHost } from '../lambda/lambda-host';
import { readJsonLines, type JsonlFile } from '../retention/jsonl-file';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * A rule's Lambda target, as AWS runs it: EventBridge hands the event to Lambda asynchronously, and Lambda
 * runs the function, retrying a function error (ASYNC_INVOCATION in events/rule-catalogue.ts); an event whose
 * attempts all fail goes to the function's on-failure destination, the twin's dead-letter file.
 */
export interface DeliveryPolicy {
  /** Lambda's attempts at the invocation, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles on each further retry. */
  baseDelayMs: number;
}

export class EventBus {
  readonly buses = new Set(['default', EVENT_BUS_NAME]);
  private readonly rules: RuleDefinition[];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners = new Set<(event: BusEvent) => void>();

  constructor(
    rules: readonly RuleDefinition[],
    private readonly options: {
      lambdaHost: LambdaHost;
      archive: JsonlFile;
      deadLetters: JsonlFile;
      replayedLetters: JsonlFile;
      delivery: DeliveryPolicy;
    },
  ) {
    this.rules = [...rules];
  }

  addRule(rule: RuleDefinition): void {
    this.rules.push(rule);
  }

  listRules(busName = EVENT_BUS_NAME): RuleDefinition[] {
    return busName === EVENT_BUS_NAME ? [...this.rules] : [];
  }

  ruleArn(rule: RuleDefinition): string {
    return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${EVENT_BUS_NAME}/${rule.name}`;
  }

  /** Observes every accepted event (the console's live view, tests). */
  subscribe(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  putEvents(entries: readonly PutEventsEntry[]): PutEventsResultEntry[] {
    return entries.map((entry) => {
      const accepted = this.accept(entry);
      if ('ErrorCode' in accepted) return accepted;
      this.options.archive.append(accepted);
      for (const listener of this.listeners) listener(accepted);
      for (const rule of this.rules) {
        if (!matchesPattern(rule.eventPattern, accepted)) continue;
        for (const target of rule.targets) this.track(this.deliver(rule, target.id, target.functionName, accepted));
      }
      return { EventId: accepted.id };
    });
  }

  /**
   * Re-delivers the events in the dead-letter file to their rule targets, each dead letter once
   * (a replayed letter is remembered in `events-dlq-replayed.jsonl`). Returns how many were replayed.
   */
  async replayDeadLetters(): Promise<number> {
    await this.options.deadLetters.flush();
    const replayed = new Set(readJsonLines<{ key: string }>(this.options.replayedLetters.path).map((r) => r.key));
    let count = 0;
    for (const letter of readJsonLines<{ rule: string; targetId: string; event: BusEvent }>(this.options.deadLetters.path)) {
      const key = `${letter.rule}/${letter.targetId}/${letter.event.id}`;
      if (replayed.has(key)) continue;
      const rule = this.rules.find((r) => r.name === letter.rule);
      const target = rule?.targets.find((t) => t.id === letter.targetId);
      if (!rule || !target) continue;
      replayed.add(key);
      this.options.replayedLetters.append({ key, at: new Date().toISOString() });
      this.track(this.deliver(rule, target.id, target.functionName, letter.event));
      count += 1;
    }
    await this.drain();
    return count;
  }

  /** Resolves when every delivery started so far has succeeded or been dead-lettered. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private accept(entry: PutEventsEntry): BusEvent | { ErrorCode: string; ErrorMessage: string } {
    const bus = entry.EventBusName === undefined ? 'default' : String(entry.EventBusName).split('/').pop()!;
    if (!this.buses.has(bus)) return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    if (typeof entry.Source !== 'string' || entry.Source === '') return invalid('Parameter Source is not valid.');
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '') return invalid('Parameter DetailType is not valid.');
    if (typeof entry.Detail !== 'string') return invalid('Parameter Detail is not valid.');
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (!detail || typeof detail !== 'object' || Array.isArray(detail))
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail: detail as Record<string, unknown>,
    };
  }

  private async deliver(rule: RuleDefinition, targetId: string, functionName: string, event: BusEvent): Promise<void> {
    const { maxAttempts, baseDelayMs } = this.options.delivery;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const result = await this.options.lambdaHost.invoke(functionName, event);
      if (result.ok) return;
      lastError = `${result.error.errorType}: ${result.error.errorMessage}`;
      if (attempt < maxAttempts) await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** (attempt - 1)));
    }
    this.options.deadLetters.append({
      time: new Date().toISOString(),
      rule: rule.name,
      targetId,
      // Where AWS keeps it: the function's on-failure queue (the rule target's own queue is for events Lambda refused).
      destination: 'function-on-failure',
      functionName,
      attempts: maxAttempts,
      error: lastError,
      event,
    });
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }
}

function invalid(message: string): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: message };
}
