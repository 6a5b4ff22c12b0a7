/**
 * `npm run bench:cold-start`: every Lambda bundle built exactly as CDK builds it (esbuild with the
 * stack's BUNDLING settings: minified, CJS, node22, the SDK external), its size, and its module
 * initialization time — a fresh Node process requiring the bundle, minus a fresh Node process doing
 * nothing — median of 10. Targets: ≤ 250 KB and ≤ 50 ms over an empty Node.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { FUNCTIONS } from '../lambdas/function-catalogue';
import { BUNDLING } from '../infra/constructs/project-function';
import { handlerEnvironment } from '../local/twin';
import { report, type Row } from './benchmark-report';

const ROOT = resolve(__dirname, '..');
const RUNS = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of a fresh `node` running `script`, in ms. */
function time(script: string, env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  // Inside the repository so the bundles resolve the SDK from node_modules, as the runtime provides it.
  const out = join(ROOT, '.local', 'bench-bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const env = handlerEnvironment({
    dynamodb: 'http://127.0.0.1:1',
    ses: 'http://127.0.0.1:1',
    eventbridge: 'http://127.0.0.1:1',
    stepfunctions: 'http://127.0.0.1:1',
    lexruntime: 'http://127.0.0.1:1',
    lexmodels: 'http://127.0.0.1:1',
    lambda: 'http://127.0.0.1:1',
    secretsmanager: 'http://127.0.0.1:1',
    s3: 'http://127.0.0.1:1',
    kms: 'http://127.0.0.1:1',
    sms: 'http://127.0.0.1:1',
  });
  const empty = median(Array.from({ length: RUNS }, () => time('0', env)));
  const rows: Row[] = [];
  for (const fn of FUNCTIONS) {
    const file = join(out, `${fn.name}.js`);
    await build({
      entryPoints: [resolve(ROOT, fn.entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: BUNDLING.target,
      minify: BUNDLING.minify,
      sourcemap: false,
      external: process.env.BUNDLE_SDK ? [] : [...BUNDLING.externalModules],
      logLevel: 'error',
    });
    const kb = statSync(file).size / 1024;
    const init = median(
      Array.from({ length: RUNS }, () =>
        time(`const m = require(${JSON.stringify(file)}); if (typeof m.${fn.handler} !== 'function') process.exit(3);`, env),
      ),
    );
    rows.push({
      function: fn.name,
      'bundle KB': Number(kb.toFixed(1)),
      'init ms over empty Node (median of 10)': Number((init - empty).toFixed(1)),
      'meets ≤ 250 KB, ≤ 50 ms': kb <= 250 && init - empty <= 50 ? 'yes' : 'no',
    });
  }
  writeFileSync(join(out, 'README.txt'), 'Bundles built by npm run bench:cold-start; safe to delete.\n');
  report('Cold start: Lambda bundles as CDK builds them', 'npm run bench:cold-start', rows, [
    `empty Node process: ${empty.toFixed(1)} ms (median of ${RUNS}); init = require(bundle) in a fresh process minus that`,
    'the AWS SDK v3 is external (the nodejs22.x runtime provides it) and is loaded from node_modules during init, as the runtime loads its own copy',
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
