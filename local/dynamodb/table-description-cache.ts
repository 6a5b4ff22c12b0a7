/**
 * dynalite reads a table's description from LevelDB on every request (`getTable`, before any item
 * operation): under load that read was the twin's largest single cost (~8 % of its CPU, issue #21).
 * This keeps the descriptions dynalite has read or written in memory, in front of its own `table`
 * store: a read answers from memory (a copy, as a decode from LevelDB would give), any write or delete
 * of a description drops it first, and a read that raced with a write is not remembered. dynalite is
 * the only writer of its LevelDB folder (the twin holds its lock), so the cache cannot go stale;
 * validations, statuses and errors stay dynalite's own. Applied where dynalite runs: the twin's DynamoDB
 * worker thread (dynalite-worker.ts).
 */
import { dirname, join } from 'node:path';

type Callback = ((err: Error | null, value?: unknown) => void) | undefined;
interface SubDb {
  get(key: string, cb: Callback): void;
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
  batch(ops: Array<{ type: string; key: string }>, cb: Callback): void;
}
interface Store {
  tableDb: SubDb;
}
type DynaliteDb = { create(options: unknown): Store; [PATCHED]?: true };

const PATCHED = Symbol.for('support-desk.dynalite-table-cache');

/** Patches dynalite's store factory once; every dynalite server created afterwards caches its table descriptions. */
export function cacheDynaliteTableDescriptions(): void {
  const db = require(join(dirname(require.resolve('dynalite')), 'db')) as DynaliteDb;
  if (db[PATCHED]) return;
  const create = db.create;
  db.create = function createWithCache(this: unknown, options: unknown) {
    const store = create.call(this, options);
    wrap(store.tableDb);
    return store;
  };
  db[PATCHED] = true;
}

function wrap(tableDb: SubDb): void {
  const cache = new Map<string, string>();
  /** Bumped by every write of a key: a read that started before it must not fill the cache. */
  const versions = new Map<string, number>();
  const bump = (key: string) => {
    cache.delete(key);
    versions.set(key, (versions.get(key) ?? 0) + 1);
  };
  const { get, put, del, batch } = tableDb;
  tableDb.get = (key, cb) => {
    const hit = cache.get(key);
    if (hit !== undefined) {
      if (cb) setImmediate(cb, null, JSON.parse(hit));
      return;
    }
    const version = versions.get(key) ?? 0;
    get.call(tableDb, key, (err, value) => {
      if (!err && value && typeof value === 'object' && (versions.get(key) ?? 0) === version) cache.set(key, JSON.stringify(value));
      cb?.(err, value);
    });
  };
  tableDb.put = (key, value, cb) => {
    bump(key);
    put.call(tableDb, key, value, (err) => {
      bump(key);
      cb?.(err);
    });
  };
  tableDb.del = (key, cb) => {
    bump(key);
    del.call(tableDb, key, (err) => {
      bump(key);
      cb?.(err);
    });
  };
  tableDb.batch = (ops, cb) => {
    for (const op of ops) bump(op.key);
    batch.call(tableDb, ops, (err) => {
      for (const op of ops) bump(op.key);
      cb?.(err);
    });
  };
}
