/**
 * Node 20 polyfills for the twin only (the Lambda runtime, nodejs22.x, has these natively).
 * aws-local-stepfunctions calls Promise.withResolvers, which arrived in Node 22.
 */
export interface WithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

/** Promise.withResolvers, typed for the twin's own code too (the project's TypeScript lib, ES2023, lacks it). */
export function withResolvers<T>(): WithResolvers<T> {
  let resolve!: WithResolvers<T>['resolve'];
  let reject!: WithResolvers<T>['reject'];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const promiseConstructor = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> };
if (typeof promiseConstructor.withResolvers !== 'function') promiseConstructor.withResolvers = withResolvers;

// The twin runs on the machine's Node 20; the deployed Lambdas run nodejs22.x. The SDK's notice that
// its 2027 releases need Node 22 is known and tracked, so it is not repeated on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
