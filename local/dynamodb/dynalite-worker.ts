/**
 * The body of the twin's DynamoDB worker thread (twin-only; loaded through dynalite-worker.cjs).
 * Under load, DynamoDB emulation (dynalite + LevelDB) was ~15 % of the twin's main thread while the
 * second core sat partly idle (issue #21): here dynalite runs on its own thread. It answers each
 * request the main thread's endpoint forwards (dynalite-thread.ts) by calling dynalite's own request
 * listener with a minimal request and response, so validations, statuses, errors and headers stay
 * dynalite's. It owns the LevelDB folder (persisted in the data folder) and closes it on `stop`.
 */
import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { cacheDynaliteTableDescriptions } from './table-description-cache';
import type { DynaliteAnswer, DynaliteWorkerData, ToWorker } from './dynalite-thread';
import { osThreadId } from '../os-thread';

type Listener = (req: EventEmitter, res: WorkerResponse) => void;
interface Store {
  db: { open(): Promise<void>; close(cb: (err?: Error | null) => void): void };
}

const port = parentPort!;
const { dynaliteOptions } = workerData as DynaliteWorkerData;

// dynalite ships no type declarations, and keeps its LevelDB store to itself: its `server.close` would
// close the store only after closing a listening server, and this one never listens. The store is
// taken as dynalite's store factory makes it.
const dynalite = require('dynalite') as (options: Record<string, unknown>) => { listeners(event: 'request'): Listener[] };
const dynaliteDb = require(join(dirname(require.resolve('dynalite')), 'db')) as { create(options: unknown): Store };
cacheDynaliteTableDescriptions();
const create = dynaliteDb.create;
let store: Store | undefined;
dynaliteDb.create = (options) => {
  store = create.call(dynaliteDb, options);
  return store;
};
const handler = dynalite(dynaliteOptions).listeners('request')[0]!;
dynaliteDb.create = create;

/** Just what dynalite's handler uses of a `ServerResponse`; `end` posts the answer to the main thread. */
class WorkerResponse {
  statusCode = 200;
  /** dynalite keeps the request's JSON content type here. */
  contentType: string | undefined;
  private readonly headers = new Map<string, [string, number | string]>();
  private ended = false;

  constructor(private readonly id: number) {}

  setHeader(name: string, value: number | string): this {
    this.headers.set(name.toLowerCase(), [name, value]);
    return this;
  }

  getHeader(name: string): number | string | undefined {
    return this.headers.get(name.toLowerCase())?.[1];
  }

  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  end(body?: string | Uint8Array): void {
    if (this.ended) return;
    this.ended = true;
    reply({ type: 'answer', id: this.id, statusCode: this.statusCode, headers: [...this.headers.values()], body });
  }
}

function reply(answer: DynaliteAnswer): void {
  port.postMessage(answer);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    if (!store) return reply({ type: 'closed' });
    store.db.close((err) => reply({ type: 'closed', error: err ? String(err.message ?? err) : undefined }));
    return;
  }
  const { id, method, url, headers, body } = message;
  const req = Object.assign(new EventEmitter(), { method, url, headers });
  const res = new WorkerResponse(id);
  try {
    handler(req, res);
    // Structured cloning turned the Buffer into a plain Uint8Array: dynalite concatenates and decodes Buffers.
    if (body.byteLength > 0) req.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    req.emit('end');
  } catch (error) {
    // A throw inside dynalite's handler would have reached the twin's process; here it fails one request.
    console.error('[twin] DynamoDB emulator failed a request:', error instanceof Error ? error.message : error);
    reply({ type: 'answer', id, statusCode: 500, headers: [], body: undefined, failed: true });
  }
});

// Ready once LevelDB is open: a folder that cannot be opened (another twin holds its lock) fails the
// twin's start with LevelDB's reason, rather than its first DynamoDB request.
store!.db.open().then(
  () => reply({ type: 'ready', osThreadId: osThreadId() }),
  (error: Error & { cause?: Error }) => {
    throw new Error(`LevelDB at ${dynaliteOptions.path} did not open: ${error.cause?.message ?? error.message}`);
  },
);
