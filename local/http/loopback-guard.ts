/**
 * Keeps a twin server safe on a developer's laptop (docs/design.md, "A twin that a web page cannot
 * hurt"). A web page the developer visits can make the browser send requests to 127.0.0.1, but:
 * - DNS rebinding gives itself away in the Host header: only the server's own loopback names and
 *   port are answered (421 Misdirected Request otherwise);
 * - a cross-site request carries a foreign Origin: refused (403);
 * - no response carries CORS headers, so no preflighted request (custom headers, JSON bodies, PUT or
 *   DELETE) ever succeeds; dynalite answers CORS `*` by itself, which is stripped here;
 * - with `requireJson`, a state-changing request must say `Content-Type: application/json` (415):
 *   a cross-site form or `text/plain` POST, the only bodies a page can send without a preflight, fails.
 * Written by hand: a few lines in front of node:http servers that several libraries own (dynalite,
 * aws-ses-v2-local, the twin's own), with no framework to plug a middleware into.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface LoopbackGuardOptions {
  /** State-changing requests must carry `Content-Type: application/json` (the twin's own API). */
  requireJson?: boolean;
}

/** Why a request is refused, or undefined when it may pass. */
export function refusal(
  req: IncomingMessage,
  port: number,
  options: LoopbackGuardOptions = {},
  allowedHosts: readonly string[] = loopbackHosts(port),
): { status: number; reason: string } | undefined {
  // HTTP/2 names the host in :authority (the twin's Lex runtime speaks it).
  const host = String(req.headers.host ?? req.headers[':authority'] ?? '').toLowerCase();
  if (!allowedHosts.includes(host))
    return { status: 421, reason: `this server answers only to ${allowedHosts.slice(0, 2).join(' or ')} (got Host "${host}")` };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin.toLowerCase() === `http://${h}`))
    return { status: 403, reason: 'cross-origin requests are refused' };
  if (options.requireJson && !SAFE_METHODS.has(req.method ?? 'GET')) {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/json') return { status: 415, reason: `${req.method} requests must have Content-Type: application/json` };
  }
  return undefined;
}

/**
 * Puts the guard in front of every request listener the server has now (call it after the server's
 * owner and the fault injector have attached theirs), and strips CORS headers from every answer.
 */
export function guardLoopbackServer(server: Server, options: LoopbackGuardOptions = {}): void {
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  // The names this server answers to, worked out when it starts listening rather than per request.
  let port = -1;
  let allowedHosts: readonly string[] = [];
  const addressed = () => {
    port = (server.address() as AddressInfo | null)?.port ?? 0;
    allowedHosts = loopbackHosts(port);
  };
  if (server.listening) addressed();
  server.on('listening', addressed);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    withoutCorsHeaders(res);
    if (port < 0) addressed();
    const refused = refusal(req, port, options, allowedHosts);
    if (!refused) {
      for (const listener of listeners) listener(req, res);
      return;
    }
    req.resume();
    // HTTP/2 has no Connection header (it is an error to send one).
    const close = req.httpVersionMajor < 2 ? { connection: 'close' } : {};
    res.writeHead(refused.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...close });
    res.end(JSON.stringify({ error: refused.reason }));
  });
}

function loopbackHosts(port: number): string[] {
  return LOOPBACK_NAMES.map((name) => `${name}:${port}`);
}

function withoutCorsHeaders(res: ServerResponse): void {
  const isCors = (name: string) => name.toLowerCase().startsWith('access-control-');
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => (isCors(name) ? res : setHeader(name, value));
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    for (const name of res.getHeaderNames()) if (isCors(name)) res.removeHeader(name);
    const filtered = rest.map((arg) =>
      arg && typeof arg === 'object' && !Array.isArray(arg)
        ? Object.fromEntries(Object.entries(arg as OutgoingHttpHeaders).filter(([name]) => !isCors(name)))
        : arg,
    );
    return writeHead(status, ...filtered);
  }) as ServerResponse['writeHead'];
}
