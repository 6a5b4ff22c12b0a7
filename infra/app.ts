/**
 * The CDK app: six stacks split by lifecycle, env-agnostic (synthesizes with no account or
 * credentials), cdk-nag AwsSolutions checks on every stack.
 *   npm run synth      → cdk.out/
 *   npm run deploy     → cdk deploy --all (see README for the configuration it needs)
 */
import type { BotDefinition } from '../lex/bot-definition';
import { App, type CfnElement, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeploymentConfig, type DeploymentConfig } from './deployment-config';
import { DataStack } from './stacks/data-stack';
import { MessagingStack } from './stacks/messaging-stack';
import { WorkflowsStack } from './stacks/workflows-stack';
import { ContactCenterStack } from './stacks/contact-center-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { AgentDeskStack } from './stacks/agent-desk-stack';
import {
  CONTACT_CENTER_ACKNOWLEDGEMENTS,
  DATA_ACKNOWLEDGEMENTS,
  WORKFLOWS_ACKNOWLEDGEMENTS,
  acknowledge,
  agentDeskAcknowledgements,
  invokeVersionsAcknowledgement,
} from './nag-suppressions';

export interface SupportDeskApp {
  app: App;
  config: DeploymentConfig;
  data: DataStack;
  messaging: MessagingStack;
  workflows: WorkflowsStack;
  contactCenter: ContactCenterStack;
  observability: ObservabilityStack;
  agentDesk: AgentDeskStack;
}

/** `options.bots` replaces the bot catalogue (tests of what a changed bot deploys as). */
export function buildApp(app = new App(), options: { bots?: readonly BotDefinition[] } = {}): SupportDeskApp {
  const config = loadDeploymentConfig((key) => app.node.tryGetContext(key));
  const prefix = `SupportDesk-${config.stage}`;
  const data = new DataStack(app, `${prefix}-Data`, { config, description: 'Support Desk: tables and the code pepper' });
  const messaging = new MessagingStack(app, `${prefix}-Messaging`, { config, description: 'Support Desk: SES identity, templates, SMS' });
  const workflows = new WorkflowsStack(app, `${prefix}-Workflows`, {
    config,
    data,
    messaging,
    description: 'Support Desk: functions, workflows, events',
  });
  const contactCenter = new ContactCenterStack(app, `${prefix}-ContactCenter`, {
    config,
    data,
    workflows,
    ...(options.bots && { bots: options.bots }),
    description: 'Support Desk: Lex bots and the Connect flow',
  });
  const observability = new ObservabilityStack(app, `${prefix}-Observability`, {
    config,
    workflows,
    description: 'Support Desk: dashboard and alarms',
  });
  const agentDesk = new AgentDeskStack(app, `${prefix}-AgentDesk`, {
    config,
    workflows,
    description: 'Support Desk: the agent API (IAM) and the Agent Workspace app',
  });
  Tags.of(app).add('application', 'support-desk');
  Tags.of(app).add('stage', config.stage);
  acknowledge(data, DATA_ACKNOWLEDGEMENTS);
  acknowledge(workflows, [...WORKFLOWS_ACKNOWLEDGEMENTS, ...invokeVersionsAcknowledgement(workflows.invokedByWorkflows())]);
  acknowledge(contactCenter, CONTACT_CENTER_ACKNOWLEDGEMENTS);
  acknowledge(
    agentDesk,
    agentDeskAcknowledgements({
      assetsBucket: agentDesk.getLogicalId(agentDesk.site.bucket.node.defaultChild as CfnElement),
      restApi: agentDesk.getLogicalId(agentDesk.agentApi.api.node.defaultChild as CfnElement),
    }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, config, data, messaging, workflows, contactCenter, observability, agentDesk };
}

if (require.main === module) {
  buildApp().app.synth();
}
