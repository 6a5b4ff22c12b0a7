/**
 * An HTTP server speaking the AWS JSON 1.0/1.1 protocol (`POST /`, `X-Amz-Target: <Prefix>.<Operation>`,
 * JSON body; errors as `{"__type": code, "message", ...the error shape's other members}` with a 4xx/5xx
 * status), shared by the twin's Step Functions, EventBridge, Secrets Manager, KMS and SMS endpoints. Dates are sent as epoch seconds, as the SDKs expect.
 * Bad requests get protocol errors, never a crash or a stack trace.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from './aws-service-error';

export type Operation = (input: Record<string, unknown>) => Promise<unknown> | unknown;

export interface AwsJsonService {
  /** The X-Amz-Target prefix, e.g. "AWSStepFunctions" or "AWSEvents". */
  targetPrefix: string;
  contentType: string;
  /** Each operation throws AwsServiceError for an AWS error; anything else becomes InternalFailure. */
  operations: Record<string, Operation>;
  /**
   * IAM (local/lambda/lambda-roles.ts `lambdaRoleCheck`): throws AwsServiceError (AccessDeniedException)
   * when a Lambda handler made the request and its function's role does not allow it.
   */
  authorize?: (operation: string, input: Record<string, unknown>, headers: IncomingMessage['headers']) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createAwsJsonServer(service: AwsJsonService): Server {
  return createServer((req, res) => {
    void handle(service, req, res);
  });
}

export function listen(server: NetServer, port: number | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function handle(service: AwsJsonService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown, extraHeaders: Record<string, string> = {}) => {
    const text = JSON.stringify(body, (_key, value: unknown) => value, 0);
    res.writeHead(status, { 'content-type': service.contentType, 'x-amzn-requestid': randomUUID(), ...extraHeaders });
    res.end(text);
  };
  const fail = (status: number, code: string, message: string, members: Record<string, unknown> = {}) =>
    send(status, { __type: code, message, ...members }, { 'x-amzn-errortype': code });

  try {
    if (req.method !== 'POST') return fail(404, 'UnknownOperationException', `${req.method} is not supported; POST with X-Amz-Target`);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operationName] = target.split('.');
    const operation = prefix === service.targetPrefix && operationName ? service.operations[operationName] : undefined;
    const body = await readBody(req);
    if (body === undefined) return fail(413, 'SerializationException', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    if (!operation) return fail(400, 'UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return fail(400, 'SerializationException', 'Request body is not valid JSON');
    }
    if (!input || typeof input !== 'object' || Array.isArray(input))
      return fail(400, 'SerializationException', 'Request body must be a JSON object');
    service.authorize?.(operationName!, input as Record<string, unknown>, req.headers);
    const output = await operation(input as Record<string, unknown>);
    send(200, toWire(output ?? {}));
  } catch (error) {
    if (error instanceof AwsServiceError) return fail(error.status, error.code, error.message, error.members);
    console.error(`[${service.targetPrefix}] internal error`, error);
    return fail(500, 'InternalFailure', 'The request processing has failed because of an unknown error');
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Dates become epoch seconds (fractional), undefined members disappear. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}
