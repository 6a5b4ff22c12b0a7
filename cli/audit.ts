/**
 * `npm run audit`: the audit trail for the security team, from the running twin (HELPDESK_URL,
 * default http://127.0.0.1:3000, which names its DynamoDB endpoint) or, with --aws, from the deployed
 * tables with the default AWS credentials. Reads through the table's key and index (no scans).
 *
 *   npm run audit -- --employee 1234567 --since 7d [--type RESET] [--actor caller|agent] [--format table|json|csv]
 *   npm run audit -- --since 1d                     everything in the last day
 *   npm run audit -- --verify [--employee ID] [--since 30d] [--public-key key.pem]
 *       the records against their chains, the chains against the signed digests, the digests against
 *       the public key and each other (audit/audit-verification.ts); read access only
 *   npm run audit -- --digest                        write a digest now (the writer also runs every 5 minutes)
 *   npm run audit -- --public-key-out key.pem        save the digest key's public key, to verify offline later
 *   npm run audit -- ... --aws [--stage prod] [--region us-east-1]
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { type AUDIT_COLUMNS, auditCsvLines } from '../audit/audit-csv';
import { AuditTrail, parseSince } from '../audit/audit-trail';
import { reportLines, verifyAuditTrail } from '../audit/audit-verification';
import { AuditDigestBucket } from '../lambdas/aws/audit-digest-bucket';
import { digestPublicKey } from '../lambdas/aws/audit-digest-signer';
import { DIGEST_INTERVAL_MINUTES } from '../lambdas/domain/audit-digest';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AuditRecord } from '../lambdas/domain/audit-chain';
import { ACTORS, type Actor } from '../lambdas/domain/actor';
import { tableById } from '../catalogue/table-catalogue';

/** The table format shows these columns; JSON and CSV carry them all (AUDIT_COLUMNS). */
const TABLE_COLUMNS = [
  'at',
  'employeeId',
  'seq',
  'step',
  'outcome',
  'reason',
  'callerNumberMasked',
  'actor',
  'agentId',
] as const satisfies ReadonlyArray<(typeof AUDIT_COLUMNS)[number]>;

interface Sources {
  trail: AuditTrail;
  where: string;
  digests: AuditDigestBucket;
  kms: KMSClient;
  digestKeyId: string;
  /** Writes a digest now (the twin's API, or the deployed writer function). */
  writeDigest(): Promise<unknown>;
}

async function sources(options: { aws: boolean; region?: string; stage: string }): Promise<Sources> {
  const table = tableById('Audit').tableName;
  if (options.aws) {
    const region = options.region ? { region: options.region } : {};
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(region));
    // The Data stack names the digest bucket and key in its outputs.
    const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    const stack = `SupportDesk-${options.stage}-Data`;
    const outputs =
      (await new CloudFormationClient(region).send(new DescribeStacksCommand({ StackName: stack }))).Stacks?.[0]?.Outputs ?? [];
    const output = (key: string) => {
      const value = outputs.find((o) => o.OutputKey === key)?.OutputValue;
      if (!value) throw new Error(`stack ${stack} has no output ${key}: is the stage deployed?`);
      return value;
    };
    const functionName = `support-desk-write-audit-digest-${options.stage}`;
    return {
      trail: new AuditTrail(db, `${table}-${options.stage}`),
      where: `AWS stage ${options.stage}`,
      digests: new AuditDigestBucket(output('AuditDigestBucketName'), new S3Client(region)),
      kms: new KMSClient(region),
      digestKeyId: output('AuditDigestKeyArn'),
      writeDigest: async () => {
        const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
        const out = await new LambdaClient(region).send(new InvokeCommand({ FunctionName: functionName }));
        const payload = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8') || '{}') as unknown;
        if (out.FunctionError) throw new Error(`${functionName} failed: ${JSON.stringify(payload)}`);
        return payload;
      },
    };
  }
  const base = (process.env.HELPDESK_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  let health: { endpoints: { dynamodb: string; s3: string; kms: string }; audit: { digestBucket: string; digestKeyId: string } };
  try {
    health = (await (await fetch(`${base}/api/health`)).json()) as typeof health;
  } catch {
    throw new Error(`the twin is not answering at ${base} (start it with npm start, or use --aws)`);
  }
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: health.endpoints.dynamodb }));
  return {
    trail: new AuditTrail(db, table),
    where: `the twin at ${base}`,
    digests: new AuditDigestBucket(
      health.audit.digestBucket,
      new S3Client({ ...local, endpoint: health.endpoints.s3, forcePathStyle: true }),
    ),
    kms: new KMSClient({ ...local, endpoint: health.endpoints.kms }),
    digestKeyId: health.audit.digestKeyId,
    writeDigest: async () => {
      const res = await fetch(`${base}/api/audit/digest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = (await res.json()) as unknown;
      if (!res.ok) throw new Error(`the twin refused: ${JSON.stringify(body)}`);
      return body;
    },
  };
}

/** A public key file: PEM, or DER (SubjectPublicKeyInfo, as kms:GetPublicKey returns it). */
function publicKeyFile(path: string): string | Uint8Array {
  const bytes = readFileSync(path);
  return bytes.toString('utf8').includes('-----BEGIN PUBLIC KEY-----') ? bytes.toString('utf8') : new Uint8Array(bytes);
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
      actor: { type: 'string' },
      format: { type: 'string', default: 'table' },
      verify: { type: 'boolean', default: false },
      digest: { type: 'boolean', default: false },
      'public-key': { type: 'string' },
      'public-key-out': { type: 'string' },
      aws: { type: 'boolean', default: false },
      stage: { type: 'string', default: 'prod' },
      region: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run audit -- [--employee ID] [--since 7d] [--until ISO] [--type OUTCOME] [--actor caller|agent] [--format table|json|csv] [--verify [--public-key file]] [--digest] [--public-key-out file] [--aws [--stage prod] [--region R]]',
    );
    return 0;
  }
  if (!['table', 'json', 'csv'].includes(values.format!)) throw new Error('--format must be table, json or csv');
  if (values.employee !== undefined && !/^\d{7}$/.test(values.employee)) throw new Error('--employee must be 7 digits');
  if (values.actor !== undefined && !ACTORS.includes(values.actor as Actor)) throw new Error(`--actor must be ${ACTORS.join(' or ')}`);
  const src = await sources({ aws: values.aws!, stage: values.stage!, ...(values.region ? { region: values.region } : {}) });
  const { trail, where } = src;
  const to = values.until ? parseSince(values.until) : new Date();
  const from = parseSince(values.since ?? (values.verify ? '30d' : '7d'));

  if (values.digest) {
    console.log(JSON.stringify(await src.writeDigest()));
    return 0;
  }
  if (values['public-key-out']) {
    const der = await digestPublicKey(src.digestKeyId, src.kms);
    writeFileSync(
      values['public-key-out'],
      createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }),
    );
    console.log(`public key of ${src.digestKeyId} written to ${values['public-key-out']}`);
    return 0;
  }
  if (values.verify) {
    // The public key from a file works offline; otherwise kms:GetPublicKey (read-only).
    const publicKey = values['public-key'] ? publicKeyFile(values['public-key']) : await digestPublicKey(src.digestKeyId, src.kms);
    const report = await verifyAuditTrail({
      trail,
      digests: src.digests,
      publicKey,
      from,
      to,
      ...(values.employee ? { employeeId: values.employee } : {}),
      digestIntervalMinutes: Number(process.env.AUDIT_DIGEST_INTERVAL_MINUTES ?? DIGEST_INTERVAL_MINUTES),
    });
    for (const line of reportLines(report, where)) console.log(line);
    return report.findings.length || report.empty ? 1 : 0;
  }

  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await trail.query({
      ...(values.employee ? { employeeId: values.employee } : {}),
      ...(values.type ? { type: values.type } : {}),
      ...(values.actor ? { actor: values.actor as Actor } : {}),
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
