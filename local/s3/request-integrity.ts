/**
 * The integrity checks S3 makes on a request body before it keeps anything
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html):
 * `Content-MD5`, one `x-amz-checksum-<algorithm>` header (or trailer, for aws-chunked bodies) and the
 * SigV4 payload hash `x-amz-content-sha256` must each match the bytes received, or the request fails
 * with BadDigest / XAmzContentSHA256Mismatch and nothing is stored. CRC32, SHA1 and SHA256 are
 * computed with node (zlib.crc32, crypto); CRC32C and CRC64NVME are refused with NotImplemented
 * rather than accepted unchecked. The AWS SDK v3 sends CRC32 by default.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { invalidRequest, notImplemented, S3Error } from './s3-error';

type Headers = Record<string, string | string[] | undefined>;

const ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
type ChecksumAlgorithm = (typeof ALGORITHMS)[number];
const COMPUTED: Partial<Record<ChecksumAlgorithm, (body: Buffer) => Buffer>> = {
  crc32: (body) => {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc32(body) >>> 0);
    return value;
  },
  sha1: (body) => createHash('sha1').update(body).digest(),
  sha256: (body) => createHash('sha256').update(body).digest(),
};

/** The checksum a body was sent with, kept with the object and returned when asked (`x-amz-checksum-mode`). */
export interface BodyChecksum {
  /** e.g. "crc32"; the header is `x-amz-checksum-<algorithm>`. */
  algorithm: string;
  /** Base64, as sent. */
  value: string;
}

export interface BodyIntegrity {
  /** The body carried Content-MD5 or an additional checksum (what Object Lock uploads require). */
  verified: boolean;
  checksum?: BodyChecksum;
}

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/**
 * Checks `body` against the digests the request declares; `trailers` are those of an aws-chunked body.
 * Returns what was checked; throws S3's error for a mismatch or a malformed digest.
 */
export function checkBodyIntegrity(headers: Headers, rawBody: Buffer, body: Buffer, trailers: Record<string, string> = {}): BodyIntegrity {
  const payloadHash = header(headers, 'x-amz-content-sha256');
  if (
    payloadHash &&
    /^[0-9a-f]{64}$/i.test(payloadHash) &&
    createHash('sha256').update(rawBody).digest('hex') !== payloadHash.toLowerCase()
  )
    throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);

  let verified = false;
  const md5 = header(headers, 'content-md5');
  if (md5 !== undefined) {
    const expected = Buffer.from(md5, 'base64');
    if (expected.length !== 16 || expected.toString('base64') !== md5)
      throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400);
    if (!createHash('md5').update(body).digest().equals(expected))
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
    verified = true;
  }

  const declared = ALGORITHMS.flatMap((algorithm) => {
    const name = `x-amz-checksum-${algorithm}`;
    const value = header(headers, name) ?? trailers[name];
    return value === undefined ? [] : [{ algorithm, value }];
  });
  if (declared.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const sdkAlgorithm = header(headers, 'x-amz-sdk-checksum-algorithm')?.toLowerCase();
  const trailer = header(headers, 'x-amz-trailer')?.toLowerCase();
  if (trailer !== undefined && !declared.some((d) => `x-amz-checksum-${d.algorithm}` === trailer))
    throw invalidRequest(`The x-amz-trailer header names ${trailer}, which the body does not carry.`);
  // "When you send this header, there must be a corresponding x-amz-checksum-algorithm or
  // x-amz-trailer header sent. Otherwise, Amazon S3 fails the request with the HTTP status code 400"
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax).
  if (sdkAlgorithm !== undefined && declared.length === 0)
    throw invalidRequest(
      `x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.`,
    );
  const [checksum] = declared;
  if (!checksum) return { verified };
  if (sdkAlgorithm !== undefined && sdkAlgorithm !== checksum.algorithm)
    throw new S3Error(
      'BadDigest',
      `Value for x-amz-sdk-checksum-algorithm header does not match the x-amz-checksum-${checksum.algorithm} sent.`,
      400,
    );
  const compute = COMPUTED[checksum.algorithm];
  if (!compute) throw notImplemented(`the ${checksum.algorithm.toUpperCase()} checksum algorithm (use CRC32, SHA1, SHA256 or Content-MD5)`);
  const expected = compute(body);
  const sent = Buffer.from(checksum.value, 'base64');
  if (sent.length !== expected.length || sent.toString('base64') !== checksum.value)
    throw invalidRequest(`Value for x-amz-checksum-${checksum.algorithm} header is invalid.`);
  if (!sent.equals(expected))
    throw new S3Error('BadDigest', `The ${checksum.algorithm.toUpperCase()} you specified did not match the calculated checksum.`, 400);
  return { verified: true, checksum };
}
