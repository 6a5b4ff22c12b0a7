/**
 * The CPU figures `bench:calls` reports (bench/process-cpu.ts): read from /proc for a real busy child
 * process, its main thread apart, and the throughput a per-reset cost allows.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mainThreadCpuMs, namedThreadsCpuBetween, processCpuMs, resetsPerSecondAllowed } from '../../bench/process-cpu';

const linux = existsSync('/proc/self/stat');
if (!linux) console.warn('process-cpu: no /proc on this machine; the /proc readings are not tested here');
const onLinux = linux ? it : it.skip;

onLinux('counts a busy child process, whose main thread is where its JavaScript runs', async () => {
  // Busy on its main thread until the process has used 300 ms of CPU (not of wall time: under a loaded CI
  // a wall-time loop gets less CPU), then says so and waits to be read.
  const child = spawn(process.execPath, [
    '-e',
    'while (process.cpuUsage().user < 300000); process.stdout.write("idle\\n"); setInterval(() => {}, 1000);',
  ]);
  try {
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // The main thread first: the whole process, read after it, includes it (CPU time only grows).
    const main = mainThreadCpuMs(child.pid!)!;
    const all = processCpuMs(child.pid!)!;
    expect(main).toBeGreaterThanOrEqual(200);
    expect(all).toBeGreaterThanOrEqual(main);
  } finally {
    child.kill();
  }
});

it('reads nothing for a process that is not there', () => {
  expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
  expect(mainThreadCpuMs(2 ** 22 + 1)).toBeUndefined();
});

it('a reset of 100 ms of CPU allows at most 20 resets/s on 2 cores, 10 on one', () => {
  expect(resetsPerSecondAllowed(100, 2)).toBe(20);
  expect(resetsPerSecondAllowed(100, 1)).toBe(10);
  expect(resetsPerSecondAllowed(125, 2)).toBe(16);
});

it("splits a level's CPU by named thread: what each used in between, a replaced environment's new thread from its start", () => {
  const before = new Map([
    [11, { name: 'Lambda a', ms: 100 }],
    [12, { name: 'Lambda b', ms: 50 }],
    [13, { name: 'DynamoDB (dynalite)', ms: 400 }],
  ]);
  const after = new Map([
    [11, { name: 'Lambda a', ms: 180 }],
    // b's environment was replaced: its old thread (12) is gone, the new one (21) counts from its start.
    [21, { name: 'Lambda b', ms: 30 }],
    [13, { name: 'DynamoDB (dynalite)', ms: 460 }],
  ]);
  expect(namedThreadsCpuBetween(before, after)).toEqual(
    new Map([
      ['Lambda a', 80],
      ['Lambda b', 30],
      ['DynamoDB (dynalite)', 60],
    ]),
  );
});
