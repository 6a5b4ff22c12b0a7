/**
 * Runs the twin as its own process for benchmarks (so the load driver does not share its event
 * loop), and stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { watchTwinOutput } from '../local/ready-banner';

export interface TwinProcess {
  url: string;
  /** The twin's process id (its CPU time: bench/process-cpu.ts). */
  pid: number;
  endpoints: Record<string, string>;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const ROOT = resolve(__dirname, '..');

export async function startTwinProcess(options: {
  dataDir: string;
  fresh?: boolean;
  seedEmployees?: number;
  env?: Record<string, string>;
  nodeOptions?: string[];
}): Promise<TwinProcess> {
  // One Node process (tsx as an import hook), so node flags such as --cpu-prof apply to the twin itself.
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeOptions ?? []), '--import', 'tsx', 'local/main.ts', ...(options.fresh ? ['--fresh'] : [])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        HELPDESK_DATA_DIR: options.dataDir,
        PORT: '0',
        HELPDESK_SEED_EMPLOYEES: String(options.seedEmployees ?? 0),
        // Load on purpose: the twin's caps against runaway callers would shape the figures.
        HELPDESK_MAX_ACTIVE_CALLS: '100000',
        HELPDESK_MAX_CALLS_PER_MINUTE: '1000000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const { url: urlReady, output } = watchTwinOutput(child, 60_000);
  const url = await urlReady;
  const health = (await (await fetch(`${url}/api/health`)).json()) as { endpoints: Record<string, string> };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    pid: child.pid ?? 0,
    endpoints: health.endpoints,
    dataDir: options.dataDir,
    output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
