/**
 * A small JSON router for the twin's HTTP API: routes by method and path pattern, parses JSON
 * bodies, and turns bad input into 4xx answers with a reason (never a stack trace).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when empty). */
  body: unknown;
  raw: IncomingMessage;
}

export interface ApiResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: ApiRequest, res: ServerResponse) => Promise<ApiResponse | undefined> | ApiResponse | undefined;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

const MAX_BODY_BYTES = 64 * 1024;

export class ApiRouter {
  private readonly routes: Route[] = [];

  /** `path` may hold `:name` segments, e.g. `/api/calls/:contactId/input`. */
  on(method: string, path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
        keys.push(key);
        return '([^/]+)';
      })}/?$`,
    );
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  /** Answers the request if a route matches; returns false otherwise. */
  async handle(raw: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(raw.url ?? '/', 'http://localhost');
    const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return false;
    try {
      const route = candidates.find((r) => r.method === raw.method);
      if (!route) throw new HttpError(405, `${raw.method} not allowed on ${url.pathname}`);
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeParam(match[i + 1]!)]));
      const body = await readJsonBody(raw);
      const answer = await route.handler({ method: raw.method!, path: url.pathname, params, query: url.searchParams, body, raw }, res);
      if (answer && !res.headersSent) sendJson(res, answer.status ?? 200, answer.body ?? {}, answer.headers);
    } catch (error) {
      if (res.headersSent) return true;
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      else {
        console.error('[api] internal error', error instanceof Error ? error.message : error);
        sendJson(res, 500, { error: 'internal error' });
      }
    }
    return true;
  }
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in ${raw}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}
