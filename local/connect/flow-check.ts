/**
 * `npm run flow:check -- <file> [<file>...]`: validates contact flows offline; exits non-zero and
 * prints `<file>: <Identifier>: <reason>` for each problem.
 */
import { readFileSync } from 'node:fs';
import { validateFlow } from './flow-validator';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run flow:check -- <flow.json> [<flow.json>...]');
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
  const problems = validateFlow(flow);
  for (const p of problems) console.error(`${file}: ${p.identifier}: ${p.reason}`);
  if (problems.length === 0) console.log(`${file}: ok (${(flow as { Actions: unknown[] }).Actions.length} actions)`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
