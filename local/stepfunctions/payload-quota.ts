/**
 * Step Functions' payload quota: 256 KiB of UTF-8 for an execution's input, a state's input after
 * Parameters, a state's output and a task's result
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). Past it a state fails with
 * States.DataLimitExceeded, a terminal error that States.ALL does not catch
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). The twin checks the
 * execution's input and each task's effective input and result; the engine's own state outputs (Pass,
 * ResultSelector, ResultPath) are not measured.
 */
export const PAYLOAD_QUOTA_BYTES = 256 * 1024;

export function exceedsPayloadQuota(value: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8') > PAYLOAD_QUOTA_BYTES;
}
