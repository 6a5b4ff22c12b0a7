/**
 * Serves the web console (built by Vite into local/console/dist) from the twin's HTTP server, with
 * headers that keep it safe: a strict Content-Security-Policy (no inline scripts; e-mails render in
 * sandboxed frames), no sniffing, no referrer.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const CONSOLE_DIST = resolve(__dirname, '../console/dist');

/** Answers GET requests for console files; returns false for anything else. */
export function serveConsole(req: IncomingMessage, res: ServerResponse, root = CONSOLE_DIST): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  if (path.startsWith('/api/')) return false;
  const file = path === '/' || !extname(path) ? join(root, 'index.html') : normalize(join(root, path));
  if (!file.startsWith(root)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) {
    if (path === '/' || !extname(path)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('The console is not built. Run: npm run build (npm start does it for you).\n');
      return true;
    }
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
    ...SECURITY_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  return true;
}
