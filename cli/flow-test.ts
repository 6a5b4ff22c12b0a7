/**
 * `npm run flow:test -- [files or folders] [--junit report.xml]`: runs Amazon Connect test cases
 * (Testing language; default: connect/tests) against a fresh twin's flow runner and Lex runtime. One
 * line per observation, a summary, JUnit XML for CI, exit 1 on any failure. The same files deploy to the
 * instance as AWS::Connect::TestCase.
 */
import '../local/polyfills';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startTwin } from '../local/twin';
import { runTestCase, type TestCaseResult } from '../local/connect/test-case-runner';
import { latestCode, testCaseSubstitutions } from '../local/connect/test-case-substitutions';

const args = process.argv.slice(2);
const junitAt = args.indexOf('--junit');
const junitPath = junitAt >= 0 ? args[junitAt + 1] : undefined;
const paths = args.filter((a, i) => !a.startsWith('--') && !(junitAt >= 0 && i === junitAt + 1));
const files = (paths.length > 0 ? paths : ['connect/tests']).flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(path, f))
    : [path],
);

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-flow-test-'));
  const twin = await startTwin({ dataDir, port: 0, seedEmployees: 20 });
  const results: Array<{ file: string; result: TestCaseResult; seconds: number }> = [];
  try {
    for (const file of files) {
      const started = performance.now();
      const result = await runTestCase(JSON.parse(readFileSync(file, 'utf8')), {
        calls: twin.calls,
        // A number per test case: the desk limits starts per calling number.
        from: `+1555010${String(results.length).padStart(4, '0')}`,
        substitutions: testCaseSubstitutions(twin),
        latestCode: (email) => latestCode(twin, email),
      });
      results.push({ file, result, seconds: (performance.now() - started) / 1000 });
      for (const o of result.observations)
        console.log(`${o.status.padEnd(11)} ${file} › ${o.identifier}${o.message ? `: ${o.message}` : ''}`);
      if (result.failure) console.log(`FAILED      ${file}: ${result.failure}`);
      // On failure, what the simulated caller went through.
      if (!result.passed) for (const line of result.log) console.log(`            ${line}`);
    }
  } finally {
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.result.passed);
  console.log(
    `\n${results.length - failed.length} of ${results.length} test cases passed${failed.length ? `; failed: ${failed.map((f) => f.file).join(', ')}` : ''}`,
  );
  if (junitPath) {
    const suites = results.map(({ file, result, seconds }) => {
      const cases = result.observations.map((o) => {
        const body =
          o.status === 'FAILED' ? `<failure message="${xml(o.message ?? 'failed')}"/>` : o.status === 'NOT_REACHED' ? '<skipped/>' : '';
        return `    <testcase classname="${xml(basename(file, '.json'))}" name="${xml(o.identifier)}">${body}</testcase>`;
      });
      if (result.failure)
        cases.push(
          `    <testcase classname="${xml(basename(file, '.json'))}" name="(test case)"><failure message="${xml(result.failure)}"/></testcase>`,
        );
      const failures = result.observations.filter((o) => o.status === 'FAILED').length + (result.failure ? 1 : 0);
      return `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" time="${seconds.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
    });
    writeFileSync(
      junitPath,
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flow:test">\n${suites.join('\n')}\n</testsuites>\n`,
    );
  }
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
