/**
 * CPU time a process has used, in milliseconds: the twin's child process (Linux `/proc/<pid>/stat`,
 * utime + stime, every thread of it: the main thread, the thread pool's hashes, workers), its main
 * thread alone (`/proc/<pid>/task/<pid>/stat`) or another of its threads, or this one (process.cpuUsage). `bench:calls` divides
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

/** CPU ms of one thread of another process (its system id: GET /api/threads on the twin). */
export function threadCpuMs(pid: number, osThreadId: number): number | undefined {
  return statCpuMs(`/proc/${pid}/task/${osThreadId}/stat`);
}

/**
 * CPU ms of each thread the twin names (GET /api/threads: its functions' execution environments, dynalite), by the
 * thread's system id; empty where there is no /proc.
 */
export async function namedTwinThreadsCpuMs(twinUrl: string, pid: number): Promise<Map<number, { name: string; ms: number }>> {
  const { threads } = (await (await fetch(`${twinUrl}/api/threads`)).json()) as { threads: Array<{ name: string; osThreadId: number }> };
  const cpu = new Map<number, { name: string; ms: number }>();
  for (const { name, osThreadId } of threads) {
    const ms = threadCpuMs(pid, osThreadId);
    if (ms !== undefined) cpu.set(osThreadId, { name, ms });
  }
  return cpu;
}

/**
 * What each named thread used between two readings, by name (a function whose environment was replaced in between
 * counts its new thread from its start; an environment that ended in between is not counted).
 */
export function namedThreadsCpuBetween(
  before: Map<number, { name: string; ms: number }>,
  after: Map<number, { name: string; ms: number }>,
): Map<string, number> {
  const used = new Map<string, number>();
  for (const [thread, { name, ms }] of after) used.set(name, (used.get(name) ?? 0) + ms - (before.get(thread)?.ms ?? 0));
  return used;
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
