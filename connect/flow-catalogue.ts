/**
 * Contact flows and queues, declared once: CDK creates `AWS::Connect::ContactFlow` from each file with
 * the `${...}` placeholders substituted, and the twin's flow runner loads the same files.
 */
import { FUNCTIONS } from '../lambdas/function-catalogue';
import { BOTS } from '../lex/bot-catalogue';
import { pascalCase } from '../catalogue/placeholders';

export interface FlowSpec {
  readonly name: string;
  /** Relative to the repository root. */
  readonly file: string;
  readonly description: string;
}

export interface QueueSpec {
  /** Placeholder key: `${<key>QueueArn}`. */
  readonly key: string;
  readonly name: string;
  readonly description: string;
}

export const FLOWS: readonly FlowSpec[] = [
  // Before password-reset, which names it (its disconnect flow): CDK creates the flows in this order.
  {
    name: 'agent-readout',
    file: 'connect/flows/agent-readout.json',
    description: 'The caller back from an agent: reads out the reset or unlock the agent asked for',
  },
  { name: 'password-reset', file: 'connect/flows/password-reset.json', description: 'Self-service password reset by phone' },
];

export const QUEUES: readonly QueueSpec[] = [
  { key: 'PasswordReset', name: 'PasswordReset', description: 'Agents who help with password resets' },
];

/** The substitutions a flow file may use, for one deployment. */
export function flowSubstitutions(values: {
  functionArn: (functionName: string) => string;
  botAliasArn: (botName: string) => string;
  queueArn: (queueName: string) => string;
  /** A flow's ARN (`${<Name>FlowArn}`), for a flow that runs another (a disconnect flow). */
  flowArn: (flowName: string) => string;
  /** The security key the stored code input is encrypted with: its id and certificate (PEM). */
  codeInputKey: { keyId: string; certificate: string };
}): Record<string, string> {
  // Inserted into JSON string values, so a PEM's line breaks must arrive escaped.
  const jsonText = (value: string) => JSON.stringify(value).slice(1, -1);
  const substitutions: Record<string, string> = {
    CodeInputKeyId: jsonText(values.codeInputKey.keyId),
    CodeInputCertificate: jsonText(values.codeInputKey.certificate),
  };
  for (const fn of FUNCTIONS) substitutions[`${pascalCase(fn.name)}FunctionArn`] = values.functionArn(fn.name);
  for (const bot of BOTS) substitutions[`${pascalCase(bot.name)}AliasArn`] = values.botAliasArn(bot.name);
  for (const queue of QUEUES) substitutions[`${queue.key}QueueArn`] = values.queueArn(queue.name);
  for (const flow of FLOWS) substitutions[`${pascalCase(flow.name)}FlowArn`] = values.flowArn(flow.name);
  return substitutions;
}
