/**
 * `npm run bench:audit-verify`: how long `npm run audit -- --verify` takes on an untouched trail after
 * N resets (default 1,000; `-- --resets 1000`). The resets run through the twin's workflows (start +
 * verify pairs, 20 at a time), a digest is written by the real writer, then the verification (records,
 * chains, digests, signatures) runs three times with the twin's DynamoDB, S3 and KMS; it must find nothing.
 */
import { textedCode } from './texted-code';
import '../local/polyfills';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { startTwin } from '../local/twin';
import { syntheticEmployee } from '../local/seed/demo-employees';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../state-machines/state-machine-catalogue';
import { localClientConfig } from '../local/local-credentials';
import { localS3ClientConfig } from '../local/s3/s3-endpoint';
import { AUDIT_DIGEST_BUCKET } from '../local/s3/audit-digest-bucket';
import { AUDIT_DIGEST_KEY_ALIAS } from '../local/kms/kms-endpoint';
import { AuditTrail } from '../audit/audit-trail';
import { verifyAuditTrail } from '../audit/audit-verification';
import { AuditDigestBucket } from '../lambdas/aws/audit-digest-bucket';
import { digestPublicKey } from '../lambdas/aws/audit-digest-signer';
import { tableById } from '../catalogue/table-catalogue';
import { respondBy } from '../lambdas/domain/deadline';
import { TIME_BUDGET } from '../lambdas/configuration/time-budget';
import { report, summarize } from './benchmark-report';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const resets = Number(option('resets', '1000'));
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-bench-audit-'));
  const twin = await startTwin({ dataDir, port: 0, seedEmployees: resets, auditDigestIntervalMinutes: 0 });
  const sfn = new SFNClient({ ...localClientConfig(twin.endpoints.stepfunctions), disableHostPrefix: true, maxAttempts: 1 });
  const run = async (workflow: string, input: unknown) => {
    const out = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: twin.stepFunctions.machineArn(workflow), input: JSON.stringify(input) }),
    );
    if (out.status !== 'SUCCEEDED') throw new Error(`${workflow}: ${out.error}`);
    return JSON.parse(out.output!) as Record<string, unknown>;
  };
  let next = 0;
  const onePair = async () => {
    const index = next++;
    const employee = syntheticEmployee(index);
    const started = await run(START_WORKFLOW, {
      contactId: `bench-${index}`,
      employeeId: employee.employeeId,
      callerNumber: `+1555777${String(index).padStart(4, '0')}`,
      locale: 'en-US',
    });
    const code = await textedCode(twin, employee.mobile!);
    const verified = await run(VERIFY_WORKFLOW, {
      sessionId: started.sessionId,
      code,
      contactId: `bench-${index}`,
      respondBy: respondBy(TIME_BUDGET.verifyWorkflowCallMs, TIME_BUDGET.responseMarginMs, Date.now()),
    });
    if (verified.status !== 'RESET') throw new Error(`verify: ${String(verified.status)}`);
  };
  const began = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < resets) await onePair();
    }),
  );
  await twin.settle();
  const resetSeconds = (performance.now() - began) / 1000;

  const digestStarted = performance.now();
  const written = await twin.lambdas.invoke('write-audit-digest', {});
  if (!written.ok) throw new Error(`digest: ${written.error.errorMessage}`);
  const digestMs = performance.now() - digestStarted;

  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(twin.endpoints.dynamodb)));
  const s3 = new S3Client(localS3ClientConfig(twin.endpoints.s3));
  const kms = new KMSClient(localClientConfig(twin.endpoints.kms));
  const publicKey = await digestPublicKey(AUDIT_DIGEST_KEY_ALIAS, kms);
  const timings: number[] = [];
  let last: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last = await verifyAuditTrail({
      trail: new AuditTrail(db, tableById('Audit').tableName),
      digests: new AuditDigestBucket(AUDIT_DIGEST_BUCKET, s3),
      publicKey,
      from: new Date(Date.now() - 86_400_000),
      to: new Date(),
      digestIntervalMinutes: 5,
    });
    timings.push(performance.now() - t0);
  }
  if (!last || last.findings.length) throw new Error(`the untouched trail did not verify: ${JSON.stringify(last?.findings.slice(0, 3))}`);
  db.destroy();
  s3.destroy();
  kms.destroy();
  sfn.destroy();
  await twin.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const t = summarize(timings);
  report(
    'Audit verification after resets',
    `npm run bench:audit-verify -- --resets ${resets}`,
    [
      {
        resets,
        'chains verified': last.employees,
        'records verified': last.records,
        digests: last.digests,
        findings: last.findings.length,
        'digest write ms': Number(digestMs.toFixed(0)),
        'verify ms (median of 3)': Number(t.p50.toFixed(0)),
        'verify ms (max)': Number(t.max.toFixed(0)),
        'resets took s': Number(resetSeconds.toFixed(1)),
      },
    ],
    [
      'verify: the by-day index for the employees, one consistent Query per chain, every digest version listed, read and its signature checked with the public key',
      'client, twin and emulators share the same 2 cores',
    ],
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
