/**
 * The operating system's id of the calling thread (Linux: the link /proc/thread-self names it), so that a benchmark
 * can read what CPU each of the twin's threads used (`GET /api/threads`, bench/process-cpu.ts); undefined where the
 * system has no /proc. Node gives a worker a `threadId` of its own numbering, not the system's. Twin-only.
 */
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';

export function osThreadId(): number | undefined {
  try {
    return Number(basename(readlinkSync('/proc/thread-self')));
  } catch {
    return undefined;
  }
}
