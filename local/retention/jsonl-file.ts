/**
 * An append-only JSON-lines file in the data folder: what the twin retains the way production
 * would (CloudWatch logs, CTRs, the event archive). Writes are buffered by a stream and flushed on close.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export class JsonlFile {
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Private to the owner, like the data folder around it.
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  }

  append(record: unknown): void {
    this.stream.write(`${JSON.stringify(record)}\n`);
  }

  /** Resolves once everything appended so far is on disk (the file stays open). */
  flush(): Promise<void> {
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

/** The records of a JSON-lines file (none if it does not exist yet); unreadable lines are skipped. */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const records: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      // A line being written while we read: skip it.
    }
  }
  return records;
}
