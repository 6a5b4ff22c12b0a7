/**
 * `npm run synth` as a developer runs it: offline, no credentials, real esbuild bundling, cdk-nag
 * on every stack; then the synthesized contact flow, its ARNs filled in, passes `npm run flow:check`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { scratchDir } from '../support/scratch-dir';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const out = scratchDir('cdk-out-');

it('synthesizes every stack offline with zero unacknowledged cdk-nag findings, and the flow passes flow:check', async () => {
  const leftBefore = readdirSync(tmpdir()).filter((name) => name.startsWith('agent-workspace-'));
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: 'none',
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
  };
  const { stdout, stderr } = await run('npm', ['run', 'synth', '--', '--output', out], { cwd: ROOT, env, maxBuffer: 32 * 1024 * 1024 });
  const output = `${stdout}\n${stderr}`;
  expect(output).not.toMatch(/Synthesis finished with errors|AwsSolutions-\w+/);
  for (const stack of ['Data', 'Messaging', 'Workflows', 'ContactCenter', 'Observability', 'AgentDesk'])
    expect(existsSync(join(out, `SupportDesk-prod-${stack}.template.json`))).toBe(true);
  expect(JSON.parse(readFileSync(join(out, 'policy-validation-report.json'), 'utf8')).pluginReports).toEqual([]);

  // The Agent Workspace app is built straight into its staged asset: every file the site serves, no temporary folder left.
  const { files } = JSON.parse(readFileSync(join(out, 'SupportDesk-prod-AgentDesk.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const site = Object.values(files)
    .map(({ source }) => join(out, source.path))
    .find((path) => existsSync(join(path, 'index.html')));
  expect(site && readdirSync(site).sort()).toEqual(['index.html', 'main.js', 'styles.css']);
  expect(readdirSync(tmpdir()).filter((name) => name.startsWith('agent-workspace-'))).toEqual(leftBefore);

  const template = JSON.parse(readFileSync(join(out, 'SupportDesk-prod-ContactCenter.template.json'), 'utf8'));
  const flow = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find(
    (r) => r.Type === 'AWS::Connect::ContactFlow',
  )!;
  const [content, variables] = flow.Properties.Content['Fn::Sub'] as [string, Record<string, unknown>];
  const resolved = content.replace(/\$\{(\w+)\}/g, (_m, key: string) => {
    if (!(key in variables)) throw new Error(`unresolved placeholder ${key}`);
    return `arn:aws:connect:us-east-1:111122223333:resolved/${key}`;
  });
  const file = join(out, 'password-reset.synthesized.json');
  writeFileSync(file, resolved);
  const check = await run('npx', ['tsx', 'local/connect/flow-check.ts', file], { cwd: ROOT });
  expect(check.stdout).toContain('password-reset.synthesized.json: ok');
}, 180_000);
