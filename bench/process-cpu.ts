/**
 * CPU time a process has used, in milliseconds: the twin's child process (Linux `/proc/<pid>/stat`,
 * utime + stime, every thread of it: the main thread, the thread pool's hashes, workers), its main
 * thread alone (`/proc/<pid>/task/<pid>/stat`), or this one (process.cpuUsage). `bench:calls` divides
 * them by completed resets: the CPU a reset costs on this machine, which bounds throughput on two cores
 * whatever the concurrency (issue #21).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc stat file in ms, or undefined where it is not there (not Linux, process gone). */
function statCpuMs(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may contain spaces, inside parentheses): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU ms of another process, every thread of it. */
export function processCpuMs(pid: number): number | undefined {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** CPU ms of another process's main thread (its thread id is the process id): JavaScript's event loop. */
export function mainThreadCpuMs(pid: number): number | undefined {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

/** CPU ms of this process. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The most resets per second a reset's CPU cost allows on `cores` cores, were every core busy with
 * nothing else: cores × 1,000 / (CPU ms per reset). No scheduling, queueing or deadline can beat it.
 */
export function resetsPerSecondAllowed(cpuMsPerReset: number, cores: number): number {
  return (cores * 1000) / cpuMsPerReset;
}
