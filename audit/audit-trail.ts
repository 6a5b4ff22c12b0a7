/**
 * Reading the audit trail the way the security team asks: by employee (newest first) or by time
 * range (the `by-day` index, one partition per UTC day), optionally by outcome and by actor — always through the
 * table's keys and index, never a scan — in pages with an opaque cursor. Shared by the twin's
 * `GET /api/audit` and `npm run audit` (twin or AWS).
 */
import { QueryCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { verifyChain, type AuditRecord, type ChainBreak } from '../lambdas/domain/audit-chain';
import { ACTORS, type Actor } from '../lambdas/domain/actor';

export interface AuditQuery {
  employeeId?: string;
  /** An outcome (RESET, LOCKED, CODE_SENT, ...). */
  type?: string;
  /** Who acted: `caller` (records from before agents, which have no actor, included) or `agent`. */
  actor?: Actor;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export interface AuditPage {
  records: AuditRecord[];
  cursor?: string;
}

export class AuditQueryError extends Error {
  override name = 'AuditQueryError';
}

export const MAX_PAGE = 500;
const MAX_DAYS = 400;
const DAY_MS = 86_400_000;

type Cursor = { employee?: { seq: number } } | { day: string; key?: Record<string, unknown> };

export class AuditTrail {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async query(q: AuditQuery): Promise<AuditPage> {
    const limit = q.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw new AuditQueryError(`limit must be an integer in [1, ${MAX_PAGE}]`);
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - 7 * DAY_MS);
    if (from > to) throw new AuditQueryError('from must not be after to');
    if (q.actor !== undefined && !ACTORS.includes(q.actor)) throw new AuditQueryError(`actor must be one of ${ACTORS.join(', ')}`);
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const filter = recordFilter(q);
    return q.employeeId ? this.byEmployee(q.employeeId, from, to, filter, limit, cursor) : this.byTime(from, to, filter, limit, cursor);
  }

  /** Every record of one employee's chain, oldest first. */
  async chain(employeeId: string): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for await (const out of this.pages({
      TableName: this.table,
      KeyConditionExpression: 'employeeId = :e',
      ExpressionAttributeValues: { ':e': employeeId },
      ConsistentRead: true,
    })) {
      records.push(...((out.Items ?? []) as AuditRecord[]));
    }
    return records;
  }

  /** The newest record of one employee's chain (a consistent read), or undefined when it has none. */
  async head(employeeId: string): Promise<AuditRecord | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'employeeId = :e',
        ExpressionAttributeValues: { ':e': employeeId },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return out.Items?.[0] as AuditRecord | undefined;
  }

  /** Recomputes the hash chains of the given employees, or of everyone with a record in [from, to]. */
  async verify(options: {
    employeeId?: string;
    from: Date;
    to: Date;
  }): Promise<{ employees: number; records: number; breaks: ChainBreak[] }> {
    const employees = options.employeeId ? [options.employeeId] : await this.employeesBetween(options.from, options.to);
    let records = 0;
    const breaks: ChainBreak[] = [];
    for (const employeeId of employees) {
      const chain = await this.chain(employeeId);
      records += chain.length;
      breaks.push(...verifyChain(chain));
    }
    return { employees: employees.length, records, breaks };
  }

  /** Employees with at least one record in [from, to]. */
  async employeesBetween(from: Date, to: Date): Promise<string[]> {
    const employees = new Set<string>();
    for (const day of days(from, to)) {
      for await (const out of this.pages({
        TableName: this.table,
        IndexName: 'by-day',
        KeyConditionExpression: '#day = :day AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#day': 'day', '#at': 'at' },
        ExpressionAttributeValues: { ':day': day, ':from': from.toISOString(), ':to': to.toISOString() },
        ProjectionExpression: 'employeeId',
      })) {
        for (const item of out.Items ?? []) employees.add(String(item.employeeId));
      }
    }
    return [...employees].sort();
  }

  private async byEmployee(
    employeeId: string,
    from: Date,
    to: Date,
    filter: RecordFilter,
    limit: number,
    cursor: Cursor | undefined,
  ): Promise<AuditPage> {
    const records: AuditRecord[] = [];
    const resumeAt = cursor && 'employee' in cursor && cursor.employee ? { employeeId, seq: cursor.employee.seq } : undefined;
    for await (const out of this.pages({
      TableName: this.table,
      KeyConditionExpression: 'employeeId = :e',
      FilterExpression: ['#at BETWEEN :from AND :to', ...filter.conditions].join(' AND '),
      ExpressionAttributeNames: { '#at': 'at', ...filter.names },
      ExpressionAttributeValues: {
        ':e': employeeId,
        ':from': from.toISOString(),
        ':to': to.toISOString(),
        ...filter.values,
      },
      ScanIndexForward: false,
      ExclusiveStartKey: resumeAt,
    })) {
      for (const item of out.Items ?? []) {
        records.push(item as AuditRecord);
        if (records.length === limit) {
          return { records, ...(this.moreAfter(out, item) ? { cursor: encodeCursor({ employee: { seq: Number(item.seq) } }) } : {}) };
        }
      }
    }
    return { records };
  }

  private async byTime(from: Date, to: Date, filter: RecordFilter, limit: number, cursor: Cursor | undefined): Promise<AuditPage> {
    const allDays = days(from, to).reverse();
    if (allDays.length > MAX_DAYS) throw new AuditQueryError(`a time range may span at most ${MAX_DAYS} days`);
    const resumeDay = cursor && 'day' in cursor ? cursor.day : undefined;
    const records: AuditRecord[] = [];
    for (const day of resumeDay ? allDays.slice(allDays.indexOf(resumeDay)) : allDays) {
      for await (const out of this.pages({
        TableName: this.table,
        IndexName: 'by-day',
        KeyConditionExpression: '#day = :day AND #at BETWEEN :from AND :to',
        ...(filter.conditions.length ? { FilterExpression: filter.conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: { '#day': 'day', '#at': 'at', ...filter.names },
        ExpressionAttributeValues: {
          ':day': day,
          ':from': from.toISOString(),
          ':to': to.toISOString(),
          ...filter.values,
        },
        ScanIndexForward: false,
        ExclusiveStartKey: day === resumeDay && cursor && 'key' in cursor ? cursor.key : undefined,
      })) {
        for (const item of out.Items ?? []) {
          records.push(item as AuditRecord);
          if (records.length === limit) {
            const key = { day: item.day, at: item.at, employeeId: item.employeeId, seq: item.seq };
            return { records, cursor: encodeCursor({ day, key }) };
          }
        }
      }
    }
    return { records };
  }

  /** Every page of one query (the SDK's paginator follows LastEvaluatedKey). */
  private pages(input: QueryCommandInput) {
    return paginateQuery({ client: this.client }, input);
  }

  private moreAfter(out: { Items?: Array<Record<string, unknown>>; LastEvaluatedKey?: unknown }, item: Record<string, unknown>): boolean {
    return out.Items!.indexOf(item) < out.Items!.length - 1 || Boolean(out.LastEvaluatedKey);
  }
}

interface RecordFilter {
  conditions: string[];
  names: Record<string, string>;
  values: Record<string, string>;
}

/** The outcome and actor filters, as a FilterExpression's parts (the keys and index choose the records read). */
function recordFilter(q: Pick<AuditQuery, 'type' | 'actor'>): RecordFilter {
  const filter: RecordFilter = { conditions: [], names: {}, values: {} };
  if (q.type) {
    filter.conditions.push('outcome = :type');
    filter.values[':type'] = q.type;
  }
  if (q.actor) {
    // A record without an actor (format v1) was written before agents existed: a caller's.
    filter.conditions.push(q.actor === 'caller' ? '(attribute_not_exists(#actor) OR #actor = :actor)' : '#actor = :actor');
    filter.names['#actor'] = 'actor';
    filter.values[':actor'] = q.actor;
  }
  return filter;
}

/** UTC days (YYYY-MM-DD) from `from` to `to`, oldest first. */
export function days(from: Date, to: Date): string[] {
  const result: string[] = [];
  for (
    let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    t <= to.getTime() && result.length <= MAX_DAYS;
    t += DAY_MS
  ) {
    result.push(new Date(t).toISOString().slice(0, 10));
  }
  return result;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (!cursor || typeof cursor !== 'object') throw new Error('not an object');
    return cursor;
  } catch {
    throw new AuditQueryError('cursor is not valid');
  }
}

/** "7d", "24h", "30m" or an ISO date → a Date. */
export function parseSince(value: string, now = new Date()): Date {
  const relative = /^(\d+)([dhm])$/.exec(value);
  if (relative) {
    const unit = { d: DAY_MS, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AuditQueryError(`not a time: ${value} (use 7d, 24h, 30m or an ISO date)`);
  return date;
}
