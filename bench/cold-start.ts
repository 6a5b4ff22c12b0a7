/**
 * `npm run bench:cold-start`: every Lambda bundle built as CDK builds it (bundleFunction, infra/bundling/function-bundle.ts,
 * the build the stack's functions run), its size, and its module initialization time —
 * a fresh Node process loading the bundle (`import()`, as the runtime loads an ES module), minus a fresh Node process doing
 * nothing in the same mode just before it — median of 15 such pairs. Targets: ≤ 250 KB and ≤ 50 ms over an empty Node. Also
 * the bundle deflated (what Lambda downloads) and the init with NODE_OPTIONS=--enable-source-maps, as
 * the stack runs its functions.
 *
 * `--powertools` adds a table: the init of a bundle importing one Powertools utility only (and
 * constructing it as the handlers do at cold start), built and measured the same way.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTIONS } from '../lambdas/function-catalogue';
import { bundledDirectory, bundleFunction } from '../infra/bundling/function-bundle';
import { endpointsAt, handlerEnvironment, twinFunctionEnvironment } from '../local/twin';
import { report, type Row } from './benchmark-report';

const ROOT = resolve(__dirname, '..');
const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of a fresh `node` running `script` as an ES module, in ms. */
function time(script: string, env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A script loading the bundle and checking its handler export, as the runtime does. */
function loadScript(file: string, handler: string): string {
  return `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); if (typeof m.${handler} !== 'function') process.exit(3);`;
}

async function measure(entry: string, outdir: string, handler: string, env: Record<string, string>) {
  // Built for the DIRECTORY the function runs with, as projectFunction builds it.
  const directory = bundledDirectory(env);
  const { file } = await bundleFunction({ entry, outdir, ...(directory ? { directory } : {}) });
  const kb = statSync(file).size / 1024;
  // What Lambda downloads: the bundle deflated, as in the deployment package (a zip).
  const zipKb = deflateRawSync(readFileSync(file), { level: 9 }).length / 1024;
  // Each load is timed beside an empty Node process of the same moment, and the median taken of the
  // differences: a machine that speeds up or slows down during the run (another process, CPU frequency)
  // shifts both alike, where one baseline for the whole run shifted every row (±10 ms).
  const inits: number[] = [];
  const withMapsInits: number[] = [];
  const empties: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const empty = time('0', env);
    empties.push(empty);
    inits.push(time(loadScript(file, handler), env) - empty);
    // The stack sets NODE_OPTIONS=--enable-source-maps: Node then reads and parses the bundle's map at load.
    withMapsInits.push(time(loadScript(file, handler), { ...env, NODE_OPTIONS: '--enable-source-maps' }) - empty);
  }
  return { kb, zipKb, init: median(inits), withMaps: median(withMapsInits), empty: median(empties) };
}

/** One Powertools utility each, imported and constructed as the handlers do at cold start. */
const POWERTOOLS: ReadonlyArray<{ utility: string; source: string }> = [
  { utility: 'Logger', source: `import { Logger } from '@aws-lambda-powertools/logger';\nconst tool = new Logger();` },
  { utility: 'Metrics', source: `import { Metrics } from '@aws-lambda-powertools/metrics';\nconst tool = new Metrics();` },
  { utility: 'Tracer', source: `import { Tracer } from '@aws-lambda-powertools/tracer';\nconst tool = new Tracer();` },
  {
    utility: 'Parameters (getSecret)',
    source: `import { getSecret } from '@aws-lambda-powertools/parameters/secrets';\nconst tool = getSecret;`,
  },
  {
    utility: 'Idempotency (DynamoDB persistence)',
    source: [
      `import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';`,
      `import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';`,
      `const tool = makeIdempotent(async () => 0, { persistenceStore: new DynamoDBPersistenceLayer({ tableName: 't' }), config: new IdempotencyConfig({}) });`,
    ].join('\n'),
  },
];

async function main(): Promise<void> {
  const out = join(ROOT, '.local', 'bench-bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const endpoints = endpointsAt('http://127.0.0.1:1');
  const rows: Row[] = [];
  const empties: number[] = [];
  for (const fn of FUNCTIONS) {
    const { kb, zipKb, init, withMaps, empty } = await measure(
      fn.entry,
      join(out, fn.name),
      fn.handler,
      // Each function cold-starts with its own variables (what CDK gives it), as in the twin.
      twinFunctionEnvironment(fn, endpoints),
    );
    empties.push(empty);
    rows.push({
      function: fn.name,
      'bundle KB': Number(kb.toFixed(1)),
      'zipped KB': Number(zipKb.toFixed(1)),
      [`init ms over empty Node (median of ${RUNS})`]: Number(init.toFixed(1)),
      'meets ≤ 250 KB, ≤ 50 ms': kb <= 250 && init <= 50 ? 'yes' : 'no',
      'init ms with source maps on (as deployed)': Number(withMaps.toFixed(1)),
    });
  }
  const empty = median(empties);
  report(
    'Cold start: Lambda bundles as CDK builds them',
    `npm run bench:cold-start${process.argv.includes('--powertools') ? ' -- --powertools' : ''}`,
    rows,
    [
      `empty Node process: ${empty.toFixed(1)} ms (median over the functions of their medians, same mode); init = loading the bundle in a fresh process minus an empty Node process run just before it, median of ${RUNS} such pairs`,
      'bundles: an ES module each (index.mjs, await import()); nothing external: the AWS SDK v3 is bundled and tree-shaken with the rest, its schemas included (infra/bundling/literal-schema-trait-keys.ts)',
    ],
  );
  if (process.argv.includes('--powertools')) {
    const toolRows: Row[] = [];
    for (const [i, { utility, source }] of POWERTOOLS.entries()) {
      const entry = join(out, `powertools-${i}.ts`);
      writeFileSync(entry, `${source}\nexport const handler = async () => typeof tool;\n`);
      const { kb, init, withMaps } = await measure(entry, join(out, `powertools-${i}`), 'handler', handlerEnvironment(endpoints));
      toolRows.push({
        utility,
        'bundle KB': Number(kb.toFixed(1)),
        [`init ms over empty Node (median of ${RUNS})`]: Number(init.toFixed(1)),
        'init ms with source maps on': Number(withMaps.toFixed(1)),
      });
    }
    report('Cold start: Powertools, one utility per bundle', 'npm run bench:cold-start -- --powertools', toolRows, [
      'each bundle imports one utility and constructs it as the handlers do at cold start, built by the same bundleFunction',
      `init: each load minus an empty Node process run just before it, median of ${RUNS} such pairs`,
    ]);
  }
  writeFileSync(join(out, 'README.txt'), 'Bundles built by npm run bench:cold-start; safe to delete.\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
