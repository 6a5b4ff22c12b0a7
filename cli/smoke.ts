/**
 * `npm run smoke -- --stage <stage> [--region R] [--instance <Connect instance ARN>]`: checks a deployed
 * stage with the default AWS credentials and prints a pass/fail table (exit 1 on any FAIL).
 * `npm run smoke -- --stage local` checks the twin at HELPDESK_URL (default http://127.0.0.1:3000).
 */
import { parseArgs } from 'node:util';
import { formatRows, runSmoke } from './smoke-checks';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stage: { type: 'string' }, region: { type: 'string' }, instance: { type: 'string' } },
    strict: true,
  });
  if (!values.stage) {
    console.error('usage: npm run smoke -- --stage <stage> [--region R] [--instance <Connect instance ARN>]   (--stage local: the twin)');
    process.exit(2);
  }
  const rows =
    values.stage === 'local'
      ? await runSmoke({ kind: 'twin', url: process.env.HELPDESK_URL ?? 'http://127.0.0.1:3000' })
      : await runSmoke({
          kind: 'aws',
          stage: values.stage,
          ...(values.region && { region: values.region }),
          ...(values.instance && { connectInstanceArn: values.instance }),
        });
  console.log(formatRows(rows));
  const failed = rows.filter((r) => r.result === 'FAIL').length;
  console.log(failed ? `\n${failed} check(s) failed` : '\nall checks passed');
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error('smoke test could not run:', error instanceof Error ? error.message : error);
  process.exit(2);
});
