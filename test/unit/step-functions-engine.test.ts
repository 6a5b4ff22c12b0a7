/**
 * The Step Functions engine is aws-local-stepfunctions as patch-package patched it at install
 * (patches/): the twin refuses to run it unpatched, where States.Hash would give wrong digests.
 */
import { readFileSync } from 'node:fs';

it('loads the library as installed: patched', () => {
  const source = readFileSync(require.resolve('aws-local-stepfunctions'), 'utf8');
  expect(source).toContain('require("node:crypto").createHash("sha256")');
  jest.isolateModules(() => {
    expect(typeof require('../../local/stepfunctions/engine').StateMachine).toBe('function');
  });
});

it('refuses the library unpatched (an install without scripts, or a version the patch does not fit)', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  jest.isolateModules(() => {
    jest.doMock('node:fs', () => ({
      ...actual,
      readFileSync: (file: string, encoding: BufferEncoding) =>
        String(actual.readFileSync(file, encoding)).replace(
          'require("node:crypto").createHash("sha256").update(str, "utf8").digest("hex")',
          'sha256.getDigest(str)',
        ),
    }));
    expect(() => require('../../local/stepfunctions/engine')).toThrow(/aws-local-stepfunctions .* is not patched: run `npm ci`/);
  });
});
