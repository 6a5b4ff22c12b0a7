/**
 * Keeps the X-Ray SDK's context hook out of the twin's process when the functions run without tracing.
 *
 * Powertools' Tracer imports `aws-xray-sdk-core`, whose automatic mode creates a cls-hooked namespace at
 * import: an `async_hooks` hook with a destroy callback, which makes Node track the destruction of
 * every promise in the process. In AWS that cost stays inside the one function that imports the Tracer
 * (its own process); in the twin, where every handler and every emulator (dynalite, the SDK clients of
 * the workflows, the HTTP servers) share one process, it taxed all of them (profile: ~8 % of the
 * twin's CPU under load, issue #21). With `POWERTOOLS_TRACE_ENABLED=false`, as the twin runs its
 * functions (no X-Ray daemon), the Tracer never opens a segment nor reads the namespace, so loading
 * the SDK once in manual mode (`AWS_XRAY_MANUAL_MODE`, set only while it loads) changes nothing the
 * handlers can observe.
 */
import { dirname } from 'node:path';

/** Returns true when the SDK was loaded here in manual mode. */
export function loadXraySdkWithoutContextHook(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.POWERTOOLS_TRACE_ENABLED !== 'false') return false;
  let path: string;
  try {
    // The copy Powertools' Tracer resolves, so the handlers get this module from the require cache.
    path = require.resolve('aws-xray-sdk-core', { paths: [dirname(require.resolve('@aws-lambda-powertools/tracer'))] });
  } catch {
    return false;
  }
  if (require.cache[path]) return false;
  const previous = env.AWS_XRAY_MANUAL_MODE;
  env.AWS_XRAY_MANUAL_MODE = 'true';
  try {
    require(path);
  } finally {
    if (previous === undefined) delete env.AWS_XRAY_MANUAL_MODE;
    else env.AWS_XRAY_MANUAL_MODE = previous;
  }
  return true;
}
