/**
 * The `aws-chunked` content encoding S3 accepts for streamed uploads, decoded: the AWS SDK v3 sends a
 * stream body (not a Buffer or string) this way, with its checksum in a trailer
 * (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`, `x-amz-trailer: x-amz-checksum-crc32`).
 * Format: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html —
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0[;…]\r\n<trailer>:<value>\r\n…\r\n`.
 * Chunk signatures are not checked (the twin checks no signature); sizes, framing and the decoded
 * length are, since a body cut short must not be stored as if it were whole.
 */
import { S3Error } from './s3-error';

export interface DecodedChunkedBody {
  body: Buffer;
  /** Trailing headers, names lower-cased (`x-amz-checksum-crc32`, …); signatures left out. */
  trailers: Record<string, string>;
}

const incomplete = () => new S3Error('IncompleteBody', 'The request body is not a complete aws-chunked stream.', 400);

export function decodeAwsChunked(encoded: Buffer, decodedLength: number): DecodedChunkedBody {
  const chunks: Buffer[] = [];
  let at = 0;
  const line = (): string => {
    const end = encoded.indexOf('\r\n', at);
    if (end < 0) throw incomplete();
    const text = encoded.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const size = /^([0-9a-fA-F]{1,16})(;.*)?$/.exec(header);
    if (!size) throw incomplete();
    const length = Number.parseInt(size[1]!, 16);
    if (length === 0) break;
    if (at + length + 2 > encoded.length || encoded.subarray(at + length, at + length + 2).toString('latin1') !== '\r\n')
      throw incomplete();
    chunks.push(encoded.subarray(at, at + length));
    at += length + 2;
  }
  const trailers: Record<string, string> = {};
  for (;;) {
    const trailer = line();
    if (trailer === '') break;
    const colon = trailer.indexOf(':');
    if (colon <= 0) throw incomplete();
    const name = trailer.slice(0, colon).trim().toLowerCase();
    if (name !== 'x-amz-trailer-signature') trailers[name] = trailer.slice(colon + 1).trim();
  }
  if (at !== encoded.length) throw incomplete();
  const body = Buffer.concat(chunks);
  if (body.length !== decodedLength)
    throw new S3Error(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header',
      400,
    );
  return { body, trailers };
}
