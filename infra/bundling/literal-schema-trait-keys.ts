/**
 * An esbuild plugin that lets esbuild tree-shake the AWS SDK's schemas again (#21).
 *
 * Since @aws-sdk 3.930 each client's `schemas/schemas_0.js` describes every operation and shape of the service as
 * arrays whose traits are objects keyed by a string constant: `const _h = "http"; … { [_h]: ["POST", "/v2/…", 200] }`.
 * esbuild treats a computed key as a possible side effect (the expression could call a getter or `toString()`), so
 * it keeps every statement holding one, and with it every schema that statement reaches: a function sending one
 * e-mail carried all 117 SES v2 operations (47 KB), the agent API all of Amazon Connect's (≈ 170 KB). Upstream:
 * https://github.com/aws/aws-sdk-js-v3/issues/7607 (open), fixed in the code generator by
 * https://github.com/smithy-lang/smithy-typescript/pull/1889 (open), which writes the same objects with literal keys.
 *
 * This plugin makes that change as esbuild loads a schemas file: `[_h]:` becomes `"http":` where the file declares
 * `const _h = "…";`, which builds the same object (a key `__proto__` is left computed, where a literal would set the
 * prototype instead). Written by hand because no maintained plugin does this; drop it once the SDK ships literal
 * keys (test/infra/lambda-bundles.test.ts then fails on "the SDK still needs it").
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The SDK's generated schema modules: `@aws-sdk/<client>/dist-es/[submodules/<name>/]schemas/schemas_<n>.js`. */
export const SCHEMA_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.*[\\/])?schemas[\\/]schemas_\d+\.js$/;

/** `source` with each computed key `[_x]:` whose `_x` it declares as a string constant written as a literal key. */
export function withLiteralTraitKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) strings.set(name!, literal!);
  return source.replace(/\[(_\w+)\]:/g, (computed, name: string) => {
    const literal = strings.get(name);
    return literal === undefined || literal === '"__proto__"' ? computed : `${literal}:`;
  });
}

export const literalSchemaTraitKeys: Plugin = {
  name: 'literal-schema-trait-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async ({ path }) => ({
      contents: withLiteralTraitKeys(await readFile(path, 'utf8')),
      loader: 'js',
    }));
  },
};
