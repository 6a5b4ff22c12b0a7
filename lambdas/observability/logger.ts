/**
 * Powertools Logger for every handler, with secrets redacted at the logger: whatever a handler logs,
 * any attribute whose name denotes a secret or personal contact data is replaced before it is written
 * (security rule 2 (docs/design.md) — defence in depth; handlers do not log these in the first place).
 */
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

export const REDACTED = '[REDACTED]';
const SECRET_KEY = /code|password|pepper|secret|ssml|email|token|phone|callerNumber(?!Masked)/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && !/Masked$/.test(k) ? REDACTED : redact(v, depth + 1),
    ]),
  );
}

/** Powertools' standard record layout, with the extra attributes passed through `redact`. */
class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(redact(additional) as LogAttributes);
  }
}

/** Service name from POWERTOOLS_SERVICE_NAME unless given. */
export function createLogger(serviceName?: string): Logger {
  return new Logger({ ...(serviceName ? { serviceName } : {}), logFormatter: new RedactingLogFormatter() });
}
