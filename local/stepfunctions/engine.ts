/**
 * aws-local-stepfunctions, loaded with one correction: its hand-written hash functions (States.Hash)
 * give wrong digests for inputs of 56 bytes or more (a padding bug in 3.0.0), where AWS's are
 * correct — and the audit chain hashes long strings. The twin writes a patched copy of the library's
 * CommonJS build beside it (digests delegated to node:crypto, Promise.withResolvers polyfilled for
 * Node 20) and loads that, failing loudly if the source no longer matches (time to drop the patch).
 * A sibling file keeps the library's own module resolution and, under Jest, its module registry.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type * as Library from 'aws-local-stepfunctions';

const ALGORITHMS = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' } as const;
const POLYFILL =
  'if (typeof Promise.withResolvers !== "function") { Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((res, rej) => { resolve = res; reject = rej; }); return { promise, resolve, reject }; }; }\n';

function patchedSource(original: string): string {
  let source = original;
  for (const [variable, algorithm] of Object.entries(ALGORITHMS)) {
    const call = `return ${variable}.getDigest(str);`;
    if (!source.includes(call)) throw new Error(`aws-local-stepfunctions changed (no "${call}"): review local/stepfunctions/engine.ts`);
    source = source.replace(call, `return require("node:crypto").createHash("${algorithm}").update(str, "utf8").digest("hex");`);
  }
  return `${POLYFILL}${source}`;
}

function load(): typeof Library {
  const file = require.resolve('aws-local-stepfunctions');
  const patched = file.replace(/\.cjs$/, '.support-desk-patched.cjs');
  const source = patchedSource(readFileSync(file, 'utf8'));
  if (!existsSync(patched) || readFileSync(patched, 'utf8') !== source) {
    // Atomic: parallel test workers may load the engine at the same moment.
    const temporary = `${patched}.${process.pid}.tmp`;
    writeFileSync(temporary, source);
    renameSync(temporary, patched);
  }
  return require(patched) as typeof Library;
}

export const { StateMachine } = load();
export type StateMachine = Library.StateMachine;
export type { StateMachineDefinition } from 'aws-local-stepfunctions';
