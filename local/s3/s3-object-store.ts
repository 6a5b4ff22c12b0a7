/**
 * What the twin's S3 keeps: buckets, every version of every object, delete markers, and the Object
 * Lock retention of each version, in a directory of the data folder (`s3/<bucket>/bucket.json` for
 * the bucket and its version index, `s3/<bucket>/blobs/<id>` for the bytes; folders 0700, files 0600).
 * The rules are S3's, each next to the page that states it; time is the twin's Clock, so a test moves
 * past a retain-until date instead of waiting for it. Errors are S3Errors, which the endpoint writes as
 * S3's XML. A bucket created with Object Lock has versioning enabled (and it cannot be suspended); a
 * bucket created without it is unversioned: every version is `null` and a PUT replaces it (the twin
 * does not implement PutBucketVersioning).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from '../time/clock';
import type { BodyChecksum } from './request-integrity';
import { accessDenied, invalidArgument, missingObjectLock, noSuchBucket, noSuchKey, noSuchVersion, S3Error } from './s3-error';

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';
export const RETENTION_MODES: readonly RetentionMode[] = ['GOVERNANCE', 'COMPLIANCE'];

/** A bucket's default retention: a mode and a period of either days or years. */
export interface DefaultRetention {
  mode: RetentionMode;
  days?: number;
  years?: number;
}

/** The retention of one object version. */
export interface ObjectRetention {
  mode: RetentionMode;
  /** ISO 8601. */
  retainUntil: string;
}

export interface ObjectVersion {
  versionId: string;
  deleteMarker: boolean;
  /** ISO 8601. */
  lastModified: string;
  size: number;
  /** Quoted MD5 hex, as S3 sends it (none on a delete marker). */
  etag?: string;
  blob?: string;
  /** Content-Type and the other stored representation headers, and x-amz-meta-* (names lower-case). */
  headers: Record<string, string>;
  checksum?: BodyChecksum;
  retention?: ObjectRetention;
}

interface BucketState {
  name: string;
  creationDate: string;
  objectLockEnabled: boolean;
  versioning?: 'Enabled';
  defaultRetention?: DefaultRetention;
  /** Each key's versions, newest first. */
  objects: Record<string, ObjectVersion[]>;
}

/** A bucket the twin has from its start (created if missing; its default retention re-applied). */
export interface BucketSetup {
  name: string;
  /** Create with Object Lock, with this default retention. */
  objectLock?: DefaultRetention;
}

export interface PutObjectInput {
  body: Buffer;
  headers: Record<string, string>;
  checksum?: BodyChecksum;
  /** From x-amz-object-lock-mode / -retain-until-date; the bucket's default retention otherwise. */
  retention?: ObjectRetention;
  /** If-None-Match: * (write only if the key has no current version). */
  ifNoneMatch?: boolean;
}

export interface ListedVersion extends ObjectVersion {
  key: string;
  isLatest: boolean;
}

const DAY_MS = 86_400_000;
const VERSION_ID = /^[A-Za-z0-9_-]{32}$/;
/** A null version, in a bucket that has never had versioning. */
export const NULL_VERSION = 'null';

/** S3 lists keys in UTF-8 binary order. */
export const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets). */
export function checkBucketName(name: string): void {
  const valid =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
  if (!valid) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400);
}

export class S3ObjectStore {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly dir: string,
    private readonly clock: Clock = systemClock,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir)) {
      const file = join(dir, name, 'bucket.json');
      if (existsSync(file)) this.buckets.set(name, JSON.parse(readFileSync(file, 'utf8')) as BucketState);
    }
  }

  private now(): number {
    return this.clock.now();
  }

  bucket(name: string): BucketState {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket();
    return bucket;
  }

  /**
   * CreateBucket. `x-amz-bucket-object-lock-enabled: true` turns versioning on with Object Lock
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html: "Object Lock works only
   * in buckets that have S3 Versioning enabled"). An existing bucket is BucketAlreadyOwnedByYou (409):
   * S3 answers 200 to that in us-east-1 only, for legacy compatibility
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_Errors);
   * the twin answers as every other Region does, so code that relies on the legacy 200 fails here too.
   */
  createBucket(name: string, options: { objectLock: boolean }): void {
    checkBucketName(name);
    if (this.buckets.has(name))
      throw new S3Error(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        409,
      );
    const bucket: BucketState = {
      name,
      creationDate: new Date(this.now()).toISOString(),
      objectLockEnabled: options.objectLock,
      ...(options.objectLock && { versioning: 'Enabled' as const }),
      objects: {},
    };
    mkdirSync(join(this.dir, name, 'blobs'), { recursive: true, mode: 0o700 });
    this.buckets.set(name, bucket);
    this.save(bucket);
  }

  ensureBucket(setup: BucketSetup): void {
    if (!this.buckets.has(setup.name)) this.createBucket(setup.name, { objectLock: Boolean(setup.objectLock) });
    const bucket = this.bucket(setup.name);
    if (setup.objectLock) {
      if (!bucket.objectLockEnabled) throw new Error(`bucket ${setup.name} exists without Object Lock; it cannot be turned on here`);
      this.putObjectLockConfiguration(setup.name, setup.objectLock);
    }
  }

  /**
   * PutObjectLockConfiguration: the bucket's default retention, or none (`undefined`). "The
   * DefaultRetention settings require both a mode and a period", Days or Years, not both
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html); the
   * endpoint checks the shape. A bucket without Object Lock (so without versioning here) is
   * InvalidBucketState, as S3 answers when versioning is not enabled.
   */
  putObjectLockConfiguration(name: string, rule: DefaultRetention | undefined): void {
    const bucket = this.bucket(name);
    if (!bucket.objectLockEnabled)
      throw new S3Error('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);
    bucket.defaultRetention = rule && { mode: rule.mode, ...(rule.days !== undefined ? { days: rule.days } : { years: rule.years }) };
    this.save(bucket);
  }

  /** GetObjectLockConfiguration (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html). */
  objectLockConfiguration(name: string): { rule?: DefaultRetention } {
    const bucket = this.bucket(name);
    if (!bucket.objectLockEnabled)
      throw new S3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404);
    return { rule: bucket.defaultRetention };
  }

  /** GetBucketVersioning: "Enabled", or nothing for a bucket that never had versioning. */
  versioning(name: string): 'Enabled' | undefined {
    return this.bucket(name).versioning;
  }

  /** Whether a PUT to this bucket gets a retention period without asking for one. */
  hasDefaultRetention(name: string): boolean {
    return Boolean(this.bucket(name).defaultRetention);
  }

  /**
   * PutObject. In a versioned bucket every PUT adds a version, locked key or not: Object Lock protects
   * versions, and a new version leaves the locked ones as they are
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html). The version gets the
   * retention the request names, else the bucket's default, counted from the time of the PUT
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-periods).
   * If-None-Match: * fails with 412 when the key has a current version; a delete marker is no current
   * version (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
   */
  putObject(name: string, key: string, input: PutObjectInput): ObjectVersion {
    const bucket = this.bucket(name);
    if (input.retention && !bucket.objectLockEnabled) throw missingObjectLock();
    const existing = bucket.objects[key] ?? [];
    if (input.ifNoneMatch && existing[0] && !existing[0].deleteMarker)
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
    const now = this.now();
    const blob = randomUUID();
    writeFileSync(this.blobPath(name, blob), input.body, { mode: 0o600 });
    const version: ObjectVersion = {
      versionId: bucket.versioning ? newVersionId() : NULL_VERSION,
      deleteMarker: false,
      lastModified: new Date(now).toISOString(),
      size: input.body.length,
      etag: `"${md5Hex(input.body)}"`,
      blob,
      headers: input.headers,
      ...(input.checksum && { checksum: input.checksum }),
    };
    const retention = input.retention ?? (bucket.defaultRetention && defaultRetentionFrom(bucket.defaultRetention, now));
    if (retention) version.retention = retention;
    const replaced = bucket.versioning ? [] : existing;
    bucket.objects[key] = bucket.versioning ? [version, ...existing] : [version];
    this.save(bucket);
    for (const old of replaced) this.removeBlob(name, old);
    return version;
  }

  /**
   * The version a GET or HEAD reads: the current one, or `versionId`. A key whose current version
   * is a delete marker is NoSuchKey with `x-amz-delete-marker: true`; asking for a delete marker by
   * version id is 405 MethodNotAllowed (https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html).
   */
  version(name: string, key: string, versionId?: string): ObjectVersion {
    const versions = this.bucket(name).objects[key] ?? [];
    if (versionId === undefined) {
      const latest = versions[0];
      if (!latest) throw noSuchKey();
      if (latest.deleteMarker) throw noSuchKey({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
      return latest;
    }
    checkVersionId(versionId);
    const version = versions.find((v) => v.versionId === versionId);
    if (!version) throw noSuchVersion();
    if (version.deleteMarker)
      throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': version.versionId,
        allow: 'DELETE',
      });
    return version;
  }

  body(name: string, version: ObjectVersion): Buffer {
    return version.blob ? readFileSync(this.blobPath(name, version.blob)) : Buffer.alloc(0);
  }

  /**
   * DeleteObject. Without a version id, a versioned bucket gets a delete marker (always allowed, even
   * over locked versions); an unversioned one loses the object. With a version id, that version is
   * removed for good — unless its retention has not expired: COMPLIANCE, nobody can; GOVERNANCE, only a
   * request with `x-amz-bypass-governance-retention: true` (the twin has no IAM: every caller holds
   * s3:BypassGovernanceRetention) (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes,
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html).
   */
  deleteObject(
    name: string,
    key: string,
    versionId: string | undefined,
    bypassGovernance: boolean,
  ): { versionId?: string; deleteMarker: boolean } {
    const bucket = this.bucket(name);
    const versions = bucket.objects[key] ?? [];
    if (versionId === undefined) {
      if (!bucket.versioning) {
        delete bucket.objects[key];
        this.save(bucket);
        for (const old of versions) this.removeBlob(name, old);
        return { deleteMarker: false };
      }
      const marker: ObjectVersion = {
        versionId: newVersionId(),
        deleteMarker: true,
        lastModified: new Date(this.now()).toISOString(),
        size: 0,
        headers: {},
      };
      bucket.objects[key] = [marker, ...versions];
      this.save(bucket);
      return { versionId: marker.versionId, deleteMarker: true };
    }
    checkVersionId(versionId);
    const version = versions.find((v) => v.versionId === versionId);
    // Deleting a version that is not there changes nothing, and succeeds.
    if (!version) return { versionId, deleteMarker: false };
    this.checkUnlocked(version, bypassGovernance);
    const rest = versions.filter((v) => v !== version);
    if (rest.length > 0) bucket.objects[key] = rest;
    else delete bucket.objects[key];
    this.save(bucket);
    this.removeBlob(name, version);
    return { versionId, deleteMarker: version.deleteMarker };
  }

  /** GetObjectRetention (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectRetention.html). */
  retention(name: string, key: string, versionId?: string): ObjectRetention {
    if (!this.bucket(name).objectLockEnabled) throw missingObjectLock();
    const version = this.version(name, key, versionId);
    if (!version.retention)
      throw new S3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
    return version.retention;
  }

  /**
   * PutObjectRetention. While a retention is in force: COMPLIANCE "can't be changed, and its retention
   * period can't be shortened" — only extended; GOVERNANCE can be extended, and changed, shortened or
   * removed only with the bypass header
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes,
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html). Refusals are AccessDenied.
   */
  putRetention(
    name: string,
    key: string,
    versionId: string | undefined,
    retention: ObjectRetention | undefined,
    bypassGovernance: boolean,
  ): void {
    const bucket = this.bucket(name);
    if (!bucket.objectLockEnabled) throw missingObjectLock();
    const version = this.version(name, key, versionId);
    if (retention && Date.parse(retention.retainUntil) <= this.now()) throw invalidArgument('The retain until date must be in the future!');
    const current = version.retention;
    if (current && Date.parse(current.retainUntil) > this.now()) {
      const extendsIt =
        retention !== undefined && retention.mode === current.mode && Date.parse(retention.retainUntil) >= Date.parse(current.retainUntil);
      if (!extendsIt && (current.mode === 'COMPLIANCE' || !bypassGovernance))
        throw accessDenied('Access Denied because object protected by object lock.');
    }
    if (retention) version.retention = retention;
    else delete version.retention;
    this.save(bucket);
  }

  /** The current versions under `prefix` after `startAfter`, in key order (ListObjectsV2). */
  listObjects(
    name: string,
    options: { prefix: string; startAfter?: string; maxKeys: number },
  ): { objects: ListedVersion[]; truncated: boolean } {
    const bucket = this.bucket(name);
    const keys = Object.keys(bucket.objects)
      .filter((key) => key.startsWith(options.prefix) && (options.startAfter === undefined || compareKeys(key, options.startAfter) > 0))
      .filter((key) => !bucket.objects[key]![0]!.deleteMarker)
      .sort(compareKeys);
    const objects = keys.slice(0, options.maxKeys).map((key) => ({ ...bucket.objects[key]![0]!, key, isLatest: true }));
    return { objects, truncated: options.maxKeys > 0 && keys.length > options.maxKeys };
  }

  /** Every version and delete marker under `prefix`: keys in order, each key's versions newest first (ListObjectVersions). */
  listVersions(
    name: string,
    options: { prefix: string; keyMarker?: string; versionIdMarker?: string; maxKeys: number },
  ): { versions: ListedVersion[]; truncated: boolean } {
    const bucket = this.bucket(name);
    const all = Object.keys(bucket.objects)
      .filter((key) => key.startsWith(options.prefix))
      .sort(compareKeys)
      .flatMap((key) => bucket.objects[key]!.map((v, i) => ({ ...v, key, isLatest: i === 0 })));
    let start = 0;
    if (options.keyMarker !== undefined) {
      const marker = options.keyMarker;
      const afterMarkerVersion =
        options.versionIdMarker !== undefined ? all.findIndex((v) => v.key === marker && v.versionId === options.versionIdMarker) : -1;
      start = afterMarkerVersion >= 0 ? afterMarkerVersion + 1 : all.findIndex((v) => compareKeys(v.key, marker) > 0);
      if (start < 0) start = all.length;
    }
    const rest = all.slice(start);
    return { versions: rest.slice(0, options.maxKeys), truncated: options.maxKeys > 0 && rest.length > options.maxKeys };
  }

  private checkUnlocked(version: ObjectVersion, bypassGovernance: boolean): void {
    const retention = version.retention;
    if (!retention || Date.parse(retention.retainUntil) <= this.now()) return;
    if (retention.mode === 'GOVERNANCE' && bypassGovernance) return;
    throw accessDenied('Access Denied because object protected by object lock.');
  }

  private blobPath(bucket: string, blob: string): string {
    return join(this.dir, bucket, 'blobs', blob);
  }

  private removeBlob(bucket: string, version: ObjectVersion): void {
    if (version.blob) rmSync(this.blobPath(bucket, version.blob), { force: true });
  }

  /** Writes the bucket's index whole, through a rename, so a crash leaves the old index or the new one. */
  private save(bucket: BucketState): void {
    const file = join(this.dir, bucket.name, 'bucket.json');
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(bucket), { mode: 0o600 });
    renameSync(temporary, file);
  }
}

function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

function md5Hex(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** "Invalid version id specified" for anything that is not a version id this store could have made. */
export function checkVersionId(versionId: string): void {
  if (versionId !== NULL_VERSION && !VERSION_ID.test(versionId)) throw invalidArgument('Invalid version id specified');
}

/** The retain-until date a default retention gives a version written at `now` (years are calendar years, UTC). */
export function defaultRetentionFrom(rule: DefaultRetention, now: number): ObjectRetention {
  let until: number;
  if (rule.days !== undefined) until = now + rule.days * DAY_MS;
  else {
    const date = new Date(now);
    date.setUTCFullYear(date.getUTCFullYear() + (rule.years ?? 0));
    until = date.getTime();
  }
  return { mode: rule.mode, retainUntil: new Date(until).toISOString() };
}
