/**
 * The twin's S3 endpoint against @aws-sdk/client-s3 (path-style): objects, versions and listings;
 * Object Lock as S3 enforces it — a locked version cannot be deleted before its retain-until date and
 * can after (the twin's clock is moved, not waited for), a delete without a version id only adds a
 * delete marker, COMPLIANCE retention cannot be shortened; conditional writes; S3's XML errors; and
 * 501 NotImplemented for what the twin does not do.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AUDIT_DIGEST_BUCKET } from '../../local/s3/audit-digest-bucket';
import { localS3ClientConfig, MAX_S3_BODY_BYTES } from '../../local/s3/s3-endpoint';
import { fakeClock } from '../support/fake-clock';
import { startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
const DAY_MS = 86_400_000;
const clock = fakeClock();
const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-s3-'));
let twin: TestTwin;
let s3: S3Client;

beforeAll(async () => {
  twin = await startTestTwin({ clock, dataDir });
  s3 = new S3Client({ ...localS3ClientConfig(twin.endpoints.s3), maxAttempts: 1 });
});
afterAll(async () => {
  s3.destroy();
  await twin.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A bucket with Object Lock and a default retention of `days` days in `mode`. */
async function lockedBucket(name: string, days: number, mode: 'COMPLIANCE' | 'GOVERNANCE' = 'COMPLIANCE'): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: name,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: days } } },
    }),
  );
  return name;
}

const read = async (Bucket: string, Key: string, VersionId?: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString('utf8');

it('has the audit digest bucket from the start: Object Lock, versioning Enabled, COMPLIANCE for 400 days', async () => {
  await expect(s3.send(new HeadBucketCommand({ Bucket: AUDIT_DIGEST_BUCKET }))).resolves.toMatchObject({ BucketRegion: 'us-east-1' });
  await expect(s3.send(new GetBucketVersioningCommand({ Bucket: AUDIT_DIGEST_BUCKET }))).resolves.toMatchObject({ Status: 'Enabled' });
  const { ObjectLockConfiguration } = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: AUDIT_DIGEST_BUCKET }));
  expect(ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } });
  // A digest written there gets the default retention: now + 400 days.
  const put = await s3.send(new PutObjectCommand({ Bucket: AUDIT_DIGEST_BUCKET, Key: 'digests/probe.json', Body: '{}' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: AUDIT_DIGEST_BUCKET, Key: 'digests/probe.json' }));
  expect(head).toMatchObject({ VersionId: put.VersionId, ObjectLockMode: 'COMPLIANCE', ContentLength: 2 });
  expect(head.ObjectLockRetainUntilDate!.getTime()).toBe(clock.now() + 400 * DAY_MS);
});

it('puts, gets and lists objects: prefix, max-keys with continuation tokens, StartAfter', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
  for (const key of ['a/1', 'a/2', 'a/3', 'b/1', 'a/ü'])
    await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: `body of ${key}` }));
  expect(await read('plain', 'a/ü')).toBe('body of a/ü');
  const page1 = await s3.send(new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'a/', MaxKeys: 2 }));
  expect(page1).toMatchObject({ KeyCount: 2, IsTruncated: true, MaxKeys: 2, Prefix: 'a/' });
  expect(page1.Contents!.map((o) => o.Key)).toEqual(['a/1', 'a/2']);
  expect(page1.Contents![0]).toMatchObject({ Size: 'body of a/1'.length, ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
  const page2 = await s3.send(
    new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'a/', MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }),
  );
  // UTF-8 byte order: "ü" (0xC3 0xBC) after "3".
  expect(page2).toMatchObject({ KeyCount: 2, IsTruncated: false, ContinuationToken: page1.NextContinuationToken });
  expect(page2.Contents!.map((o) => o.Key)).toEqual(['a/3', 'a/ü']);
  const after = await s3.send(new ListObjectsV2Command({ Bucket: 'plain', StartAfter: 'a/3' }));
  expect(after.Contents!.map((o) => o.Key)).toEqual(['a/ü', 'b/1']);
  // encoding-type=url (the AWS CLI sends it): keys come back URL-encoded, and the answer says so.
  const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'plain', StartAfter: 'a/3', EncodingType: 'url' }));
  expect(encoded).toMatchObject({ EncodingType: 'url' });
  expect(encoded.Contents!.map((o) => o.Key)).toEqual(['a/%C3%BC', 'b/1']);
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'plain', ContinuationToken: '***' }))).rejects.toMatchObject({
    name: 'InvalidArgument',
  });
  // Without versioning a PUT replaces the object, and the version is "null".
  await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'a/1', Body: 'replaced' }));
  expect(await read('plain', 'a/1')).toBe('replaced');
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'plain', Prefix: 'a/1' }));
  expect(versions.Versions).toEqual([expect.objectContaining({ Key: 'a/1', VersionId: 'null', IsLatest: true })]);
  await expect(s3.send(new GetBucketVersioningCommand({ Bucket: 'plain' }))).resolves.not.toHaveProperty('Status');
});

it('a second PUT to a locked key makes a new version; the first version stays readable by its version id', async () => {
  const bucket = await lockedBucket('versions-kept', 30);
  const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digest.json', Body: 'first' }));
  const second = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digest.json', Body: 'second' }));
  expect(first.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(second.VersionId).not.toBe(first.VersionId);
  expect(await read(bucket, 'digest.json')).toBe('second');
  expect(await read(bucket, 'digest.json', first.VersionId)).toBe('first');
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digest.json', VersionId: first.VersionId }));
  expect(head).toMatchObject({ VersionId: first.VersionId, ObjectLockMode: 'COMPLIANCE' });
  const { Versions } = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'digest' }));
  expect(Versions!.map((v) => [v.VersionId, v.IsLatest])).toEqual([
    [second.VersionId, true],
    [first.VersionId, false],
  ]);
  await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digest.json', VersionId: 'A'.repeat(32) }))).rejects.toMatchObject({
    name: 'NoSuchVersion',
    $metadata: { httpStatusCode: 404 },
  });
});

it('refuses to delete a locked version before its retain-until date (AccessDenied) and deletes it after', async () => {
  const bucket = await lockedBucket('retention-runs-out', 1);
  const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'locked' }));
  const { Retention } = await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k', VersionId }));
  expect(Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: new Date(clock.now() + DAY_MS) });
  // Nobody, not even with the governance bypass: the mode is COMPLIANCE.
  for (const BypassGovernanceRetention of [false, true])
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId, BypassGovernanceRetention })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  expect(await read(bucket, 'k', VersionId)).toBe('locked');
  clock.tick(DAY_MS + 1000);
  await expect(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId }))).resolves.toMatchObject({ VersionId });
  await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId }))).rejects.toMatchObject({ name: 'NoSuchVersion' });
  await expect(s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).resolves.not.toHaveProperty('Versions');
});

it('GOVERNANCE retention gives way only to x-amz-bypass-governance-retention: true', async () => {
  const bucket = await lockedBucket('governed', 10, 'GOVERNANCE');
  const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  await expect(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId }))).rejects.toMatchObject({ name: 'AccessDenied' });
  await expect(
    s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId, BypassGovernanceRetention: true })),
  ).resolves.toMatchObject({
    VersionId,
  });
});

it('a delete without a version id only adds a delete marker: the locked version is still there', async () => {
  const bucket = await lockedBucket('marker-only', 30);
  const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digest.json', Body: 'kept' }));
  const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'digest.json' }));
  expect(deleted.DeleteMarker).toBe(true);
  expect(deleted.VersionId).not.toBe(VersionId);
  await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digest.json' }))).rejects.toMatchObject({
    name: 'NoSuchKey',
    $metadata: { httpStatusCode: 404 },
  });
  await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digest.json' }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 404 },
  });
  expect(await read(bucket, 'digest.json', VersionId)).toBe('kept');
  expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'digest.json' }));
  expect(listed.DeleteMarkers).toEqual([expect.objectContaining({ Key: 'digest.json', VersionId: deleted.VersionId, IsLatest: true })]);
  expect(listed.Versions).toEqual([expect.objectContaining({ Key: 'digest.json', VersionId, IsLatest: false })]);
  // A delete marker has no retention: removing it by version id brings the object back.
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'digest.json', VersionId: deleted.VersionId }));
  expect(await read(bucket, 'digest.json')).toBe('kept');
});

it('If-None-Match: * on an existing key is 412 PreconditionFailed and writes nothing', async () => {
  const bucket = await lockedBucket('create-only', 30);
  await expect(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'first', IfNoneMatch: '*' }))).resolves.toHaveProperty(
    'VersionId',
  );
  await expect(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' }))).rejects.toMatchObject({
    name: 'PreconditionFailed',
    $metadata: { httpStatusCode: 412 },
  });
  expect((await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toHaveLength(1);
  expect(await read(bucket, 'once')).toBe('first');
});

it('PutObjectRetention extends a COMPLIANCE retention but never shortens it (AccessDenied)', async () => {
  const bucket = await lockedBucket('no-shortening', 10);
  const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  const until = (days: number) => new Date(clock.now() + days * DAY_MS);
  const put = (days: number, Mode: 'COMPLIANCE' | 'GOVERNANCE' = 'COMPLIANCE', BypassGovernanceRetention = false) =>
    s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: 'k',
        VersionId,
        Retention: { Mode, RetainUntilDate: until(days) },
        BypassGovernanceRetention,
      }),
    );
  await expect(put(5)).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  await expect(put(20, 'GOVERNANCE', true)).rejects.toMatchObject({ name: 'AccessDenied' });
  await expect(put(20)).resolves.toBeDefined();
  const { Retention } = await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'k', VersionId }));
  expect(Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: until(20) });
  await expect(put(-1)).rejects.toMatchObject({ name: 'InvalidArgument' });
  // An explicit lock on PUT, in the request's own words.
  const explicit = await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'explicit', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until(3) }),
  );
  await expect(
    s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'explicit', VersionId: explicit.VersionId })),
  ).resolves.toMatchObject({
    Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until(3) },
  });
});

it('answers an operation or option the twin does not implement with 501 NotImplemented naming it', async () => {
  await expect(
    s3.send(new PutBucketVersioningCommand({ Bucket: 'plain', VersioningConfiguration: { Status: 'Suspended' } })),
  ).rejects.toMatchObject({
    name: 'NotImplemented',
    message: expect.stringContaining('PutBucketVersioning'),
    $metadata: { httpStatusCode: 501 },
  });
  await expect(s3.send(new CopyObjectCommand({ Bucket: 'plain', Key: 'copy', CopySource: 'plain/b/1' }))).rejects.toMatchObject({
    name: 'NotImplemented',
    message: expect.stringContaining('x-amz-copy-source'),
  });
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'plain', Delimiter: '/' }))).rejects.toMatchObject({
    name: 'NotImplemented',
    message: expect.stringContaining('delimiter'),
  });
  await expect(s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'b/1', Range: 'bytes=0-1' }))).rejects.toMatchObject({
    name: 'NotImplemented',
  });
  // Not through the SDK: the XML body as S3 sends it.
  const listBuckets = await fetch(`${twin.endpoints.s3}/`);
  expect(listBuckets.status).toBe(501);
  expect(await listBuckets.text()).toMatch(
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>NotImplemented<\/Code><Message>[^<]*ListBuckets[^<]*<\/Message><Resource>\/<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/,
  );
});

it("answers with S3's errors: NoSuchBucket, NoSuchKey, BucketAlreadyOwnedByYou, InvalidRequest, BadDigest, EntityTooLarge", async () => {
  await expect(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }))).rejects.toMatchObject({
    name: 'NoSuchBucket',
    $metadata: { httpStatusCode: 404 },
  });
  await expect(s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'missing' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  await expect(s3.send(new CreateBucketCommand({ Bucket: 'plain' }))).rejects.toMatchObject({
    name: 'BucketAlreadyOwnedByYou',
    $metadata: { httpStatusCode: 409 },
  });
  await expect(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
  // Object Lock headers on a bucket without Object Lock.
  await expect(
    s3.send(
      new PutObjectCommand({
        Bucket: 'plain',
        Key: 'k',
        Body: 'x',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(clock.now() + DAY_MS),
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } });
  await expect(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain' }))).rejects.toMatchObject({
    name: 'ObjectLockConfigurationNotFoundError',
  });

  // Without the SDK's default CRC32: an Object Lock upload must carry Content-MD5 or a checksum.
  const host = twin.endpoints.s3;
  const md5 = (body: string) => createHash('md5').update(body).digest('base64');
  const missingDigest = await fetch(`${host}/${AUDIT_DIGEST_BUCKET}/no-checksum`, { method: 'PUT', body: 'x' });
  expect(missingDigest.status).toBe(400);
  expect(await missingDigest.text()).toContain(
    '<Code>InvalidRequest</Code><Message>Content-MD5 OR x-amz-checksum- HTTP header is required',
  );
  const withMd5 = await fetch(`${host}/${AUDIT_DIGEST_BUCKET}/md5`, { method: 'PUT', body: 'x', headers: { 'content-md5': md5('x') } });
  expect(withMd5.status).toBe(200);
  const badMd5 = await fetch(`${host}/${AUDIT_DIGEST_BUCKET}/md5`, { method: 'PUT', body: 'y', headers: { 'content-md5': md5('x') } });
  expect(badMd5.status).toBe(400);
  expect(await badMd5.text()).toContain('<Code>BadDigest</Code>');
  const badCrc = await fetch(`${host}/plain/crc`, { method: 'PUT', body: 'x', headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
  expect(await badCrc.text()).toContain('<Code>BadDigest</Code>');

  await expect(
    s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'big', Body: Buffer.alloc(MAX_S3_BODY_BYTES + 1) })),
  ).rejects.toMatchObject({
    name: 'EntityTooLarge',
    $metadata: { httpStatusCode: 400 },
  });
  await expect(s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'big' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
});

it('takes a stream body (aws-chunked, CRC32 in a trailer) and checks its length', async () => {
  await s3.send(
    new PutObjectCommand({
      Bucket: 'plain',
      Key: 'streamed',
      Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]),
      ContentLength: 12,
    }),
  );
  expect(await read('plain', 'streamed')).toBe('hello stream');
});

it('keeps buckets, versions and retention across a restart on the same data folder', async () => {
  const bucket = await lockedBucket('survives', 30);
  const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'persisted' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'newer' }));
  s3.destroy();
  await twin.stop();
  twin = await startTestTwin({ clock, dataDir });
  s3 = new S3Client({ ...localS3ClientConfig(twin.endpoints.s3), maxAttempts: 1 });
  expect(await read(bucket, 'k', VersionId)).toBe('persisted');
  expect(await read(bucket, 'k')).toBe('newer');
  await expect(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId }))).rejects.toMatchObject({ name: 'AccessDenied' });
});
