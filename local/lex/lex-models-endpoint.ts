/**
 * The few Lex V2 model-building operations a deployment check reads (ListBots, ListBotVersions,
 * ListBotAliases, DescribeBotAlias; REST-JSON as `@aws-sdk/client-lex-models-v2` calls them), over the
 * twin's record of its bots' versions and `live` aliases. The twin serves the bot definitions of `lex/`
 * as they are, whatever version an alias names: versions exist here so `npm run smoke` has the same
 * thing to check as on AWS (the alias on the newest version), and a test can move an alias back.
 */
import { createServer, type Server } from 'node:http';
import type { BotDefinition } from '../../lex/bot-definition';
import { restJsonListener } from '../http/rest-json-exchange';
import { botId } from './lex-runtime';
import { TWIN_BOT_ALIAS_ID } from './lex-runtime-endpoint';

/** Each bot's published versions and the version its `live` alias points to. */
export class LexBotVersions {
  private readonly versions = new Map<string, string[]>();
  private readonly live = new Map<string, string>();

  constructor(bots: readonly BotDefinition[]) {
    for (const bot of bots) {
      this.versions.set(bot.name, ['1']);
      this.live.set(bot.name, '1');
    }
  }

  /** Publishes a new version of the bot (the alias stays where it is, as on AWS). */
  publish(botName: string): string {
    const list = this.versions.get(botName) ?? [];
    const next = String(list.length + 1);
    this.versions.set(botName, [...list, next]);
    return next;
  }

  pointLiveAlias(botName: string, version: string): void {
    this.live.set(botName, version);
  }

  list(botName: string): string[] {
    return this.versions.get(botName) ?? [];
  }

  liveVersion(botName: string): string | undefined {
    return this.live.get(botName);
  }
}

const PATHS = {
  bots: /^\/bots\/?$/,
  versions: /^\/bots\/([^/]+)\/botversions\/?$/,
  aliases: /^\/bots\/([^/]+)\/botaliases\/?$/,
  alias: /^\/bots\/([^/]+)\/botaliases\/([^/]+)\/?$/,
};

export function createLexModelsServer(bots: readonly BotDefinition[], versions: LexBotVersions): Server {
  return createServer(
    restJsonListener(({ method, path, body }, reply) => {
      const notFound = (message: string) => reply(404, { message }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      const byId = (id: string) => bots.find((b) => botId(b.name) === decodeURIComponent(id));
      if (method === 'POST' && PATHS.bots.test(path)) {
        let filters: Array<{ name?: string; values?: string[]; operator?: string }> = [];
        try {
          filters = (JSON.parse(body.toString('utf8') || '{}') as { filters?: typeof filters }).filters ?? [];
        } catch {
          return reply(400, { message: 'The request body is not valid JSON' }, { 'x-amzn-errortype': 'ValidationException' });
        }
        const names = filters.find((f) => f.name === 'BotName')?.values;
        const summaries = bots
          .filter((b) => !names || names.includes(b.name))
          .map((b) => ({ botId: botId(b.name), botName: b.name, botStatus: 'Available', latestBotVersion: versions.list(b.name).at(-1) }));
        return reply(200, { botSummaries: summaries });
      }
      let match = PATHS.versions.exec(path);
      if (method === 'POST' && match) {
        const bot = byId(match[1]!);
        if (!bot) return notFound(`No bot ${match[1]}`);
        return reply(200, {
          botId: match[1],
          botVersionSummaries: versions.list(bot.name).map((v) => ({ botName: bot.name, botVersion: v, botStatus: 'Available' })),
        });
      }
      match = PATHS.aliases.exec(path);
      if (method === 'POST' && match) {
        const bot = byId(match[1]!);
        if (!bot) return notFound(`No bot ${match[1]}`);
        return reply(200, {
          botId: match[1],
          botAliasSummaries: [
            {
              botAliasId: TWIN_BOT_ALIAS_ID,
              botAliasName: 'live',
              botVersion: versions.liveVersion(bot.name),
              botAliasStatus: 'Available',
            },
          ],
        });
      }
      match = PATHS.alias.exec(path);
      if (method === 'GET' && match) {
        const bot = byId(match[1]!);
        if (!bot || match[2] !== TWIN_BOT_ALIAS_ID) return notFound(`No alias ${match[2]} on bot ${match[1]}`);
        return reply(200, {
          botId: match[1],
          botAliasId: TWIN_BOT_ALIAS_ID,
          botAliasName: 'live',
          botVersion: versions.liveVersion(bot.name),
          botAliasStatus: 'Available',
        });
      }
      return reply(
        400,
        { message: `${method} ${path} is not an operation the twin serves` },
        { 'x-amzn-errortype': 'ValidationException' },
      );
    }),
  );
}
