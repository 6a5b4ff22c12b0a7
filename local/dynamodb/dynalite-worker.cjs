/**
 * Entry of the twin's DynamoDB worker thread (twin-only; see dynalite-thread.ts for why it exists).
 * A worker thread starts with a fresh module system: neither Jest's transform (integration tests run
 * the twin in-process) nor a parent's `--import tsx` (the worker is started without execArgv) is
 * there. So this plain-JavaScript entry registers tsx's CommonJS loader, then loads the TypeScript body.
 */
require('tsx/cjs/api').register();
require('./dynalite-worker.ts');
