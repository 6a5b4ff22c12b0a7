/**
 * Entry of a Lambda function's execution environment, a worker thread (twin-only; see
 * execution-environment.ts). A worker starts with a fresh module system: neither Jest's transform nor a
 * parent's `--import tsx` is there, so this plain-JavaScript entry registers tsx's CommonJS loader, then
 * loads the TypeScript body.
 */
// Lambda runs nodejs22.x, the twin the machine's Node 20: the SDK's notice about Node 20 concerns the twin
// (local/polyfills.ts says so once), not the function's log stream.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
require('./execution-environment.ts');
