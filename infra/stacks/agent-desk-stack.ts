/**
 * The agent desk on AWS (issue #20): the IAM-authorized agent API in front of the workflows stack's
 * `agent-api` function, its AgentApiInvoke policy for the agents' federated role, and the Agent Workspace
 * app on S3 and CloudFront. Its own stack: it depends on the workflows stack (the function), nothing
 * depends on it.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../deployment-config';
import { AgentApi } from '../constructs/agent-api';
import { AgentWorkspaceSite } from '../constructs/agent-workspace-site';
import type { WorkflowsStack } from './workflows-stack';

export class AgentDeskStack extends Stack {
  readonly agentApi: AgentApi;
  readonly site: AgentWorkspaceSite;

  constructor(scope: Construct, id: string, props: StackProps & { config: DeploymentConfig; workflows: WorkflowsStack }) {
    super(scope, id, props);
    const { config, workflows } = props;
    this.agentApi = new AgentApi(this, 'AgentApi', {
      fn: workflows.fn('agent-api'),
      stage: config.stage,
      logRetentionDays: config.logRetentionDays,
    });
    this.site = new AgentWorkspaceSite(this, 'AgentWorkspace', {
      api: this.agentApi.api,
      apiStage: this.agentApi.stageName,
      stage: config.stage,
      connectInstanceDomain: config.connectInstanceDomain,
      credentialsUrl: config.agentCredentialsUrl,
      logRetentionDays: config.logRetentionDays,
    });
  }
}
