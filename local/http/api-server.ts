/**
 * The twin's HTTP server for the console and its API: the loopback guard first, then a path that
 * must decode (400 otherwise), then the API routes, then the console's files, then 404. Whatever a
 * request does, it gets an answer and the process keeps serving: an unexpected failure is logged
 * and answered 500 with no detail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ApiRouter, sendJson } from './api-router';
import { guardLoopbackServer } from './loopback-guard';
import { serveConsole } from './static-files';

export function createApiServer(router: ApiRouter): Server {
  const server = createServer((req, res) => {
    answer(router, req, res).catch((error: unknown) => {
      console.error('[api] unexpected failure', error instanceof Error ? error.message : error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  guardLoopbackServer(server, { requireJson: true });
  return server;
}

async function answer(router: ApiRouter, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!decodablePath(req.url ?? '/')) {
    req.resume();
    sendJson(res, 400, { error: 'the request path is not valid percent-encoding' });
    return;
  }
  if (await router.handle(req, res)) return;
  if (!serveConsole(req, res))
    sendJson(res, 404, { error: `no route for ${req.method} ${new URL(req.url ?? '/', 'http://localhost').pathname}` });
}

function decodablePath(url: string): boolean {
  try {
    decodeURIComponent(new URL(url, 'http://localhost').pathname);
    return true;
  } catch {
    return false;
  }
}
