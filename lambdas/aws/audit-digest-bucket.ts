/**
 * The bucket that keeps audit digests (S3, Object Lock in compliance mode): the writer finds the latest
 * digest and adds the next one, never overwriting (`If-None-Match: *`, a conditional write:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html); the verifier lists every
 * version of every digest, so a delete marker or a second version cannot hide (ListObjectVersions).
 * The twin's S3 is path-style only: `forcePathStyle` is harmless on AWS.
 */
import { GetObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DIGEST_PREFIX, digestDayPrefixes, type SignedDigest } from '../domain/audit-digest';

export interface DigestVersion {
  versionId: string;
  deleteMarker: boolean;
  lastModified?: Date;
}

export interface DigestObject {
  key: string;
  /** Oldest first. */
  versions: DigestVersion[];
}

/** What the verifier reads: read-only by construction. */
export interface DigestReader {
  listVersions(prefixes: readonly string[]): Promise<DigestObject[]>;
  read(key: string, versionId?: string): Promise<string>;
}

export class AuditDigestBucket implements DigestReader {
  constructor(
    private readonly bucket: string,
    private readonly s3: S3Client = new S3Client({ forcePathStyle: true, maxAttempts: 3 }),
  ) {}

  /** The newest digest's key, looking back day by day (at most `maxDays`); undefined when there is none. */
  async latestKey(now: Date, maxDays: number): Promise<string | undefined> {
    const prefixes = digestDayPrefixes(new Date(now.getTime() - maxDays * 86_400_000), now).reverse();
    for (const prefix of prefixes) {
      let newest: string | undefined;
      let token: string | undefined;
      do {
        const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of out.Contents ?? []) if (o.Key && (!newest || o.Key > newest)) newest = o.Key;
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      if (newest) return newest;
    }
    return undefined;
  }

  async read(key: string, versionId?: string): Promise<string> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    return (await out.Body?.transformToString('utf8')) ?? '';
  }

  /** Writes a digest where none is; false when the key exists (412: a second write never replaces the first). */
  async put(key: string, signed: SignedDigest): Promise<boolean> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(signed),
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412) return false;
      throw error;
    }
  }

  async listVersions(prefixes: readonly string[] = [DIGEST_PREFIX]): Promise<DigestObject[]> {
    const objects = new Map<string, DigestVersion[]>();
    const add = (key: string | undefined, version: DigestVersion) => {
      if (!key) return;
      objects.set(key, [...(objects.get(key) ?? []), version]);
    };
    for (const prefix of prefixes) {
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const out = await this.s3.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
        );
        for (const v of out.Versions ?? [])
          add(v.Key, {
            versionId: v.VersionId ?? 'null',
            deleteMarker: false,
            ...(v.LastModified ? { lastModified: v.LastModified } : {}),
          });
        for (const m of out.DeleteMarkers ?? [])
          add(m.Key, { versionId: m.VersionId ?? 'null', deleteMarker: true, ...(m.LastModified ? { lastModified: m.LastModified } : {}) });
        keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
        versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
      } while (keyMarker);
    }
    return [...objects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, versions]) => ({
        key,
        versions: versions.sort((a, b) => (a.lastModified?.getTime() ?? 0) - (b.lastModified?.getTime() ?? 0)),
      }));
  }
}
