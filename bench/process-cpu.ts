/**
 * CPU time a process has used, in milliseconds: the twin's child process (Linux `/proc/<pid>/stat`,
 * utime + stime, every thread of it: the main thread, the thread pool's hashes, workers) or this one
 * (process.cpuUsage). `bench:calls` divides it by completed resets: the CPU a reset costs on this
 * machine, which bounds throughput on two cores whatever the concurrency (issue #21).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU ms of another process, or undefined where /proc is not there (not Linux). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces, inside parentheses): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU ms of this process. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
