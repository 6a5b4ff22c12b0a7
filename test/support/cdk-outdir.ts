/**
 * Infra tests: every CDK App a test file synthesizes without an outdir writes its cloud assembly to one temporary
 * folder of that file's (CDK_OUTDIR, which App reads), removed when the file is done. Without it each App makes a
 * folder of its own under the system's temporary directory and leaves it there, with a copy of CDK's AWS CLI layer
 * (21 MB) in each: about 630 MB a run of cdk-app.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outdir = mkdtempSync(join(tmpdir(), 'support-desk-cdk-out-'));
process.env.CDK_OUTDIR = outdir;
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
