/**
 * The twin's S3: the REST-XML API, path-style (`/<bucket>/<key>`; S3 clients in the twin need
 * `forcePathStyle: true`, see `localS3ClientConfig` — the SDK reads no environment variable for it, and
 * the loopback guard answers no `<bucket>.127.0.0.1` host), with versioning and Object Lock.
 * Written by hand: s3rver and the other npm S3 emulators implement neither versioning nor Object
 * Lock (s3rver's own router, lib/routes.js, answers `?versioning`, `?object-lock`, `?retention` and
 * `?legal-hold` with NotImplemented), and Object Lock is the point: the audit digests are kept in a
 * COMPLIANCE-locked bucket.
 * Operations, as `@aws-sdk/client-s3` calls them: CreateBucket (`x-amz-bucket-object-lock-enabled`),
 * HeadBucket, Put/GetObjectLockConfiguration, GetBucketVersioning, PutObject (If-None-Match: *),
 * GetObject, HeadObject, DeleteObject, ListObjectsV2, ListObjectVersions, Get/PutObjectRetention.
 * Anything else — another operation, or a header or parameter asking for behaviour the twin does not
 * have (Range, delimiters, tagging, legal holds, SSE-C, …) — is 501 NotImplemented naming it: the twin
 * refuses rather than pretends. Errors are S3's XML with S3's codes and statuses, never a stack trace.
 * Request bodies are limited to 5 MiB (EntityTooLarge). Signatures are not checked, as in the other
 * endpoints; body digests are (request-integrity.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { roleRefusal, type LambdaRoles, type RoleCall } from '../lambda/lambda-roles';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AwsServiceError } from '../http/aws-service-error';
import { LOCAL_ACCOUNT, LOCAL_REGION, localClientConfig } from '../local-credentials';
import { systemClock, type Clock } from '../time/clock';
import { decodeAwsChunked } from './aws-chunked-body';
import { checkBodyIntegrity, type BodyIntegrity } from './request-integrity';
import { accessDenied, invalidArgument, invalidRequest, missingObjectLock, notImplemented, S3Error } from './s3-error';
import {
  type BucketSetup,
  type DefaultRetention,
  type ListedVersion,
  NULL_VERSION,
  type ObjectRetention,
  type ObjectVersion,
  RETENTION_MODES,
  type RetentionMode,
  S3ObjectStore,
} from './s3-object-store';
import { child, malformedXml, onlyChildren, parseXml, type XmlElement, xmlDocument, type XmlNode } from './s3-xml';

/** The largest request body the twin's S3 takes (S3's own single-PUT limit is 5 GB). */
export const MAX_S3_BODY_BYTES = 5 * 1024 * 1024;
/** aws-chunked framing on top of the body (a few dozen bytes per 64 KiB chunk). */
const CHUNKED_OVERHEAD_BYTES = 256 * 1024;
const MAX_KEY_BYTES = 1024;
const MAX_USER_METADATA_BYTES = 2048;
const MAX_LIST_KEYS = 1000;
const OWNER_ID = createHash('sha256').update(`support-desk-twin:${LOCAL_ACCOUNT}`).digest('hex');

export interface S3ServerOptions {
  /** Where buckets and objects are kept (the data folder's `s3/`). */
  dir: string;
  /** Retention periods run on this clock (tests pass a fake one). */
  clock?: Clock;
  /** Buckets to have before the first request: created if missing, their default retention re-applied. */
  buckets?: readonly BucketSetup[];
  /** The functions' roles: a handler's request must be allowed by its function's (IAM, local/lambda/lambda-roles.ts). */
  roles?: LambdaRoles;
}

/** Client settings for the twin's S3: path-style, since the twin answers only to 127.0.0.1:<port>. */
export function localS3ClientConfig(endpoint: string): ReturnType<typeof localClientConfig> & { forcePathStyle: true } {
  return { ...localClientConfig(endpoint), forcePathStyle: true };
}

export function createS3Server(options: S3ServerOptions): Server {
  const clock = options.clock ?? systemClock;
  const store = new S3ObjectStore(options.dir, clock);
  for (const setup of options.buckets ?? []) store.ensureBucket(setup);
  return createServer((req, res) => {
    void handle(store, clock, req, res, options.roles);
  });
}

interface S3Request {
  method: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as sent, and decoded (aws-chunked). */
  rawBody: Buffer;
  body: Buffer;
  trailers: Record<string, string>;
}

interface S3Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

type Handler = (request: S3Request, store: S3ObjectStore, clock: Clock) => S3Reply;

const header = (request: { headers: IncomingHttpHeaders }, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const xmlReply = (root: string, content: XmlNode, headers: Record<string, string> = {}): S3Reply => ({
  status: 200,
  headers: { 'content-type': 'application/xml', ...headers },
  body: xmlDocument(root, content),
});

async function handle(store: S3ObjectStore, clock: Clock, req: IncomingMessage, res: ServerResponse, roles?: LambdaRoles): Promise<void> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const method = req.method ?? 'GET';
  let resource = '/';
  try {
    const target = parseTarget(req.url ?? '/');
    resource = target.resource;
    const operation = operationOf(method, target);
    const refusal = roleRefusal(roles, req.headers, () => iamCalls(operation, target, req.headers));
    if (refusal) {
      req.resume();
      throw new S3Error('AccessDenied', refusal.message, 403);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunked = /aws-chunked/i.test(header(req, 'content-encoding') ?? '');
    if (declared > MAX_S3_BODY_BYTES + (chunked ? CHUNKED_OVERHEAD_BYTES : 0)) {
      // Answer now, without reading what is not going to be kept, and close the connection.
      req.resume();
      res.setHeader('connection', 'close');
      throw entityTooLarge();
    }
    const rawBody = await readBody(req, MAX_S3_BODY_BYTES + (chunked ? CHUNKED_OVERHEAD_BYTES : 0));
    if (!rawBody) throw entityTooLarge();
    const handler = HANDLERS[operation];
    if (!handler) throw notImplemented(operation);
    const expectedOwner = header(req, 'x-amz-expected-bucket-owner');
    if (expectedOwner !== undefined && expectedOwner !== LOCAL_ACCOUNT) throw accessDenied();
    let body = rawBody;
    let trailers: Record<string, string> = {};
    if (chunked) {
      const decodedLength = Number(header(req, 'x-amz-decoded-content-length'));
      if (!Number.isSafeInteger(decodedLength) || decodedLength < 0)
        throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
      if (decodedLength > MAX_S3_BODY_BYTES) throw entityTooLarge();
      ({ body, trailers } = decodeAwsChunked(rawBody, decodedLength));
    }
    const reply = handler(
      { method, bucket: target.bucket, key: target.key, query: target.query, headers: req.headers, rawBody, body, trailers },
      store,
      clock,
    );
    send(res, method, reply, requestId);
  } catch (error) {
    if (!(error instanceof AwsServiceError)) console.error('[s3] internal error', error);
    const s3Error =
      error instanceof AwsServiceError ? error : new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500);
    sendError(res, method, s3Error, resource, requestId);
  }
}

function entityTooLarge(): S3Error {
  return new S3Error(
    'EntityTooLarge',
    `Your proposed upload exceeds the maximum allowed size (${MAX_S3_BODY_BYTES} bytes in the twin)`,
    400,
  );
}

/** The whole body, or undefined past `limit` bytes (the rest is read and dropped). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, method: string, reply: S3Reply, requestId: string): void {
  const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
  const headers: Record<string, string> = {
    'x-amz-request-id': requestId,
    'x-amz-id-2': Buffer.from(requestId).toString('base64'),
    ...reply.headers,
  };
  // HEAD says how long the object is, and sends none of it; 204 has no body at all.
  if (method !== 'HEAD' && reply.status !== 204) headers['content-length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' || reply.status === 204 ? undefined : body);
}

/** S3's XML error (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses); a HEAD gets the status alone. */
function sendError(res: ServerResponse, method: string, error: AwsServiceError, resource: string, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const extra = error instanceof S3Error ? error.headers : {};
  const body =
    method === 'HEAD'
      ? undefined
      : xmlDocument('Error', { Code: error.code, Message: error.message, Resource: resource, RequestId: requestId }, { namespace: false });
  send(res, method, { status: error.status, headers: { ...(body && { 'content-type': 'application/xml' }), ...extra }, body }, requestId);
}

interface Target {
  bucket: string;
  key: string;
  query: URLSearchParams;
  resource: string;
}

function parseTarget(url: string): Target {
  const question = url.indexOf('?');
  const path = question < 0 ? url : url.slice(0, question);
  const query = new URLSearchParams(question < 0 ? '' : url.slice(question + 1));
  if (!path.startsWith('/')) throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
  const slash = path.indexOf('/', 1);
  try {
    const bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
    const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
    return { bucket, key, query, resource: key ? `/${bucket}/${key}` : `/${bucket}` };
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

/** Query parameters that name a subresource (and so an operation other than the plain one). */
const SUBRESOURCES: Record<string, string> = {
  acl: 'Acl',
  tagging: 'Tagging',
  retention: 'Retention',
  'legal-hold': 'LegalHold',
  'object-lock': 'ObjectLockConfiguration',
  versioning: 'Versioning',
  versions: 'Versions',
  policy: 'Policy',
  policyStatus: 'PolicyStatus',
  cors: 'Cors',
  lifecycle: 'LifecycleConfiguration',
  location: 'Location',
  website: 'Website',
  logging: 'Logging',
  notification: 'NotificationConfiguration',
  replication: 'Replication',
  encryption: 'Encryption',
  accelerate: 'AccelerateConfiguration',
  requestPayment: 'RequestPayment',
  inventory: 'InventoryConfiguration',
  metrics: 'MetricsConfiguration',
  analytics: 'AnalyticsConfiguration',
  ownershipControls: 'OwnershipControls',
  publicAccessBlock: 'PublicAccessBlock',
  'intelligent-tiering': 'IntelligentTieringConfiguration',
  attributes: 'Attributes',
  torrent: 'Torrent',
  restore: 'Restore',
  select: 'SelectContent',
  uploads: 'Uploads',
  uploadId: 'UploadId',
  delete: 'Delete',
  session: 'Session',
  metadataTable: 'MetadataTableConfiguration',
  abac: 'Abac',
};

const VERBS: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', POST: 'Post', HEAD: 'Head' };

/** The S3 operation a request is (its name in the API reference), whether the twin implements it or not. */
function operationOf(method: string, target: Target): string {
  const sub = [...target.query.keys()].find((name) => name in SUBRESOURCES);
  if (!target.bucket) return method === 'GET' ? 'ListBuckets' : `${method} on the service endpoint`;
  if (method === 'OPTIONS') return 'CORS preflight (OPTIONS)';
  if (!target.key) {
    if (method === 'PUT' && !sub) return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'DELETE' && !sub) return 'DeleteBucket';
    if (method === 'POST') return sub === 'delete' ? 'DeleteObjects' : 'PostObject';
    if (method === 'GET') {
      if (sub === 'versions') return 'ListObjectVersions';
      if (sub === 'uploads') return 'ListMultipartUploads';
      if (sub === 'object-lock') return 'GetObjectLockConfiguration';
      if (!sub) return target.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    }
    if (sub === 'object-lock') return `${VERBS[method] ?? method}ObjectLockConfiguration`;
    return `${VERBS[method] ?? method}Bucket${sub ? SUBRESOURCES[sub] : ''}`;
  }
  if (target.query.has('partNumber') || sub === 'uploadId') {
    if (method === 'PUT') return 'UploadPart';
    if (method === 'POST') return 'CompleteMultipartUpload';
    if (method === 'DELETE') return 'AbortMultipartUpload';
    return 'ListParts';
  }
  if (method === 'POST') return sub === 'uploads' ? 'CreateMultipartUpload' : sub === 'restore' ? 'RestoreObject' : 'SelectObjectContent';
  if (method === 'HEAD') return 'HeadObject';
  return `${VERBS[method] ?? method}Object${sub ? SUBRESOURCES[sub] : ''}`;
}

/**
 * The IAM actions an S3 request needs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html):
 * a listing is s3:ListBucket on the bucket; reading or adding an object s3:GetObject / s3:PutObject on it, a version of
 * it s3:GetObjectVersion, and a retention set with the object s3:PutObjectRetention besides. Anything else is its own action.
 */
function iamCalls(operation: string, target: Target, headers: IncomingHttpHeaders): RoleCall[] {
  const bucketArn = `arn:aws:s3:::${target.bucket}`;
  const objectArn = `${bucketArn}/${target.key}`;
  const other = (action: string, resource: string) => ({ request: { action, other: true as const }, resource });
  switch (operation) {
    case 'ListObjects':
    case 'ListObjectsV2':
      return [{ request: { action: 's3:ListBucket', bucket: target.bucket }, resource: bucketArn }];
    case 'GetObject':
    case 'HeadObject':
      return target.query.has('versionId')
        ? [other('s3:GetObjectVersion', objectArn)]
        : [{ request: { action: 's3:GetObject', bucket: target.bucket, key: target.key }, resource: objectArn }];
    case 'PutObject':
      return [
        { request: { action: 's3:PutObject', bucket: target.bucket, key: target.key }, resource: objectArn },
        ...(headers['x-amz-object-lock-mode'] !== undefined || headers['x-amz-object-lock-retain-until-date'] !== undefined
          ? [other('s3:PutObjectRetention', objectArn)]
          : []),
      ];
    default:
      return [other(`s3:${operation}`, target.key ? objectArn : bucketArn)];
  }
}

/** Fails with NotImplemented if the request carries any of these headers (or query parameters). */
function refuse(request: S3Request, headers: readonly string[], queryParameters: readonly string[] = []): void {
  for (const name of headers) {
    const present = name.endsWith('*')
      ? Object.keys(request.headers).find((h) => h.startsWith(name.slice(0, -1)))
      : request.headers[name] !== undefined && name;
    if (present) throw notImplemented(`the ${present} header`);
  }
  for (const name of queryParameters) {
    const present = name.endsWith('*')
      ? [...request.query.keys()].find((q) => q.startsWith(name.slice(0, -1)))
      : request.query.has(name) && name;
    if (present) throw notImplemented(`the ${present} query parameter`);
  }
}

const SSE_C = 'x-amz-server-side-encryption-customer-*';

/** Content-MD5 or an x-amz-checksum-* for operations S3 marks "checksum required". */
function requireDigest(integrity: BodyIntegrity): void {
  if (!integrity.verified) throw invalidRequest('Missing required header for this request: Content-MD5');
}

function versionIdOf(request: S3Request): string | undefined {
  return request.query.get('versionId') ?? undefined;
}

function bypassGovernance(request: S3Request): boolean {
  return header(request, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

function parseDate(text: string): number | undefined {
  if (!ISO_8601.test(text.trim())) return undefined;
  const time = Date.parse(text.trim());
  return Number.isNaN(time) ? undefined : time;
}

const httpDate = (iso: string) => new Date(iso).toUTCString();

/** The headers a GET or HEAD of a version answers with. */
function objectHeaders(request: S3Request, version: ObjectVersion): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'binary/octet-stream',
    ...version.headers,
    'content-length': String(version.size),
    etag: version.etag ?? '""',
    'last-modified': httpDate(version.lastModified),
    'accept-ranges': 'bytes',
  };
  if (version.versionId !== NULL_VERSION) headers['x-amz-version-id'] = version.versionId;
  if (version.retention) {
    headers['x-amz-object-lock-mode'] = version.retention.mode;
    headers['x-amz-object-lock-retain-until-date'] = version.retention.retainUntil;
  }
  // The stored checksum, when the caller asks for it (the SDK v3 does, and then checks the body against it).
  if (version.checksum && header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    headers[`x-amz-checksum-${version.checksum.algorithm}`] = version.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

/** The representation headers S3 keeps with an object and returns on GET, and its user metadata. */
function storedHeaders(request: S3Request): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of ['content-type', 'content-disposition', 'content-language', 'cache-control', 'expires']) {
    const value = header(request, name);
    if (value !== undefined) stored[name] = value;
  }
  const encoding = header(request, 'content-encoding')
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked')
    .join(',');
  if (encoding) stored['content-encoding'] = encoding;
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    metadataBytes += Buffer.byteLength(name.slice('x-amz-meta-'.length)) + Buffer.byteLength(text);
    stored[name] = text;
  }
  // "the user-defined metadata is limited to 2 KB in size"
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#UserMetadata).
  if (metadataBytes > MAX_USER_METADATA_BYTES)
    throw new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400);
  return stored;
}

/** x-amz-object-lock-mode and -retain-until-date, both or neither (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). */
function requestedRetention(request: S3Request, clock: Clock): ObjectRetention | undefined {
  const mode = header(request, 'x-amz-object-lock-mode');
  const until = header(request, 'x-amz-object-lock-retain-until-date');
  if (mode === undefined && until === undefined) return undefined;
  if (mode === undefined || until === undefined)
    throw invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
  if (!RETENTION_MODES.includes(mode as RetentionMode)) throw invalidArgument('Unknown wormMode directive.');
  const time = parseDate(until);
  if (time === undefined) throw invalidArgument('The retain until date must be provided in ISO 8601 format');
  if (time <= clock.now()) throw invalidArgument('The retain until date must be in the future!');
  return { mode: mode as RetentionMode, retainUntil: new Date(time).toISOString() };
}

function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long', 400);
}

function maxKeysOf(request: S3Request): number {
  const text = request.query.get('max-keys');
  if (text === null) return MAX_LIST_KEYS;
  if (!/^\d{1,10}$/.test(text)) throw invalidArgument('Provided max-keys not an integer or within integer range');
  return Math.min(Number(text), MAX_LIST_KEYS);
}

/** A version in a listing: a `<Version>` or a `<DeleteMarker>`. */
/**
 * `encoding-type=url` (the AWS CLI always sends it): keys, prefixes and markers in the answer are
 * URL-encoded, and the answer says so (EncodingType); any other value is refused, as S3 does
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_RequestSyntax).
 */
function keyEncoding(request: S3Request): (key: string) => string {
  const encoding = request.query.get('encoding-type');
  if (encoding === null) return (key) => key;
  if (encoding !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request');
  return (key) => encodeURIComponent(key).replace(/%2F/g, '/');
}

function listedVersion(v: ListedVersion, encode: (key: string) => string = (k) => k): XmlNode {
  const common = { Key: encode(v.key), VersionId: v.versionId, IsLatest: v.isLatest, LastModified: v.lastModified };
  return v.deleteMarker
    ? { DeleteMarker: { ...common, Owner: { ID: OWNER_ID } } }
    : { Version: { ...common, ETag: v.etag, Size: v.size, Owner: { ID: OWNER_ID }, StorageClass: 'STANDARD' } };
}

function retentionXml(retention: ObjectRetention): XmlNode {
  return { Mode: retention.mode, RetainUntilDate: retention.retainUntil };
}

function parseBody(request: S3Request, root: string): XmlElement {
  const element = parseXml(request.body.toString('utf8'));
  if (element.name !== root) throw malformedXml();
  return element;
}

function positiveInteger(element: XmlElement | undefined, max: number, what: string): number | undefined {
  if (!element) return undefined;
  const text = element.text.trim();
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1)
    throw invalidArgument(`Default retention period must be a positive integer value for ${what}`);
  if (Number(text) > max) throw invalidArgument(`Default retention period is too large for ${what}`);
  return Number(text);
}

const HANDLERS: Record<string, Handler> = {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
  CreateBucket: (request, store) => {
    if (request.body.length > 0) {
      const config = parseBody(request, 'CreateBucketConfiguration');
      onlyChildren(config, ['LocationConstraint', 'Location', 'Bucket', 'Tags']);
      const location = child(config, 'LocationConstraint')?.text.trim();
      if (child(config, 'Location') || child(config, 'Bucket'))
        throw notImplemented('directory buckets (Location, Bucket in CreateBucketConfiguration)');
      if (child(config, 'Tags')) throw notImplemented('Tags in CreateBucketConfiguration');
      // The twin is us-east-1, where the location constraint is left out.
      if (location === LOCAL_REGION) throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400);
      if (location)
        throw new S3Error(
          'IllegalLocationConstraintException',
          `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`,
          400,
        );
    }
    refuse(request, ['x-amz-bucket-object-lock-token']);
    const objectLock = header(request, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true';
    store.createBucket(request.bucket, { objectLock });
    return { status: 200, headers: { location: `/${request.bucket}` } };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
  HeadBucket: (request, store) => {
    store.bucket(request.bucket);
    return { status: 200, headers: { 'x-amz-bucket-region': LOCAL_REGION } };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html
  GetBucketVersioning: (request, store) => {
    const status = store.versioning(request.bucket);
    return xmlReply('VersioningConfiguration', status ? { Status: status } : {});
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html: "The
  // DefaultRetention settings require both a mode and a period. The DefaultRetention period can be
  // either Days or Years but you must select one." Content-MD5 (or a checksum) is required.
  PutObjectLockConfiguration: (request, store) => {
    store.bucket(request.bucket);
    refuse(request, ['x-amz-bucket-object-lock-token']);
    requireDigest(checkBodyIntegrity(request.headers, request.rawBody, request.body, request.trailers));
    const config = parseBody(request, 'ObjectLockConfiguration');
    onlyChildren(config, ['ObjectLockEnabled', 'Rule']);
    if (child(config, 'ObjectLockEnabled')?.text.trim() !== 'Enabled') throw malformedXml();
    const rule = child(config, 'Rule');
    let retention: DefaultRetention | undefined;
    if (rule) {
      onlyChildren(rule, ['DefaultRetention']);
      const defaults = child(rule, 'DefaultRetention');
      if (!defaults) throw malformedXml();
      onlyChildren(defaults, ['Mode', 'Days', 'Years']);
      const mode = child(defaults, 'Mode')?.text.trim();
      const days = positiveInteger(child(defaults, 'Days'), 36_500, 'Days');
      const years = positiveInteger(child(defaults, 'Years'), 100, 'Years');
      if (!mode || !RETENTION_MODES.includes(mode as RetentionMode) || (days === undefined) === (years === undefined)) throw malformedXml();
      retention = { mode: mode as RetentionMode, ...(days !== undefined ? { days } : { years }) };
    }
    store.putObjectLockConfiguration(request.bucket, retention);
    return { status: 200 };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html
  GetObjectLockConfiguration: (request, store) => {
    const { rule } = store.objectLockConfiguration(request.bucket);
    return xmlReply('ObjectLockConfiguration', {
      ObjectLockEnabled: 'Enabled',
      Rule: rule && { DefaultRetention: { Mode: rule.mode, Days: rule.days, Years: rule.years } },
    });
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
  PutObject: (request, store, clock) => {
    refuse(request, [
      'x-amz-copy-source',
      'if-match',
      'x-amz-tagging',
      'x-amz-object-lock-legal-hold',
      'x-amz-website-redirect-location',
      'x-amz-write-offset-bytes',
      'x-amz-grant-*',
      SSE_C,
      'x-amz-server-side-encryption-aws-kms-key-id',
      'x-amz-server-side-encryption-context',
    ]);
    const sse = header(request, 'x-amz-server-side-encryption');
    if (sse !== undefined && sse !== 'AES256') throw notImplemented(`server-side encryption ${sse}`);
    const storageClass = header(request, 'x-amz-storage-class');
    if (storageClass !== undefined && storageClass !== 'STANDARD') throw notImplemented(`the ${storageClass} storage class`);
    const acl = header(request, 'x-amz-acl');
    if (acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control') throw notImplemented(`the ${acl} canned ACL`);
    const ifNoneMatch = header(request, 'if-none-match');
    // Only "*" is a conditional write (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
    if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw notImplemented('If-None-Match with a value other than *');
    checkKey(request.key);
    const bucket = store.bucket(request.bucket);
    const retention = requestedRetention(request, clock);
    if (retention && !bucket.objectLockEnabled) throw missingObjectLock();
    const integrity = checkBodyIntegrity(request.headers, request.rawBody, request.body, request.trailers);
    // "The Content-MD5 or x-amz-sdk-checksum-algorithm header is required for any request to upload an
    // object with a retention period configured using Amazon S3 Object Lock" — asked for, or given by the
    // bucket's default (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax,
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html). The SDK v3's
    // default CRC32 satisfies it.
    if ((retention || store.hasDefaultRetention(request.bucket)) && !integrity.verified)
      throw invalidRequest('Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    const version = store.putObject(request.bucket, request.key, {
      body: request.body,
      headers: storedHeaders(request),
      checksum: integrity.checksum,
      retention,
      ifNoneMatch: ifNoneMatch !== undefined,
    });
    const headers: Record<string, string> = { etag: version.etag! };
    if (version.versionId !== NULL_VERSION) headers['x-amz-version-id'] = version.versionId;
    if (integrity.checksum) {
      headers[`x-amz-checksum-${integrity.checksum.algorithm}`] = integrity.checksum.value;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    return { status: 200, headers };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
  GetObject: (request, store) => {
    refuse(
      request,
      ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', SSE_C],
      ['partNumber', 'response-*'],
    );
    const version = store.version(request.bucket, request.key, versionIdOf(request));
    return { status: 200, headers: objectHeaders(request, version), body: store.body(request.bucket, version) };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
  HeadObject: (request, store) => {
    refuse(
      request,
      ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', SSE_C],
      ['partNumber', 'response-*'],
    );
    const version = store.version(request.bucket, request.key, versionIdOf(request));
    return { status: 200, headers: objectHeaders(request, version) };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
  DeleteObject: (request, store) => {
    refuse(request, ['if-match', 'x-amz-if-match-last-modified-time', 'x-amz-if-match-size', 'x-amz-mfa']);
    const result = store.deleteObject(request.bucket, request.key, versionIdOf(request), bypassGovernance(request));
    const headers: Record<string, string> = {};
    if (result.versionId !== undefined && result.versionId !== NULL_VERSION) headers['x-amz-version-id'] = result.versionId;
    if (result.deleteMarker) headers['x-amz-delete-marker'] = 'true';
    return { status: 204, headers };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectRetention.html
  GetObjectRetention: (request, store) =>
    xmlReply('Retention', retentionXml(store.retention(request.bucket, request.key, versionIdOf(request)))),

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html (Content-MD5 or a
  // checksum required; an empty <Retention/> removes a GOVERNANCE retention, with the bypass header).
  PutObjectRetention: (request, store) => {
    store.bucket(request.bucket);
    requireDigest(checkBodyIntegrity(request.headers, request.rawBody, request.body, request.trailers));
    const element = parseBody(request, 'Retention');
    onlyChildren(element, ['Mode', 'RetainUntilDate']);
    const mode = child(element, 'Mode')?.text.trim();
    const until = child(element, 'RetainUntilDate')?.text.trim();
    let retention: ObjectRetention | undefined;
    if (mode !== undefined || until !== undefined) {
      const time = until === undefined ? undefined : parseDate(until);
      if (!RETENTION_MODES.includes(mode as RetentionMode) || time === undefined) throw malformedXml();
      retention = { mode: mode as RetentionMode, retainUntil: new Date(time).toISOString() };
    }
    store.putRetention(request.bucket, request.key, versionIdOf(request), retention, bypassGovernance(request));
    return { status: 200 };
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html (no delimiter: refused
  // rather than ignored, since it would change what the caller reads).
  ListObjectsV2: (request, store) => {
    refuse(request, [], ['delimiter']);
    const encode = keyEncoding(request);
    if (request.query.get('fetch-owner') === 'true') throw notImplemented('fetch-owner=true');
    store.bucket(request.bucket);
    const prefix = request.query.get('prefix') ?? '';
    const maxKeys = maxKeysOf(request);
    const token = request.query.get('continuation-token') ?? undefined;
    const startAfter = request.query.get('start-after') ?? undefined;
    let after = startAfter;
    if (token !== undefined) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!token || Buffer.from(decoded, 'utf8').toString('base64url') !== token)
        throw invalidArgument('The continuation token provided is incorrect');
      after = decoded;
    }
    const { objects, truncated } = store.listObjects(request.bucket, { prefix, startAfter: after, maxKeys });
    const last = objects[objects.length - 1];
    return xmlReply('ListBucketResult', [
      { Name: request.bucket, Prefix: encode(prefix), KeyCount: objects.length, MaxKeys: maxKeys, IsTruncated: truncated },
      request.query.has('encoding-type') ? { EncodingType: 'url' } : {},
      {
        ContinuationToken: token,
        NextContinuationToken: truncated && last ? Buffer.from(last.key, 'utf8').toString('base64url') : undefined,
      },
      { StartAfter: startAfter === undefined ? undefined : encode(startAfter) },
      objects.map((o) => ({
        Contents: { Key: encode(o.key), LastModified: o.lastModified, ETag: o.etag, Size: o.size, StorageClass: 'STANDARD' },
      })),
    ]);
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
  ListObjectVersions: (request, store) => {
    refuse(request, [], ['delimiter']);
    const encode = keyEncoding(request);
    store.bucket(request.bucket);
    const prefix = request.query.get('prefix') ?? '';
    const maxKeys = maxKeysOf(request);
    const keyMarker = request.query.get('key-marker') ?? undefined;
    const versionIdMarker = request.query.get('version-id-marker') ?? undefined;
    if (versionIdMarker !== undefined && keyMarker === undefined)
      throw invalidArgument('A version-id marker cannot be specified without a key marker.');
    const { versions, truncated } = store.listVersions(request.bucket, { prefix, keyMarker, versionIdMarker, maxKeys });
    const last = versions[versions.length - 1];
    return xmlReply('ListVersionsResult', [
      {
        Name: request.bucket,
        Prefix: encode(prefix),
        KeyMarker: encode(keyMarker ?? ''),
        VersionIdMarker: versionIdMarker ?? '',
        MaxKeys: maxKeys,
        IsTruncated: truncated,
      },
      truncated && last ? { NextKeyMarker: encode(last.key), NextVersionIdMarker: last.versionId } : {},
      request.query.has('encoding-type') ? { EncodingType: 'url' } : {},
      versions.map((v) => listedVersion(v, encode)),
    ]);
  },
};
