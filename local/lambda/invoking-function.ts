/**
 * Which Lambda function made an HTTP request, for the emulators that check its role (IAM): the twin's
 * stand-in for the role credentials each function signs with on AWS. All handlers share one process and
 * one set of credentials here, so the Lambda host tells this module which function is running (its
 * invocation scope), and every request made inside an invocation carries the function's name in a header
 * of the twin's own. Node's http.request / https.request are wrapped once per process, when the twin
 * loads, before any SDK client keeps a reference to them (@smithy/node-http-handler takes `request`
 * at its first request). Twin-only: nothing deployed loads this.
 */
import http from 'node:http';
import https from 'node:https';

export const INVOKING_FUNCTION_HEADER = 'x-support-desk-twin-function';

type Resolver = () => string | undefined;
type Request = typeof http.request;

/** Shared through the process (Jest gives each test file its own modules, but one node:http). */
const STATE = Symbol.for('support-desk.invoking-function');
interface State {
  resolvers: Set<Resolver>;
}
const holder = http as unknown as { [STATE]?: State };

function current(state: State): string | undefined {
  for (const resolve of state.resolvers) {
    const name = resolve();
    if (name) return name;
  }
  return undefined;
}

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

function install(): State {
  const existing = holder[STATE];
  if (existing) return existing;
  const state: State = { resolvers: new Set() };
  holder[STATE] = state;
  for (const module of [http, https] as Array<{ request: Request }>) {
    const original = module.request;
    module.request = function request(this: unknown, ...args: unknown[]) {
      const name = state.resolvers.size > 0 ? current(state) : undefined;
      return (original as (...a: unknown[]) => http.ClientRequest).apply(this, name ? withHeader(args, name) : args);
    } as Request;
  }
  return state;
}

const state = install();

/** Names the function running in the current async context; returns the unregistration. */
export function onInvokingFunction(resolver: Resolver): () => void {
  state.resolvers.add(resolver);
  return () => state.resolvers.delete(resolver);
}
