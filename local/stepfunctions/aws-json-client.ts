/**
 * A minimal AWS JSON protocol client for the twin's workflow Task states (DynamoDB, EventBridge): the
 * same request an SDK v3 client sends — `POST /`, `X-Amz-Target: <Prefix>.<Operation>`, the parameters
 * as the JSON body, signed with Signature Version 4 — over a keep-alive connection to the twin's
 * emulator, which validates it as before (fault rules and the usage meter included).
 *
 * Why not the SDK: Step Functions calls DynamoDB as a service, not through a JavaScript SDK, and the
 * SDK's client pipeline (schema serde, endpoint rules, retry strategy, user agent, middleware stack)
 * was ~20 % of the twin's CPU under load for ~20 calls per reset that need none of it (issue #21).
 * Errors keep the SDK's shape (`name` from `__type` or `X-Amzn-ErrorType`, `$metadata` when the
 * service answered), so task-resources.ts names them as before.
 */
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-credentials';

export interface AwsJsonClientOptions {
  endpoint: string;
  /** X-Amz-Target prefix, e.g. `DynamoDB_20120810`. */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` or `-1.1`. */
  contentType: string;
  /** SigV4 signing name, e.g. `dynamodb` or `events`. */
  signingName: string;
}

export class AwsJsonServiceError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId: string | undefined };
  constructor(name: string, message: string, status: number, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status, requestId };
  }
}

export class AwsJsonClient {
  // As the SDK's Node.js handler: keep-alive, 50 sockets.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 50 });
  private readonly url: URL;
  private signingKey: { date: string; key: Buffer } | undefined;

  constructor(private readonly options: AwsJsonClientOptions) {
    this.url = new URL(options.endpoint);
  }

  /** Sends `operation` (PascalCase) with `input`; resolves with the parsed JSON output. */
  send(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input ?? {});
    const target = `${this.options.targetPrefix}.${operation}`;
    const headers = this.signedHeaders(target, body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          path: '/',
          method: 'POST',
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            const requestId = headerValue(res.headers['x-amzn-requestid']);
            let parsed: Record<string, unknown> = {};
            try {
              parsed = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
            } catch {
              if (status < 300) return reject(new Error(`${target}: the response is not JSON`));
            }
            if (status >= 200 && status < 300) return resolve(parsed);
            reject(
              new AwsJsonServiceError(
                errorName(parsed, headerValue(res.headers['x-amzn-errortype'])),
                errorMessage(parsed),
                status,
                requestId,
              ),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }

  private signedHeaders(target: string, body: string): Record<string, string> {
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    const headers: Record<string, string> = {
      'content-type': this.options.contentType,
      host: this.url.host,
      'x-amz-date': amzDate,
      'x-amz-target': target,
    };
    const signed = Object.keys(headers).sort();
    const canonical = ['POST', '/', '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), sha256(body)].join('\n');
    const scope = `${date}/${LOCAL_REGION}/${this.options.signingName}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    const signature = createHmac('sha256', this.key(date)).update(toSign, 'utf8').digest('hex');
    return {
      ...headers,
      'content-length': String(Buffer.byteLength(body)),
      authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
    };
  }

  private key(date: string): Buffer {
    if (this.signingKey?.date !== date) {
      const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
      const key = hmac(
        hmac(hmac(hmac(`AWS4${LOCAL_CREDENTIALS.secretAccessKey}`, date), LOCAL_REGION), this.options.signingName),
        'aws4_request',
      );
      this.signingKey = { date, key };
    }
    return this.signingKey.key;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** As the SDK reads it: the header, else `code` or `__type`; without a namespace (`…#Name`) or a URL suffix (`Name:http…`). */
function errorName(body: Record<string, unknown>, header: string | undefined): string {
  const raw = [header, body.code, body.__type].find((v): v is string => typeof v === 'string' && v !== '') ?? 'UnknownError';
  return raw.split(',')[0]!.split(':')[0]!.split('#').pop()!;
}

function errorMessage(body: Record<string, unknown>): string {
  const message = body.message ?? body.Message ?? body.errorMessage;
  return typeof message === 'string' ? message : 'UnknownError';
}
