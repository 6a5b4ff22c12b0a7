/**
 * An append-only JSON-lines file in the data folder: what the twin retains the way production
 * would (CloudWatch logs, CTRs, the event archive). Writes are buffered by a stream and flushed on close.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export class JsonlFile {
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'a' });
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
