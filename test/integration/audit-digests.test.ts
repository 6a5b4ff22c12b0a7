/**
 * The audit trail proves itself (issue #18): resets through the real workflows, a digest written by the
 * real writer (signed by the twin's KMS, kept in the twin's Object Lock S3), then one tamper per test on
 * its own employee, each caught by the verifier and named. The verifier reads only, with only the
 * public key; `npm run audit -- --verify` names them all and exits 1.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createPublicKey } from 'node:crypto';
import { startTestTwin, localClient } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { AuditTrail } from '../../audit/audit-trail';
import { verifyAuditTrail, type VerificationReport } from '../../audit/audit-verification';
import { AuditDigestBucket } from '../../lambdas/aws/audit-digest-bucket';
import { digestPublicKey } from '../../lambdas/aws/audit-digest-signer';
import { auditHash, CHAINED_FIELDS_V1, chainFieldsOf, GENESIS, type AuditRecord } from '../../lambdas/domain/audit-chain';
import { tableById } from '../../catalogue/table-catalogue';
import { scratchDir } from '../support/scratch-dir';

const ROOT = resolve(__dirname, '../..');
const AUDIT = tableById('Audit').tableName;
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
const scratch = scratchDir('support-desk-files-');
let driver: WorkflowDriver;
let s3: S3Client;
let kms: KMSClient;
let bucketName: string;
let digests: AuditDigestBucket;
let publicKeyPem: string;

/** Employees 0..7 reset once each; each tamper below takes its own. */
const EMPLOYEES = Array.from({ length: 8 }, (_, i) => syntheticEmployee(i));

async function reset(i: number): Promise<void> {
  const employee = EMPLOYEES[i]!;
  const started = await driver.start({ employeeId: employee.employeeId, callerNumber: `+1555030${String(i).padStart(4, '0')}` });
  const outcome = await driver.verify(started.sessionId, await driver.latestCode(employee));
  expect(outcome.status).toBe('RESET');
}

async function writeDigest(): Promise<{ key: string; heads: number }> {
  const res = await fetch(`${twin.url}/api/audit/digest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(200);
  return (await res.json()) as { key: string; heads: number };
}

function verify(options: { employeeId?: string } = {}): Promise<VerificationReport> {
  return verifyAuditTrail({
    trail: new AuditTrail(driver.db, AUDIT),
    digests,
    publicKey: publicKeyPem,
    from: new Date(Date.now() - 86_400_000),
    to: new Date(),
    digestIntervalMinutes: 5,
    ...options,
  });
}

const findingsFor = (report: VerificationReport, employeeId: string) =>
  report.findings.filter((f) => f.where.includes(`employee ${employeeId}`)).map((f) => f.problem);

async function chain(employeeId: string): Promise<AuditRecord[]> {
  return new AuditTrail(driver.db, AUDIT).chain(employeeId);
}

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 12 });
  driver = new WorkflowDriver(twin);
  const health = (await (await fetch(`${twin.url}/api/health`)).json()) as { audit: { digestBucket: string; digestKeyId: string } };
  bucketName = health.audit.digestBucket;
  s3 = new S3Client({ ...localClient(twin.endpoints.s3), forcePathStyle: true });
  kms = new KMSClient(localClient(twin.endpoints.kms));
  digests = new AuditDigestBucket(bucketName, s3);
  // The verifier's only key material: the public key, fetched once (it could come from a file).
  const der = await digestPublicKey(health.audit.digestKeyId, kms);
  publicKeyPem = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
    .export({ format: 'pem', type: 'spki' })
    .toString();
  for (let i = 0; i < EMPLOYEES.length; i++) await reset(i);
  await twin.settle();
  const first = await writeDigest();
  expect(first.heads).toBe(EMPLOYEES.length);
}, 120_000);

afterAll(async () => {
  s3.destroy();
  kms.destroy();
  driver.close();
  await twin.cleanup();
});

it('an untouched trail verifies: every chain anchored, every digest signed and linked', async () => {
  await writeDigest();
  const report = await verify();
  expect(report.findings).toEqual([]);
  expect(report).toMatchObject({ employees: EMPLOYEES.length, records: 2 * EMPLOYEES.length, unanchored: 0, empty: false });
  expect(report.digests).toBeGreaterThanOrEqual(2);
});

it('a record newer than the last digest is reported as not yet anchored, not as verified by a digest', async () => {
  const employee = EMPLOYEES[7]!;
  await driver.start({ employeeId: employee.employeeId, callerNumber: '+15550309999' });
  await twin.settle();
  const report = await verify({ employeeId: employee.employeeId });
  expect(report.findings).toEqual([]);
  expect(report.unanchored).toBe(1);
  await writeDigest();
  expect((await verify({ employeeId: employee.employeeId })).unanchored).toBe(0);
});

it('a duplicate scheduled run (EventBridge delivers at least once) names the same digest and does not write it twice', async () => {
  const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString() };
  const first = await twin.lambdas.invoke('write-audit-digest', scheduled);
  const again = await twin.lambdas.invoke('write-audit-digest', scheduled);
  expect(first).toMatchObject({ ok: true, payload: { alreadyWritten: false } });
  expect(again).toMatchObject({ ok: true, payload: { alreadyWritten: true } });
  const key = (first as { payload: { key: string } }).payload.key;
  expect((again as { payload: { key: string } }).payload.key).toBe(key);
  const [object] = await digests.listVersions([key]);
  expect(object!.versions).toHaveLength(1);
  // A run for an older slot, arriving late: a newer digest exists, and digests only move forward.
  const late = await twin.lambdas.invoke('write-audit-digest', { ...scheduled, time: new Date(Date.now() - 60_000).toISOString() });
  expect(late).toMatchObject({ ok: true, payload: { alreadyWritten: true, key } });
  // Later still, for a slot the day before the newest digest (a retried invocation): digests are one per day
  // prefix, and the run must still find the newest one rather than fork the chain after an older one.
  const dayLate = await twin.lambdas.invoke('write-audit-digest', { ...scheduled, time: new Date(Date.now() - 86_400_000).toISOString() });
  expect(dayLate).toMatchObject({ ok: true, payload: { alreadyWritten: true, key } });
  expect((await verify()).findings).toEqual([]);
});

it('a chain begun in format v1 (before agents) and continued in v2 verifies, anchored by digests across both', async () => {
  const employee = syntheticEmployee(8);
  const at = new Date().toISOString();
  // Two records as the workflows wrote them before issue #20: no actor, no agentId, the v1 hash.
  let prevHash = GENESIS;
  for (const seq of [1, 2]) {
    const v1: AuditRecord = {
      employeeId: employee.employeeId,
      seq,
      day: at.slice(0, 10),
      at,
      eventId: `v1-${seq}`,
      workflow: 'password-reset-start',
      step: 'START',
      outcome: 'CODE_SENT',
      reason: 'OK',
      sessionId: `v1-session-${seq}`,
      contactId: 'v1-contact',
      callerNumberMasked: '+*******0100',
      locale: 'en-US',
      executionId: `arn:aws:states:us-east-1:000000000000:express:password-reset-start:v1-${seq}:v1-${seq}`,
      prevHash,
      hash: '',
    };
    expect(chainFieldsOf(v1)).toBe(CHAINED_FIELDS_V1);
    v1.hash = auditHash(v1);
    prevHash = v1.hash;
    await driver.db.send(new PutCommand({ TableName: AUDIT, Item: v1 }));
  }
  await writeDigest();
  // An agent continues the chain: v2 records (actor, agentId), linked to the v1 head.
  const started = await driver.start({ employeeId: employee.employeeId, callerNumber: '+15550308888', actor: 'agent', agentId: 'agent-7' });
  const outcome = await driver.verifyAs({ actor: 'agent', agentId: 'agent-7' }, started.sessionId, await driver.latestCode(employee));
  expect(outcome.status).toBe('RESET');
  await twin.settle();
  await writeDigest();
  const records = await chain(employee.employeeId);
  expect(records.map((r) => [r.seq, r.actor, r.agentId])).toEqual([
    [1, undefined, undefined],
    [2, undefined, undefined],
    [3, 'agent', 'agent-7'],
    [4, 'agent', 'agent-7'],
  ]);
  expect(records[2]!.prevHash).toBe(records[1]!.hash);
  const report = await verify({ employeeId: employee.employeeId });
  expect(report.findings).toEqual([]);
  expect(report).toMatchObject({ records: 4, unanchored: 0 });
});

it("the table's resource policy refuses the operator a correction or a removal; the break-glass role may (each tamper below is one)", async () => {
  const key = { employeeId: syntheticEmployee(8).employeeId, seq: 1 };
  const denied = (action: string) => ({
    name: 'AccessDeniedException',
    message: `User: arn:aws:iam::000000000000:user/support-desk-operator is not authorized to perform: dynamodb:${action} on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${AUDIT} with an explicit deny in a resource-based policy`,
  });
  const update = new UpdateCommand({
    TableName: AUDIT,
    Key: key,
    UpdateExpression: 'SET probe = :p',
    ExpressionAttributeValues: { ':p': 1 },
  });
  await expect(driver.db.send(update)).rejects.toMatchObject(denied('UpdateItem'));
  await expect(driver.db.send(new DeleteCommand({ TableName: AUDIT, Key: key }))).rejects.toMatchObject(denied('DeleteItem'));
  // Reading and appending stay open to the operator; the break-glass role may correct (and undo it here).
  expect((await driver.db.send(new GetCommand({ TableName: AUDIT, Key: key }))).Item).toBeDefined();
  await driver.breakGlassDb.send(update);
  await driver.breakGlassDb.send(new UpdateCommand({ TableName: AUDIT, Key: key, UpdateExpression: 'REMOVE probe' }));
  expect((await verify({ employeeId: key.employeeId })).findings).toEqual([]);
});

it('the format cannot be switched: an actor added to a v1 record, or removed from a v2 one, is caught', async () => {
  const employee = syntheticEmployee(8);
  await driver.breakGlassDb.send(
    new UpdateCommand({
      TableName: AUDIT,
      Key: { employeeId: employee.employeeId, seq: 1 },
      UpdateExpression: 'SET actor = :a, agentId = :d',
      ExpressionAttributeValues: { ':a': 'caller', ':d': '-' },
    }),
  );
  await driver.breakGlassDb.send(
    new UpdateCommand({ TableName: AUDIT, Key: { employeeId: employee.employeeId, seq: 3 }, UpdateExpression: 'REMOVE actor' }),
  );
  const findings = (await verify({ employeeId: employee.employeeId })).findings.map((f) => [f.where.split(' (')[0], f.problem]);
  expect(findings).toEqual(
    expect.arrayContaining([
      [`employee ${employee.employeeId} record 1`, 'HASH_MISMATCH'],
      [`employee ${employee.employeeId} record 3`, 'HASH_MISMATCH'],
      // Without its actor, record 3 reads as v1: its agentId is a field no hash covers.
      [`employee ${employee.employeeId} record 3`, 'UNHASHED_FIELD'],
    ]),
  );
});

it('an edited field, day included (hashed now), is caught and named', async () => {
  const employee = EMPLOYEES[0]!;
  await driver.breakGlassDb.send(
    new UpdateCommand({
      TableName: AUDIT,
      Key: { employeeId: employee.employeeId, seq: 1 },
      UpdateExpression: 'SET #day = :d',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':d': '2001-01-01' },
    }),
  );
  const report = await verify();
  expect(report.findings).toContainEqual(
    expect.objectContaining({ problem: 'HASH_MISMATCH', where: expect.stringContaining(`employee ${employee.employeeId} record 1`) }),
  );
});

it('a field no hash covers, added to a record, is caught and named', async () => {
  const employee = EMPLOYEES[6]!;
  await driver.breakGlassDb.send(
    new UpdateCommand({
      TableName: AUDIT,
      Key: { employeeId: employee.employeeId, seq: 2 },
      UpdateExpression: 'SET note = :n',
      ExpressionAttributeValues: { ':n': 'approved by phone' },
    }),
  );
  expect(findingsFor(await verify(), employee.employeeId)).toContain('UNHASHED_FIELD');
});

it('a whole chain rewritten consistently (every hash recomputed) no longer ends in the anchored hash', async () => {
  const employee = EMPLOYEES[1]!;
  let prevHash = GENESIS;
  for (const record of await chain(employee.employeeId)) {
    const rewritten = { ...record, outcome: record.outcome === 'RESET' ? 'FAILED' : record.outcome, prevHash };
    rewritten.hash = auditHash(rewritten);
    prevHash = rewritten.hash;
    await driver.db.send(new PutCommand({ TableName: AUDIT, Item: rewritten }));
  }
  const findings = findingsFor(await verify(), employee.employeeId);
  // The chain is consistent in itself: only the digest shows it.
  expect(findings).toEqual(['CHAIN_REWRITTEN']);
});

it('deleting the latest record is caught: the digest anchored a seq that is gone', async () => {
  const employee = EMPLOYEES[2]!;
  await driver.breakGlassDb.send(new DeleteCommand({ TableName: AUDIT, Key: { employeeId: employee.employeeId, seq: 2 } }));
  const report = await verify();
  expect(report.findings).toContainEqual(
    expect.objectContaining({ problem: 'RECORDS_DELETED', where: `employee ${employee.employeeId} records 2..2` }),
  );
});

it('deleting a whole chain is caught: an anchored employee has no records', async () => {
  const employee = EMPLOYEES[3]!;
  for (const seq of [1, 2])
    await driver.breakGlassDb.send(new DeleteCommand({ TableName: AUDIT, Key: { employeeId: employee.employeeId, seq } }));
  expect(findingsFor(await verify(), employee.employeeId)).toEqual(['CHAIN_DELETED']);
});

describe('the digests in the Object Lock bucket', () => {
  let victim: string;

  beforeAll(async () => {
    victim = (await writeDigest()).key;
  });

  it('a locked digest version cannot be deleted or replaced in place (compliance mode)', async () => {
    const [object] = await digests.listVersions([victim]);
    const versionId = object!.versions[0]!.versionId;
    await expect(s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: victim, VersionId: versionId }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    // The writer's conditional put: a second write of a key is refused, never a replacement.
    await expect(s3.send(new PutObjectCommand({ Bucket: bucketName, Key: victim, Body: '{}', IfNoneMatch: '*' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 412 },
    });
  });

  it('an altered digest (a new version over a locked one) is caught: a second version, and a signature that fails', async () => {
    const original = JSON.parse(await digests.read(victim)) as { body: string };
    const forged = {
      ...JSON.parse(await digests.read(victim)),
      body: original.body.replace('"heads":[', '"heads":[{"employeeId":"0000000","seq":1,"hash":"x"},'),
    };
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: victim, Body: JSON.stringify(forged) }));
    const problems = (await verify()).findings.filter((f) => f.where === `digest ${victim}`).map((f) => f.problem);
    expect(problems).toEqual(expect.arrayContaining(['DIGEST_OVERWRITTEN', 'DIGEST_SIGNATURE_INVALID']));
  });

  it('a deleted digest (a delete marker: the only delete Object Lock allows) is caught and named', async () => {
    const deleted = (await writeDigest()).key;
    await s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: deleted }));
    expect((await verify()).findings).toContainEqual(expect.objectContaining({ problem: 'DIGEST_DELETED', where: `digest ${deleted}` }));
  });
});

it('npm run audit -- --verify, with only a public key file, names every tamper and exits 1', async () => {
  const keyFile = join(scratch, 'digest-key.pem');
  writeFileSync(keyFile, publicKeyPem);
  const run = promisify(execFile);
  const failed = await run('npx', ['tsx', 'cli/audit.ts', '--verify', '--since', '1d', '--public-key', keyFile], {
    cwd: ROOT,
    env: { ...process.env, HELPDESK_URL: twin.url },
  }).then(
    () => undefined,
    (error: { code: number; stdout: string }) => error,
  );
  expect(failed?.code).toBe(1);
  for (const problem of [
    'HASH_MISMATCH',
    'UNHASHED_FIELD',
    'CHAIN_REWRITTEN',
    'RECORDS_DELETED',
    'CHAIN_DELETED',
    'DIGEST_OVERWRITTEN',
    'DIGEST_DELETED',
  ])
    expect(failed?.stdout).toContain(problem);
  expect(failed?.stdout).toMatch(/problem\(s\) in \d+ chain\(s\)/);
}, 60_000);

it("a range with nothing in it says so, and a range beyond the digests' retention is refused", async () => {
  const run = promisify(execFile);
  const env = { ...process.env, HELPDESK_URL: twin.url };
  const empty = await run('npx', ['tsx', 'cli/audit.ts', '--verify', '--since', '2001-01-01', '--until', '2001-02-01'], {
    cwd: ROOT,
    env,
  }).then(
    () => undefined,
    (error: { code: number; stdout: string }) => error,
  );
  expect(empty?.code).toBe(1);
  expect(empty?.stdout).toContain('EMPTY: no audit records and no digests');
  const tooLong = await run('npx', ['tsx', 'cli/audit.ts', '--verify', '--since', '100000d'], { cwd: ROOT, env }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(tooLong?.code).toBe(2);
  expect(tooLong?.stderr).toContain('at most 400 days');
}, 60_000);
