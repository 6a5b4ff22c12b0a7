/**
 * How a Lambda function's code is built: one esbuild build, used by CDK (infra/constructs/project-function.ts, through
 * bundle-function-command.ts), by `bench:cold-start` and by the bundle tests, so that what is measured and tested is
 * what is deployed (#21).
 *
 * - An ES module (`index.mjs`, handler `index.<export>`) for nodejs22.x, minified, with an external source map without
 *   sources (the stack runs functions with --enable-source-maps).
 * - Everything bundled, the AWS SDK v3 included rather than taken from the runtime: esbuild tree-shakes the SDK's ES
 *   modules (`module` before `main`), so a function loads the clients and commands it uses instead of the runtime's
 *   whole client packages (BENCHMARKS.md); literalSchemaTraitKeys lets it tree-shake the SDK's schemas too.
 * - The banner gives the CommonJS dependencies bundled inside (they `require` Node built-ins) the `require` an ES module
 *   lacks, as the NodejsFunction documentation shows.
 * - The alias puts lambdas/aws/lambda-credential-provider.ts in place of the SDK's default credential chain: Lambda gives
 *   a function its role's credentials in environment variables
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime), so the
 *   chain's SSO, ini-file, process, web-identity and metadata providers are dead weight in every bundle.
 * - `directoryDefine` builds a directory writer for the DIRECTORY it is deployed with only.
 *
 * CDK's NodejsFunction runs the esbuild command line, which takes no plugins; hence this build of our own.
 */
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ENV } from '../../lambdas/configuration/environment';
import { literalSchemaTraitKeys } from './literal-schema-trait-keys';

export const REPO_ROOT = resolve(__dirname, '../..');

/** The bundle's module, as a function's handler names it (`index.handler`). */
export const BUNDLE_MODULE = 'index';
/** The bundle's file name: Lambda's Node.js runtime loads a `.mjs` handler module as an ES module. */
export const BUNDLE_FILE = `${BUNDLE_MODULE}.mjs`;

export interface FunctionBundleRequest {
  /** The handler's source, relative to the repository root (or absolute). */
  entry: string;
  /** Where index.mjs and its map go. */
  outdir: string;
  /** The DIRECTORY the function is deployed with, if any (directoryDefine). */
  directory?: string;
  /** Also return esbuild's metafile (what each module contributes); never written to outdir. */
  metafile?: boolean;
}

export interface FunctionBundle {
  /** The absolute path of index.mjs. */
  file: string;
  metafile?: Metafile;
}

/**
 * The directory a function's bundle is built for: esbuild's define of `process.env.SUPPORT_DESK_BUNDLED_DIRECTORY`
 * from the DIRECTORY the function is deployed with, so that the bundle holds that directory's adapter only
 * (lambdas/directory/directory-from-environment.ts; #21: the others' ldapts and Cognito client were ~90 KB
 * of the directory writers). A function deployed without DIRECTORY keeps every adapter.
 */
export function directoryDefine(directory: string | undefined): Record<string, string> {
  return directory ? { 'process.env.SUPPORT_DESK_BUNDLED_DIRECTORY': JSON.stringify(directory) } : {};
}

/** The DIRECTORY of a function's environment, as its bundle is built for it. */
export function bundledDirectory(environment: Readonly<Record<string, string | undefined>>): string | undefined {
  return environment[ENV.directory];
}

export async function bundleFunction(request: FunctionBundleRequest): Promise<FunctionBundle> {
  const file = join(request.outdir, BUNDLE_FILE);
  const result = await build({
    entryPoints: [resolve(REPO_ROOT, request.entry)],
    outfile: file,
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);",
    },
    alias: { '@aws-sdk/credential-provider-node': './lambdas/aws/lambda-credential-provider.ts' },
    define: directoryDefine(request.directory),
    plugins: [literalSchemaTraitKeys],
    metafile: request.metafile ?? false,
    logLevel: 'warning',
  });
  return { file, ...(result.metafile ? { metafile: result.metafile } : {}) };
}
