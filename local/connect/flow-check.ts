/**
 * `npm run flow:check -- [--allow-unknown] [--no-runner] [--channel=VOICE|CHAT|TASK|EMAIL] <file> [<file>...]`:
 * validates contact flows offline (flow-validator.ts): every action against the schema of its type
 * (flow-action-schemas.ts), the transitions, the references and, unless `--no-runner`, that the
 * twin's runner can run every action. Prints `<file>: <Identifier> <path>: <reason>` on stderr for
 * each problem and exits 1; prints `<file>: ok (N actions)` on stdout otherwise.
 *   --allow-unknown  an action type without a schema is a warning, not an error
 *   --no-runner      do not refuse action types the twin's runner cannot run (a flow meant for AWS only)
 *   --channel=X      the channel the flow serves (default VOICE): channel-only parameters are checked against it
 *   --tests          the files (or folders, default connect/tests) are Connect test cases (Testing language):
 *                    each is checked against connect/test-case-schema.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testCaseProblems } from '../../connect/test-case-schema';
import { FLOW_CHANNELS, type FlowChannel } from './flow-action-schemas';
import { checkFlow, describeProblem, type FlowValidationOptions } from './flow-validator';

const USAGE =
  'usage: npm run flow:check -- [--allow-unknown] [--no-runner] [--channel=VOICE|CHAT|TASK|EMAIL] <flow.json> [<flow.json>...]\n' +
  '       npm run flow:check -- --tests [<test-case.json or folder>...]';
const options: FlowValidationOptions = {};
const files: string[] = [];
let tests = false;
for (const arg of process.argv.slice(2)) {
  if (arg === '--tests') tests = true;
  else if (arg === '--allow-unknown') options.allowUnknownTypes = true;
  else if (arg === '--no-runner') options.requireRunnable = false;
  else if (arg.startsWith('--channel=')) {
    const channel = arg.slice('--channel='.length);
    if (!(FLOW_CHANNELS as readonly string[]).includes(channel)) {
      console.error(`unknown channel ${channel} (one of ${FLOW_CHANNELS.join(', ')})\n${USAGE}`);
      process.exit(2);
    }
    options.channel = channel as FlowChannel;
  } else if (arg.startsWith('--')) {
    console.error(`unknown option ${arg}\n${USAGE}`);
    process.exit(2);
  } else files.push(arg);
}
if (tests) process.exit(checkTestCases(files.length > 0 ? files : ['connect/tests']));
if (files.length === 0) {
  console.error(USAGE);
  process.exit(2);
}
let failed = false;
for (const file of files) {
  let flow: unknown;
  try {
    flow = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: (flow): cannot read JSON: ${(error as Error).message}`);
    failed = true;
    continue;
  }
  const { errors, warnings } = checkFlow(flow, options);
  for (const p of warnings) console.error(`${file}: warning: ${describeProblem(p)}`);
  for (const p of errors) console.error(`${file}: ${describeProblem(p)}`);
  if (errors.length === 0) console.log(`${file}: ok (${(flow as { Actions: unknown[] }).Actions.length} actions)`);
  failed ||= errors.length > 0;
}
process.exit(failed ? 1 : 0);

/** Test cases: each file, or each .json file of a folder, against the Testing-language schema. */
function checkTestCases(paths: readonly string[]): number {
  const expanded = paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(path, f))
      : [path],
  );
  let bad = false;
  for (const file of expanded) {
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      console.error(`${file}: (test case): cannot read JSON: ${(error as Error).message}`);
      bad = true;
      continue;
    }
    const problems = testCaseProblems(document);
    for (const p of problems) console.error(`${file}: ${p.path}: ${p.message}`);
    if (problems.length === 0) console.log(`${file}: ok (${(document as { Observations: unknown[] }).Observations.length} observations)`);
    bad ||= problems.length > 0;
  }
  return bad ? 1 : 0;
}
