/**
 * Jest global setup: before any suite runs, says once which suites will skip on this machine and
 * the command that installs what they need; with CI=true, fails the run if anything is missing.
 */
import { SYSTEM_PROGRAMS, inCi, skipLine } from './system-programs';
import { chromiumSource } from './browser';

export default function reportSkips(): void {
  const missing = Object.values(SYSTEM_PROGRAMS).filter((p) => !p.isPresent());
  const lines = missing.flatMap((p) => p.suites.map((suite) => skipLine(p, suite)));
  if (missing.length > 0 && inCi()) throw new Error(`CI=true, and some system programs are missing:\n${lines.join('\n')}`);
  const browser = chromiumSource();
  if (browser.kind === 'npm') lines.push(`NOTE test/browser: ${browser.note}`);
  if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
}
