/**
 * Jest global setup: before any suite runs, says once which suites will skip on this machine and
 * the command that installs what they need; with CI=true, fails the run if anything is missing.
 * Only the layers being run are reported (`npm run test:unit` says nothing of slapd).
 */
import { SYSTEM_PROGRAMS, inCi, skipLine } from './system-programs';
import { chromiumSource } from './browser';

/** The layers named by `--selectProjects` (Jest does not pass them to a global setup), or undefined for all. */
function selectedLayers(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf('--selectProjects');
  if (at < 0) return undefined;
  const rest = argv.slice(at + 1);
  const end = rest.findIndex((arg) => arg.startsWith('-'));
  return end < 0 ? rest : rest.slice(0, end);
}

export default function reportSkips(): void {
  const layers = selectedLayers(process.argv);
  const selected = (suite: string) => !layers || layers.includes(suite.split('/')[1] ?? '');
  const lines = Object.values(SYSTEM_PROGRAMS)
    .flatMap((program) => program.suites.filter(selected).map((suite) => ({ program, suite })))
    .filter(({ program }) => !program.isPresent())
    .map(({ program, suite }) => skipLine(program, suite));
  if (lines.length > 0 && inCi()) throw new Error(`CI=true, and some system programs are missing:\n${lines.join('\n')}`);
  const browser = chromiumSource();
  if (browser.kind === 'npm' && selected('test/browser')) lines.push(`NOTE test/browser: ${browser.note}`);
  if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
}
