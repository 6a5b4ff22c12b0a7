/**
 * For users with Docker: run the workflows on AWS Step Functions Local instead of the built-in
 * endpoint (HELPDESK_STEPFUNCTIONS_ENDPOINT). The twin registers the project's state machines there;
 * Step Functions Local must be started with LAMBDA_ENDPOINT set to the twin's Lambda endpoint.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import type { StateMachineSpec } from '../../state-machines/state-machine-catalogue';
import { substitute } from '../../catalogue/placeholders';
import { localClientConfig } from '../local-credentials';
import { deployedMachineRoleArn } from './workflow-iam';

export async function registerExternalStateMachines(
  endpoint: string,
  machines: readonly StateMachineSpec[],
  substitutions: Record<string, string>,
): Promise<void> {
  const client = new SFNClient({ ...localClientConfig(endpoint), disableHostPrefix: true });
  try {
    const existing = (await client.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    for (const spec of machines) {
      const definition = substitute(readFileSync(resolve(__dirname, '../..', spec.file), 'utf8'), substitutions);
      const found = existing.find((m) => m.name === spec.name);
      if (found) await client.send(new UpdateStateMachineCommand({ stateMachineArn: found.stateMachineArn, definition }));
      else {
        await client.send(
          new CreateStateMachineCommand({
            name: spec.name,
            type: spec.type,
            definition,
            roleArn: deployedMachineRoleArn(spec.name),
          }),
        );
      }
    }
  } finally {
    client.destroy();
  }
}
