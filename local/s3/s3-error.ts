/**
 * An S3 error: an AwsServiceError (code, message, HTTP status) that may carry response headers too,
 * as S3 sends some with its errors (`x-amz-delete-marker: true` on the NoSuchKey of a deleted key).
 * The S3 endpoint writes it as S3's XML error body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses).
 * The codes and statuses are those of S3's list
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 */
import { AwsServiceError } from '../http/aws-service-error';

export class S3Error extends AwsServiceError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

export const noSuchBucket = () => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
export const noSuchKey = (headers: Record<string, string> = {}) =>
  new S3Error('NoSuchKey', 'The specified key does not exist.', 404, headers);
export const noSuchVersion = () => new S3Error('NoSuchVersion', 'The specified version does not exist.', 404);
export const accessDenied = (message = 'Access Denied') => new S3Error('AccessDenied', message, 403);
export const invalidArgument = (message: string) => new S3Error('InvalidArgument', message, 400);
export const invalidRequest = (message: string) => new S3Error('InvalidRequest', message, 400);
export const notImplemented = (what: string) =>
  new S3Error('NotImplemented', `The Support Desk twin does not implement ${what}; it refuses rather than pretends.`, 501);
/** Object Lock operations on a bucket created without it. */
export const missingObjectLock = () => invalidRequest('Bucket is missing Object Lock Configuration');
