/**
 * Shared by the benchmarks: latency percentiles, a printed table, and an appended section in
 * BENCHMARKS.md with the machine, Node version, command and date.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export function summarize(samplesMs: readonly number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export type Row = Record<string, string | number>;

export function table(rows: readonly Row[]): string {
  const headers = Object.keys(rows[0] ?? {});
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${headers.map((h) => cell(row[h]!)).join(' | ')} |`);
  return lines.join('\n');
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** Prints the result and appends it to BENCHMARKS.md. */
export function report(title: string, command: string, rows: readonly Row[], notes: readonly string[] = []): void {
  const text = [
    `## ${title}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machine()}`,
    `- command: \`${command}\``,
    ...notes.map((n) => `- ${n}`),
    '',
    table(rows),
    '',
    '',
  ].join('\n');
  console.log(`\n${text}`);
  const file = resolve(__dirname, '..', 'BENCHMARKS.md');
  if (!existsSync(file))
    writeFileSync(file, '# Benchmarks\n\nEach section is appended by the benchmark named in its command; newest last.\n\n');
  appendFileSync(file, text);
}
