/**
 * `node --import tsx infra/bundling/bundle-function-command.ts '<FunctionBundleRequest as JSON>'`: builds one function's
 * bundle. CDK asks for an asset's bundle synchronously (ILocalBundling.tryBundle) and esbuild takes plugins only in its
 * asynchronous API, so projectFunction runs this in a child process and waits for it, as NodejsFunction runs esbuild.
 */
import { bundleFunction, type FunctionBundleRequest } from './function-bundle';

const request = JSON.parse(process.argv[2] ?? 'null') as FunctionBundleRequest | null;
if (!request?.entry || !request.outdir) {
  console.error('usage: bundle-function-command.ts \'{"entry":"lambdas/handlers/x.ts","outdir":"/tmp/x"}\'');
  process.exit(2);
}
bundleFunction(request).catch((error: unknown) => {
  // esbuild has printed its errors already (it logs warnings and errors, as NodejsFunction's default).
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
