/**
 * The Lex V2 runtime API over the twin's Lex runtime, so `@aws-sdk/client-lex-runtime-v2` (and the
 * smoke test) talk to it unchanged: RecognizeText
 * (`POST /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text`,
 * https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_RecognizeText.html) and
 * DeleteSession. A bot is known by the id the twin gives it and by its one alias, TSTALIASID; anything
 * else is ResourceNotFoundException, as on AWS. HTTP/2 in clear text (prior knowledge), as the SDK's
 * client speaks it to an http:// endpoint: the Lex runtime client is HTTP/2 by default (it also streams).
 */
import { createServer, type Http2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { restJsonListener } from '../http/rest-json-exchange';
import type { BotDefinition, LexLocaleId } from '../../lex/bot-definition';
import { botId, LexRuntimeError, type LexRuntime } from './lex-runtime';

const SESSION_PATH = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)(\/text)?\/?$/;
export const TWIN_BOT_ALIAS_ID = 'TSTALIASID';
const ERROR_STATUS: Record<string, number> = { ResourceNotFoundException: 404, ValidationException: 400, DependencyFailedException: 424 };

/** The server, and how to stop it (HTTP/2 sessions stay open until destroyed). */
export function createLexRuntimeServer(
  runtime: LexRuntime,
  bots: readonly BotDefinition[],
): { server: Http2Server; close(): Promise<void> } {
  const sessions = new Set<ServerHttp2Session>();
  const server = createServer(
    restJsonListener<Http2ServerRequest, Http2ServerResponse>(({ method, path, body: raw }, reply) => {
      const error = (type: string, message: string) => reply(ERROR_STATUS[type] ?? 400, { message }, { 'x-amzn-errortype': type });
      const match = SESSION_PATH.exec(path);
      if (!match) return error('ResourceNotFoundException', 'Unknown operation');
      const [, id, aliasId, localeId, rawSessionId, text] = match;
      const bot = bots.find((b) => botId(b.name) === id);
      if (!bot || aliasId !== TWIN_BOT_ALIAS_ID) return error('ResourceNotFoundException', `No bot ${id} with alias ${aliasId}`);
      if (!(localeId! in bot.locales)) return error('ResourceNotFoundException', `No locale ${localeId} on bot ${id}`);
      const sessionId = decodeURIComponent(rawSessionId!);
      if (!/^[0-9a-zA-Z._:-]{2,100}$/.test(sessionId))
        return error('ValidationException', 'sessionId must match [0-9a-zA-Z._:-]+, 2 to 100 characters');
      if (method === 'DELETE' && !text) {
        runtime.endSession(bot.name, sessionId);
        return reply(200, { botId: id, botAliasId: aliasId, localeId, sessionId });
      }
      if (method !== 'POST' || !text) return error('ValidationException', `${method} is not supported here`);
      let body: {
        text?: unknown;
        sessionState?: { sessionAttributes?: Record<string, string> };
        requestAttributes?: Record<string, string>;
      };
      try {
        body = JSON.parse(raw.toString('utf8') || '{}');
      } catch {
        return error('ValidationException', 'The request body is not valid JSON');
      }
      if (typeof body.text !== 'string' || body.text.length < 1 || body.text.length > 1024)
        return error('ValidationException', 'text must be a string of 1 to 1024 characters');
      runtime
        .recognizeText({
          botName: bot.name,
          localeId: localeId as LexLocaleId,
          sessionId,
          text: body.text,
          inputMode: 'Text',
          ...(body.sessionState?.sessionAttributes && { sessionAttributes: body.sessionState.sessionAttributes }),
          ...(body.requestAttributes && { requestAttributes: body.requestAttributes }),
        })
        .then(
          (response) => {
            const { remainingKeys: _remaining, ...wire } = response;
            reply(200, wire);
          },
          (failure: unknown) => {
            if (failure instanceof LexRuntimeError) error(failure.code, failure.message);
            else error('DependencyFailedException', 'The bot could not answer');
          },
        );
    }),
  );
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  // A session may outlive its client's GOAWAY; its socket is what keeps close() waiting.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
