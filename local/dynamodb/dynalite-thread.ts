/**
 * The twin's DynamoDB endpoint hands its requests to dynalite on a worker thread (twin-only). Under
 * load, DynamoDB emulation (dynalite + LevelDB) was ~15 % of the twin's main thread, which was ~95 %
 * busy while the second core of a 2-core machine sat partly idle (issue #21): a worker thread gives
 * dynalite that core. The endpoint itself stays an ordinary HTTP server of the main thread, so fault
 * rules, metering and the loopback guard wrap it as before; its request listener (`handle`) reads a
 * request's body, posts it to the worker (dynalite-worker.ts) and writes back dynalite's answer.
 * If the worker dies, requests fail at once (500, like a service that is down) rather than hang.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { withResolvers } from '../polyfills';

/** dynalite's request size limit: a larger body is forwarded in full enough for dynalite's own 413. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/** LevelDB closes in milliseconds; a worker that does not confirm within this is terminated anyway. */
const CLOSE_TIMEOUT_MS = 30_000;

export interface DynaliteWorkerData {
  dynaliteOptions: Record<string, unknown>;
}
export type ToWorker =
  | { type: 'request'; id: number; method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders; body: Uint8Array }
  | { type: 'stop' };
export type DynaliteAnswer =
  | { type: 'ready'; osThreadId: number | undefined }
  | { type: 'closed'; error?: string | undefined }
  | {
      type: 'answer';
      id: number;
      statusCode: number;
      headers: Array<[string, number | string]>;
      body: string | Uint8Array | undefined;
      /** dynalite threw: answered as a service failure. */
      failed?: true;
    };

export interface DynaliteThread {
  /** The DynamoDB endpoint's request listener. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Closes LevelDB and ends the worker; requests still waiting are failed. */
  stop(): Promise<void>;
  /** The system's id of the worker's thread (Linux; GET /api/threads). */
  osThreadId(): number | undefined;
}

/** A refusal the endpoint answers itself, before dynalite sees the request (IAM: dynamodb-authorization.ts). */
export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function startDynaliteThread(
  dynaliteOptions: Record<string, unknown>,
  options: { refuse?: (headers: IncomingHttpHeaders, body: Uint8Array) => Refusal | undefined } = {},
): Promise<DynaliteThread> {
  const worker = new Worker(join(__dirname, 'dynalite-worker.cjs'), {
    workerData: { dynaliteOptions } satisfies DynaliteWorkerData,
    // Not the parent's flags (`--import tsx`, Jest's, profiling): the entry registers tsx itself.
    execArgv: [],
  });
  const pending = new Map<number, ServerResponse>();
  let nextId = 1;
  let down: string | undefined;
  let started = false;
  let osThread: number | undefined;
  let stopping = false;
  const closed = withResolvers<void>();
  const ready = withResolvers<void>();

  const failAll = () => {
    for (const res of pending.values()) fail(res);
    pending.clear();
  };
  worker.on('message', (message: DynaliteAnswer) => {
    if (message.type === 'ready') {
      started = true;
      osThread = message.osThreadId;
      return ready.resolve();
    }
    if (message.type === 'closed') {
      if (message.error) console.error('[twin] DynamoDB emulator: closing LevelDB failed:', message.error);
      return closed.resolve();
    }
    const res = pending.get(message.id);
    if (!res) return;
    pending.delete(message.id);
    if (message.failed) return fail(res);
    res.statusCode = message.statusCode;
    for (const [name, value] of message.headers) res.setHeader(name, value);
    res.end(message.body);
  });
  worker.on('error', (error) => {
    down = error.message;
    // Before it is ready, the error fails the start instead.
    if (started) console.error('[twin] DynamoDB emulator thread failed; DynamoDB requests now fail:', error.message);
    ready.reject(error);
  });
  worker.on('exit', (code) => {
    if (down === undefined && started && !stopping)
      console.error(`[twin] DynamoDB emulator thread exited (code ${code}); DynamoDB requests now fail`);
    down ??= `exited with code ${code}`;
    ready.reject(new Error(`DynamoDB emulator thread ${down}`));
    failAll();
    closed.resolve();
  });
  await ready.promise;

  return {
    osThreadId: () => osThread,
    handle(req, res) {
      const chunks: Buffer[] = [];
      let size = 0;
      let sent = false;
      const send = () => {
        if (sent) return;
        sent = true;
        if (down !== undefined) return fail(res);
        const body = Buffer.concat(chunks, size);
        const refusal = options.refuse?.(req.headers, body);
        if (refusal) {
          res.writeHead(refusal.status, refusal.headers);
          res.end(refusal.body);
          return;
        }
        const id = nextId++;
        pending.set(id, res);
        const message: ToWorker = { type: 'request', id, method: req.method, url: req.url, headers: req.headers, body };
        worker.postMessage(message);
      };
      req.on('data', (chunk: Buffer) => {
        if (sent) return;
        chunks.push(chunk);
        size += chunk.length;
        // Past dynalite's limit it answers 413 without reading on: so does this, through dynalite.
        if (size > MAX_REQUEST_BYTES) send();
      });
      req.on('end', send);
      req.on('error', () => res.destroy());
    },
    async stop() {
      stopping = true;
      if (down === undefined) {
        worker.postMessage({ type: 'stop' } satisfies ToWorker);
        const timer = setTimeout(() => {
          console.error('[twin] DynamoDB emulator thread did not close LevelDB in time; terminating it');
          closed.resolve();
        }, CLOSE_TIMEOUT_MS);
        await closed.promise;
        clearTimeout(timer);
      }
      failAll();
      await worker.terminate();
    },
  };
}

/** What a DynamoDB client sees from a service that is down: a retryable 500. */
function fail(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' });
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
