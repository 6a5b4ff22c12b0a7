/**
 * Connect Lambda `get-prompts`: the prompts of a flow in the caller's locale, from the prompts table
 * (falling back to en-US), as a flat string map for `$.External`. Cached in the container briefly:
 * prompts change by deployment, and every call starts with this lookup.
 *
 * With them, `unlockSupported` ("true" | "false"): whether this deployment's directory can clear a
 * lock-out, so the flow offers "unlock my account" only where it can work (and otherwise says a reset
 * is the way). It is the directory's kind (DIRECTORY), read at cold start from light data
 * (lambdas/directory/directory-kind.ts): the directory is never loaded or reached here. The same for
 * every caller, so it tells nothing about an employee.
 */
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/dynamodb-client';
import { ENV, positiveIntegerEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { LOCALES, type Locale } from '../domain/locale';
import { CAN_UNLOCK, directoryKind } from '../directory/directory-kind';

const promptsTable = tableName('Prompts');
const unlockSupported = String(CAN_UNLOCK[directoryKind()]) as 'true' | 'false';
const cacheMs = positiveIntegerEnv(ENV.promptsCacheSeconds, 60) * 1000;
const tools = observability();
const FLOW_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const cache = new Map<string, { at: number; prompts: Record<string, string> | undefined }>();

async function promptsFor(flow: string, locale: string): Promise<Record<string, string> | undefined> {
  const key = `${flow}\u0000${locale}`;
  const cached = cache.get(key);
  if (cached && Date.now() - cached.at < cacheMs) return cached.prompts;
  const item = (await documentClient.send(new GetCommand({ TableName: promptsTable, Key: { flow, locale } }))).Item;
  const prompts = item?.prompts as Record<string, string> | undefined;
  cache.set(key, { at: Date.now(), prompts });
  return prompts;
}

export const handler = instrumented(tools, async (event: ConnectContactFlowEvent, _context: Context): Promise<ConnectContactFlowResult> => {
  const params = event?.Details?.Parameters ?? {};
  const flow = params.FlowName;
  if (typeof flow !== 'string' || !FLOW_NAME.test(flow))
    return { statusCode: '400', error: 'FlowName must be a flow name (letters, digits, dashes)' };
  const asked = params.Locale || event.Details.ContactData?.Attributes?.locale || 'en-US';
  const locale: Locale = LOCALES.includes(asked as Locale) ? (asked as Locale) : 'en-US';
  const prompts = (await promptsFor(flow, locale)) ?? (locale === 'en-US' ? undefined : await promptsFor(flow, 'en-US'));
  if (!prompts) {
    tools.logger.warn('no prompts for flow', { flow, locale });
    return { statusCode: '404', error: `no prompts for flow ${flow}` };
  }
  return { statusCode: '200', locale, ...prompts, unlockSupported };
});
