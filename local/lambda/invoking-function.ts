/**
 * Which Lambda function made an HTTP request, for the emulators that check its role (IAM): the twin's
 * stand-in for the role credentials each function signs with on AWS (here every function signs with the
 * twin's one set). Each function's execution environment (execution-environment.ts, a thread of its own)
 * calls `nameRequestsAs` before it loads its handler, so every request it makes carries the function's
 * name in a header of the twin's own. Node's http.request / https.request are wrapped before any SDK
 * client keeps a reference to them (@smithy/node-http-handler takes `request` at its first request).
 * Twin-only: nothing deployed loads this.
 */
import http from 'node:http';
import https from 'node:https';

export const INVOKING_FUNCTION_HEADER = 'x-support-desk-twin-function';

/** The request's arguments with the header added to its options (a copy: the caller's objects are left alone). */
function withHeader(args: unknown[], name: string): unknown[] {
  const add = (options: http.RequestOptions): http.RequestOptions => ({
    ...options,
    headers: { ...(options.headers as Record<string, string> | undefined), [INVOKING_FUNCTION_HEADER]: name },
  });
  const [first, second, ...rest] = args;
  if (typeof first === 'string' || first instanceof URL) {
    if (second && typeof second === 'object') return [first, add(second as http.RequestOptions), ...rest];
    return [first, add({}), ...args.slice(1)];
  }
  return [add((first ?? {}) as http.RequestOptions), ...args.slice(1)];
}

/** Every request made from now on in this thread names `functionName`. */
export function nameRequestsAs(functionName: string): void {
  for (const module of [http, https] as Array<{ request: typeof http.request }>) {
    const original = module.request;
    module.request = function request(this: unknown, ...args: unknown[]) {
      return (original as (...a: unknown[]) => http.ClientRequest).apply(this, withHeader(args, functionName));
    } as typeof http.request;
  }
}
