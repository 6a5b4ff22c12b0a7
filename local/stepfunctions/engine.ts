/**
 * aws-local-stepfunctions, loaded with one correction: its hand-written hash functions (States.Hash)
 * give wrong digests for inputs of 56 bytes or more (a padding bug in 3.0.0), where AWS's are
 * correct — and the audit chain hashes long strings; and its JSONPath queries avoid jsonpath-plus's
 * throw-per-scalar call style (same results, no Error per evaluation). The twin writes a patched copy of the library's
 * CommonJS build beside it (digests delegated to node:crypto, Promise.withResolvers polyfilled for
 * Node 20) and loads that, failing loudly if the source no longer matches (time to drop the patch).
 * A sibling file keeps the library's own module resolution and, under Jest, its module registry.
 */
import { createHash } from 'node:crypto';
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
  // JSONPath called as a function with `wrap: false` returns a scalar result by throwing an Error (a
  // stack trace captured per evaluation: ~2 % of the twin's CPU under load, issue #21); evaluating on an
  // instance returns the same values without the throw.
  for (const [call, replacement] of JSON_PATH_CALLS) {
    if (!source.includes(call)) throw new Error(`aws-local-stepfunctions changed (no "${call}"): review local/stepfunctions/engine.ts`);
    source = source.replace(call, replacement);
  }
  return `${POLYFILL}${source}`;
}

const JSON_PATH_CALLS = [
  [
    '(0, import_jsonpath_plus.JSONPath)({ path: pathExpression.slice(1), json: context ?? null, wrap: false })',
    'new import_jsonpath_plus.JSONPath({ autostart: false }).evaluate({ path: pathExpression.slice(1), json: context ?? null, wrap: false })',
  ],
  [
    '(0, import_jsonpath_plus.JSONPath)({ path: pathExpression, json, wrap: false })',
    'new import_jsonpath_plus.JSONPath({ autostart: false }).evaluate({ path: pathExpression, json, wrap: false })',
  ],
] as const;

function load(): typeof Library {
  const file = require.resolve('aws-local-stepfunctions');
  const source = patchedSource(readFileSync(file, 'utf8'));
  // Named by its content: checkouts with different patches sharing one node_modules do not overwrite each other's.
  const patched = file.replace(/\.cjs$/, `.support-desk-patched-${createHash('sha256').update(source).digest('hex').slice(0, 12)}.cjs`);
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
