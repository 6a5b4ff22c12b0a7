/**
 * The `${Name}` placeholders a test case may use, for the twin: the flow's own (function ARNs, bot
 * aliases, queues) and `AgentHoursArn`, the hours the agent queue's CheckHoursOfOperation reads. CDK
 * gives the same names their deployed values when it creates AWS::Connect::TestCase resources.
 */
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import { BOTS } from '../../lex/bot-catalogue';
import { QUEUES } from '../../connect/flow-catalogue';
import { pascalCase } from '../../catalogue/placeholders';
import type { Twin } from '../twin';
import { E164_PATTERN as E164 } from '../sms/sms-voice-endpoint';
import { codeIn } from '../sms/code-in-message';

export function testCaseSubstitutions(twin: Pick<Twin, 'calls' | 'lambdas'>): Record<string, string> {
  const substitutions: Record<string, string> = {};
  for (const fn of FUNCTIONS) substitutions[`${pascalCase(fn.name)}FunctionArn`] = twin.lambdas.arnOf(fn.name);
  for (const bot of BOTS) substitutions[`${pascalCase(bot.name)}AliasArn`] = twin.calls.botAliasArn(bot.name);
  for (const queue of QUEUES) substitutions[`${queue.key}QueueArn`] = twin.calls.queueArn(queue.name);
  // The runner names a queue's hours after the queue (local/connect/flow-runner.ts, observedParameters).
  substitutions.AgentHoursArn = `${twin.calls.queueArn(QUEUES[0]!.name)}/hours`;
  return substitutions;
}

/**
 * The twin's secret hook for test cases (`{{code:<address>}}`): the newest code sent to that address,
 * once delivered. An E.164 number reads the twin's SMS store (texts), anything else its mail store.
 */
export async function latestCode(twin: Pick<Twin, 'settle' | 'ses' | 'sms'>, address: string): Promise<string> {
  await twin.settle();
  const message = E164.test(address)
    ? twin.sms.texts({ to: address }).at(-1)?.body
    : twin.ses.emails().findLast((m) => m.destination.to.includes(address))?.body.text;
  const code = codeIn(message);
  if (!code) throw new Error(`no code sent to ${address}`);
  return code;
}
