/**
 * Builds the Agent Workspace app (index.html, styles.css, and src/main.ts bundled by esbuild) into a
 * folder: `npm run build:workspace` → agent-workspace/dist; the CDK app builds it afresh into the asset it stages
 * at every synth (infra/constructs/agent-workspace-site.ts), so a fresh clone synthesizes with
 * nothing built beforehand and what deploys is always the source as it is.
 */
import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

export const WORKSPACE_ROOT = __dirname;

export function buildAgentWorkspace(outDir: string): string {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  buildSync({
    entryPoints: [resolve(WORKSPACE_ROOT, 'src/main.ts')],
    outfile: resolve(outDir, 'main.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    // Deterministic output: the same source gives the same asset hash (no redeploy without a change).
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'styles.css']) copyFileSync(resolve(WORKSPACE_ROOT, file), resolve(outDir, file));
  return outDir;
}

if (require.main === module) {
  const out = buildAgentWorkspace(resolve(WORKSPACE_ROOT, 'dist'));
  console.log(`agent workspace app built in ${out}`);
}
