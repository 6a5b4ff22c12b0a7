/**
 * An AWS error an emulated operation throws: its error code (sent as `__type`), message and HTTP
 * status, and any further members of the service's error shape (End User Messaging SMS's
 * ValidationException carries `Reason` and `Fields`). The AWS JSON protocol server sends it as the
 * service would; anything else is a 500.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
