/**
 * Runs the twin as its own process for benchmarks (so the load driver does not share its event
 * loop), and stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface TwinProcess {
  url: string;
  endpoints: Record<string, string>;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const ROOT = resolve(__dirname, '..');

export async function startTwinProcess(options: { dataDir: string; fresh?: boolean; seedEmployees?: number; env?: Record<string, string>; nodeOptions?: string[] }): Promise<TwinProcess> {
  // One Node process (tsx as an import hook), so node flags such as --cpu-prof apply to the twin itself.
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', 'local/main.ts', ...(options.fresh ? ['--fresh'] : [])], {
    cwd: ROOT,
    env: { ...process.env, HELPDESK_DATA_DIR: options.dataDir, PORT: '0', HELPDESK_SEED_EMPLOYEES: String(options.seedEmployees ?? 0), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`twin did not start:\n${out}`)), 60_000);
    const check = () => {
      const match = /console & API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`twin exited (${code}):\n${out}`)));
  });
  const health = (await (await fetch(`${url}/api/health`)).json()) as { endpoints: Record<string, string> };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    endpoints: health.endpoints,
    dataDir: options.dataDir,
    output: () => out,
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
