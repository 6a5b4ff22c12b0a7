/**
 * What every REST-JSON AWS API the twin serves shares (Lambda Invoke, the Lex V2 runtime and model
 * APIs): the request body read whole, the path without its query, and a JSON reply with a request id
 * (and, for errors, the `x-amzn-errortype` header the SDKs read the error name from). Written by hand:
 * it is the few lines each endpoint repeated, for node:http and node:http2 requests alike.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

export interface RestJsonRequest {
  readonly method: string;
  /** The URL path, query string removed, still percent-encoded. */
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type RestJsonReply = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** A request listener for `createServer` that reads the whole request, then calls `handle`. */
export function restJsonListener<Req extends IncomingMessage | Http2ServerRequest, Res extends ServerResponse | Http2ServerResponse>(
  handle: (request: RestJsonRequest, reply: RestJsonReply) => void,
): (req: Req, res: Res) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    (req as IncomingMessage).on('data', (c: Buffer) => chunks.push(c));
    (req as IncomingMessage).on('end', () => {
      const reply: RestJsonReply = (status, body, headers = {}) => {
        (res as ServerResponse).writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
        (res as ServerResponse).end(JSON.stringify(body));
      };
      handle(
        { method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0] ?? '', body: Buffer.concat(chunks), headers: req.headers },
        reply,
      );
    });
  };
}
