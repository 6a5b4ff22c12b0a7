/**
 * aws-local-stepfunctions, with two corrections applied at install by patch-package
 * (`patches/aws-local-stepfunctions+3.0.0.patch`, the `postinstall` script), to its CommonJS build —
 * the one the twin loads:
 * - its hand-written hash functions (States.Hash) give wrong digests for inputs of 56 bytes or more (a
 *   padding bug in 3.0.0), where AWS's are correct, and the audit chain hashes long strings: the digests
 *   come from node:crypto instead;
 * - its JSONPath queries call jsonpath-plus as a function with `wrap: false`, which returns a scalar by
 *   throwing an Error (a stack trace captured per evaluation: ~2 % of the twin's CPU under load, issue
 *   #21); evaluating on an instance returns the same values without the throw.
 * The library is refused unpatched (an install with scripts off, or a new version the patch no longer
 * fits), rather than run with wrong hashes. Its Promise.withResolvers on Node 20 comes from the twin's
 * polyfills, imported first.
 */
import '../polyfills';
import { readFileSync } from 'node:fs';
import type * as Library from 'aws-local-stepfunctions';

/** What the patch puts in the build, and what it takes out. */
const PATCHED = 'require("node:crypto").createHash("sha256")';
const UNPATCHED = ['.getDigest(str)', '(0, import_jsonpath_plus.JSONPath)('];

function load(): typeof Library {
  const file = require.resolve('aws-local-stepfunctions');
  const source = readFileSync(file, 'utf8');
  if (!source.includes(PATCHED) || UNPATCHED.some((s) => source.includes(s)))
    throw new Error(
      `aws-local-stepfunctions (${file}) is not patched: run \`npm ci\` with install scripts on (patch-package), or, for a new version, review patches/ and local/stepfunctions/engine.ts`,
    );
  return require(file) as typeof Library;
}

export const { StateMachine } = load();
export type StateMachine = Library.StateMachine;
export type { StateMachineDefinition } from 'aws-local-stepfunctions';
