/**
 * `npm run audit`: the audit trail for the security team, from the running twin (HELPDESK_URL,
 * default http://127.0.0.1:3000, which names its DynamoDB endpoint) or, with --aws, from the deployed
 * tables with the default AWS credentials. Reads through the table's key and index (no scans).
 *
 *   npm run audit -- --employee 1234567 --since 7d [--type RESET] [--format table|json|csv]
 *   npm run audit -- --since 1d                     everything in the last day
 *   npm run audit -- --verify [--employee ID] [--since 30d]   recompute the hash chains
 *   npm run audit -- ... --aws [--stage prod] [--region us-east-1]
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { AUDIT_COLUMNS, auditCsvLines } from '../audit/audit-csv';
import { AuditTrail, parseSince } from '../audit/audit-trail';
import type { AuditRecord } from '../lambdas/domain/audit-chain';
import { tableById } from '../catalogue/table-catalogue';

/** The table format shows the first seven columns; JSON and CSV carry them all. */
const TABLE_COLUMNS = AUDIT_COLUMNS.slice(0, 7);

async function client(options: { aws: boolean; region?: string; stage: string }): Promise<{ trail: AuditTrail; where: string }> {
  const table = tableById('Audit').tableName;
  if (options.aws) {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(options.region ? { region: options.region } : {}));
    return { trail: new AuditTrail(db, `${table}-${options.stage}`), where: `AWS table ${table}-${options.stage}` };
  }
  const base = (process.env.HELPDESK_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  let endpoint: string;
  try {
    const health = (await (await fetch(`${base}/api/health`)).json()) as { endpoints: { dynamodb: string } };
    endpoint = health.endpoints.dynamodb;
  } catch {
    throw new Error(`the twin is not answering at ${base} (start it with npm start, or use --aws)`);
  }
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  return { trail: new AuditTrail(db, table), where: `the twin at ${base}` };
}

function print(records: AuditRecord[], format: string): void {
  if (format === 'json') {
    console.log(JSON.stringify(records, null, 2));
  } else if (format === 'csv') {
    console.log(auditCsvLines(records).join('\n'));
  } else {
    const rows = records.map((r) => TABLE_COLUMNS.map((c) => String(r[c] ?? '')));
    const header = TABLE_COLUMNS.map(String);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
    console.log(`${records.length} record(s)`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      employee: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      type: { type: 'string' },
      format: { type: 'string', default: 'table' },
      verify: { type: 'boolean', default: false },
      aws: { type: 'boolean', default: false },
      stage: { type: 'string', default: 'prod' },
      region: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run audit -- [--employee ID] [--since 7d] [--until ISO] [--type OUTCOME] [--format table|json|csv] [--verify] [--aws [--stage prod] [--region R]]',
    );
    return 0;
  }
  if (!['table', 'json', 'csv'].includes(values.format!)) throw new Error('--format must be table, json or csv');
  if (values.employee !== undefined && !/^\d{7}$/.test(values.employee)) throw new Error('--employee must be 7 digits');
  const { trail, where } = await client({ aws: values.aws!, stage: values.stage!, ...(values.region ? { region: values.region } : {}) });
  const to = values.until ? parseSince(values.until) : new Date();
  const from = parseSince(values.since ?? (values.verify ? '30d' : '7d'));

  if (values.verify) {
    const { employees, records, breaks } = await trail.verify({ ...(values.employee ? { employeeId: values.employee } : {}), from, to });
    for (const b of breaks) console.log(`BROKEN employee ${b.employeeId} record ${b.seq} (event ${b.eventId}): ${b.problem}: ${b.detail}`);
    console.log(
      breaks.length
        ? `${breaks.length} break(s) in ${employees} chain(s) from ${where}`
        : `OK: ${employees} chain(s), ${records} record(s) verified from ${where}`,
    );
    return breaks.length ? 1 : 0;
  }

  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await trail.query({
      ...(values.employee ? { employeeId: values.employee } : {}),
      ...(values.type ? { type: values.type } : {}),
      from,
      to,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    records.push(...page.records);
    cursor = page.cursor;
  } while (cursor);
  print(records, values.format!);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit: ${(error as Error).message}`);
    process.exit(2);
  },
);
