/**
 * A CDK App for an infra test, its cloud assembly written under one temporary folder of the test file's, removed
 * when the file is done. An App given no outdir makes a folder of its own under the system's temporary directory
 * and leaves it there, with a copy of CDK's AWS CLI layer (21 MB) in each: about 630 MB a run of cdk-app.test.ts.
 * (Setting CDK_OUTDIR instead would turn on every App's synth at process exit.)
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { scratchDir } from './scratch-dir';

const assemblies = scratchDir('support-desk-cdk-out-');

export function testApp(props: AppProps = {}): App {
  return new App({ outdir: mkdtempSync(join(assemblies, 'app-')), ...props });
}
