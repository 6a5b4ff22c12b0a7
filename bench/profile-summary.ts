/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile | dir> [--top 30]`: self time of a V8 CPU profile
 * (from `node --cpu-prof`, e.g. the twin under `BENCH_TWIN_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof'
 * npm run bench:calls …`), grouped by package (node_modules/<pkg>, node:internal/<area>, the project's
 * own folders) and by function, optionally in a window (`--from-s`, `--to-s`). Idle time is shown apart and left out of the percentages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    return parts[0] === 'internal' ? `node:internal/${parts[1] ?? ''}`.replace(/\.js$/, '') : `node:${parts[0]}`;
  }
  const root = url.indexOf('/local/') >= 0 ? url.indexOf('/local/') : url.search(/\/(lambdas|connect|events|bench|state-machines)\//);
  if (root >= 0) {
    const parts = url.slice(root + 1).split('/');
    return parts.slice(0, Math.min(2, parts.length - 1)).join('/');
  }
  return url;
}

function summarize(file: string, top: number, fromS: number, toS: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromS * 1e6 || t > toS * 1e6) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(local|lambdas|bench|connect|events)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const wall = Math.min(toS, (profile.endTime - profile.startTime) / 1e6) - fromS;
  console.log(
    `${file}: ${wall.toFixed(1)} s wall, ${(busy / 1e6).toFixed(1)} s busy (${((busy / 1e6 / wall) * 100).toFixed(0)} %), idle ${(idle / 1e6).toFixed(1)} s`,
  );
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`);
  };
  print('self time by package', byPackage);
  print('self time by function', byFunction);
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const top = option('top', 30);
/** A window of the profile in seconds from its start (leave out the twin's start-up and seeding). */
const fromS = option('from-s', 0);
const toS = option('to-s', Number.POSITIVE_INFINITY);
const target = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!target) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile | dir> [--top N] [--from-s S] [--to-s S]');
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(target, f))
  : [target];
for (const f of files) summarize(f, top, fromS, toS);
