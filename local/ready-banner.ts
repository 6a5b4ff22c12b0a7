/**
 * The line `npm start` prints with the console & API URL, and how a launcher that runs the twin as
 * a child process (benchmarks, the lifecycle test) waits for it: one format, written and read here.
 */
import type { ChildProcess } from 'node:child_process';

const LABEL = 'console & API';
const PATTERN = /console & API\s+(http:\/\/127\.0\.0\.1:\d+)/;

export function consoleUrlLine(url: string): string {
  return `  ${LABEL}   ${url}`;
}

/** Collects the child's stdout and stderr; `url` resolves when the banner line appears. */
export function watchTwinOutput(child: ChildProcess, timeoutMs: number): { url: Promise<string>; output: () => string } {
  let out = '';
  const output = () => out;
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no console URL within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
    child.stdout!.on('data', () => {
      const match = PATTERN.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`twin exited (${code}):\n${out}`));
    });
  });
  return { url, output };
}
