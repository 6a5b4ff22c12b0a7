/**
 * Contact center: both Lex bots with their aliases, and the bring-your-own Amazon Connect instance
 * wired to them — bot and Lambda associations, hours, the PasswordReset queue, the contact flow
 * from `connect/flows/` with its ARNs substituted, the flow prompts in the prompts table, and
 * (behind `claimPhoneNumber`) a phone number.
 */
import { ArnFormat, type CfnResource, Fn, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  CfnContactFlow,
  CfnSecurityKey,
  CfnTestCase,
  CfnHoursOfOperation,
  CfnIntegrationAssociation,
  CfnPhoneNumber,
  CfnQueue,
  CfnRoutingProfile,
} from 'aws-cdk-lib/aws-connect';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Construct } from 'constructs';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BOTS } from '../../lex/bot-catalogue';
import type { BotDefinition } from '../../lex/bot-definition';
import { FLOWS, QUEUES, flowSubstitutions } from '../../connect/flow-catalogue';
import { loadPromptSets } from '../../connect/prompt-catalogue';
import { AGENT_HOURS, hhmm, hoursProblems } from '../../connect/hours-of-operation';
import { functionsNamedIn, pascalCase } from '../../catalogue/placeholders';
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import type { DeploymentConfig } from '../deployment-config';
import type { DataStack } from './data-stack';
import type { WorkflowsStack } from './workflows-stack';
import { LexBot } from '../constructs/lex-bot';
import { REPO_ROOT, retentionDays } from '../constructs/project-function';
import { instanceForm, usesInboxHook } from '../../connect/test-case-instance-form';

/** Lambdas the contact flows invoke directly: those their `${<Name>FunctionArn}` placeholders name. */
const CONNECT_FUNCTIONS = [
  ...new Set(
    FLOWS.flatMap((flow) =>
      functionsNamedIn(
        readFileSync(resolve(REPO_ROOT, flow.file), 'utf8'),
        FUNCTIONS.map((fn) => fn.name),
      ),
    ),
  ),
];

export class ContactCenterStack extends Stack {
  readonly bots = new Map<string, LexBot>();
  readonly flows = new Map<string, CfnContactFlow>();
  /** The substituted flow content (a CloudFormation Fn::Sub), by flow name. */
  readonly flowContent = new Map<string, string>();
  /** Serves the transfer queues; agents are assigned to it in the Connect admin website. */
  readonly routingProfile: CfnRoutingProfile;

  constructor(
    scope: Construct,
    id: string,
    props: StackProps & { config: DeploymentConfig; data: DataStack; workflows: WorkflowsStack; bots?: readonly BotDefinition[] },
  ) {
    super(scope, id, props);
    const { config, data, workflows } = props;
    const instanceArn = config.connectInstanceArn;

    const lexLogsKey = new Key(this, 'LexConversationLogsKey', {
      description: 'Encrypts the Lex conversation logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs may use the key for this log group only
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
    const lexLogGroupName = `/aws/lex/support-desk-${config.stage}`;
    lexLogsKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: lexLogGroupName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    const lexLogs = new LogGroup(this, 'LexConversationLogs', {
      logGroupName: lexLogGroupName,
      encryptionKey: lexLogsKey,
      retention: retentionDays(config.logRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const lexRole = new Role(this, 'LexRole', {
      assumedBy: new ServicePrincipal('lexv2.amazonaws.com'),
      description: 'Lex V2 bots of the Support Desk: speech synthesis and conversation logs',
      inlinePolicies: {
        bots: new PolicyDocument({
          statements: [
            // Polly voices have no resource ARNs: AWS requires "*" for SynthesizeSpeech.
            new PolicyStatement({ actions: ['polly:SynthesizeSpeech'], resources: ['*'] }),
            new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [lexLogs.logGroupArn] }),
          ],
        }),
      },
    });
    // Connect validates a published flow's bots and Lambdas when it is created: they come first.
    const flowPrerequisites: CfnResource[] = [];
    for (const definition of props.bots ?? BOTS) {
      const bot = new LexBot(this, pascalCase(definition.name), {
        definition,
        stage: config.stage,
        role: lexRole,
        ...(definition.codeHookFunction ? { codeHook: workflows.fn(definition.codeHookFunction) } : {}),
        textLogs: lexLogs,
      });
      this.bots.set(definition.name, bot);
      const botAssociation = new CfnIntegrationAssociation(this, `${pascalCase(definition.name)}Association`, {
        instanceId: instanceArn,
        integrationType: 'LEX_BOT',
        integrationArn: bot.aliasArn,
      });
      flowPrerequisites.push(botAssociation);
    }
    for (const name of CONNECT_FUNCTIONS) {
      const fn = workflows.fn(name);
      const lambdaAssociation = new CfnIntegrationAssociation(this, `${pascalCase(name)}Association`, {
        instanceId: instanceArn,
        integrationType: 'LAMBDA_FUNCTION',
        integrationArn: fn.functionArn,
      });
      const permission = new CfnPermission(this, `${pascalCase(name)}ConnectPermission`, {
        action: 'lambda:InvokeFunction',
        functionName: fn.functionArn,
        principal: 'connect.amazonaws.com',
        sourceArn: instanceArn,
        sourceAccount: this.account,
      });
      flowPrerequisites.push(lambdaAssociation, permission);
    }

    const hoursRefused = hoursProblems(AGENT_HOURS);
    if (hoursRefused.length > 0) throw new Error(`AGENT_HOURS: ${hoursRefused.join('; ')}`);
    const hours = new CfnHoursOfOperation(this, 'AgentHours', {
      instanceArn,
      name: `support-desk-agents-${config.stage}`,
      description: AGENT_HOURS.description,
      timeZone: config.hoursOfOperationTimeZone,
      config: AGENT_HOURS.schedule.map((slot) => ({ day: slot.day, startTime: hhmm(slot.start), endTime: hhmm(slot.end) })),
    });
    const queues = new Map<string, CfnQueue>();
    for (const q of QUEUES) {
      queues.set(
        q.name,
        new CfnQueue(this, `${q.key}Queue`, {
          instanceArn,
          name: `${q.name}-${config.stage}`,
          description: q.description,
          hoursOfOperationArn: hours.attrHoursOfOperationArn,
        }),
      );
    }

    // Agents who take the transfers: without a routing profile that serves these queues, a transfer
    // waits forever (connect-lex review row 13b). Assigning agents to it is an admin step (README).
    const firstQueue = queues.values().next().value!;
    this.routingProfile = new CfnRoutingProfile(this, 'AgentRoutingProfile', {
      instanceArn,
      name: `support-desk-agents-${config.stage}`,
      description: 'Agents who take Support Desk transfers (password-reset callers who asked for a person)',
      defaultOutboundQueueArn: firstQueue.attrQueueArn,
      mediaConcurrencies: [{ channel: 'VOICE', concurrency: 1 }],
      queueConfigs: [...queues.values()].map((queue) => ({
        delay: 0,
        priority: 1,
        queueReference: { channel: 'VOICE', queueArn: queue.attrQueueArn },
      })),
    });

    // The instance's security key for the stored code input (security review F12); the flow's
    // certificate is signed with it (https://docs.aws.amazon.com/connect/latest/adminguide/encrypt-data.html).
    new CfnSecurityKey(this, 'CodeInputSecurityKey', { instanceId: instanceArn, key: config.codeInputEncryption.publicKey });
    const substitutions = flowSubstitutions({
      functionArn: (name) => workflows.fn(name).functionArn,
      botAliasArn: (name) => this.bots.get(name)!.aliasArn,
      queueArn: (name) => queues.get(name)!.attrQueueArn,
      // Resolved at synthesis: a flow names only flows created before it (FLOWS' order).
      flowArn: (name) => Lazy.string({ produce: () => this.flows.get(name)!.attrContactFlowArn }),
      codeInputKey: config.codeInputEncryption,
    });
    for (const spec of FLOWS) {
      const raw = readFileSync(resolve(REPO_ROOT, spec.file), 'utf8');
      const used = Object.fromEntries(Object.entries(substitutions).filter(([key]) => raw.includes(`\${${key}}`)));
      const content = Fn.sub(JSON.stringify(JSON.parse(raw)), used);
      this.flowContent.set(spec.name, content);
      this.flows.set(
        spec.name,
        (() => {
          const flow = new CfnContactFlow(this, `${pascalCase(spec.name)}Flow`, {
            instanceArn,
            name: `${spec.name}-${config.stage}`,
            description: spec.description,
            type: 'CONTACT_FLOW',
            content,
          });
          for (const prerequisite of flowPrerequisites) flow.addResourceDependency(prerequisite);
          return flow;
        })(),
      );
    }

    // The conversation suite (connect/tests, Testing language) on the instance, one test case per file, its
    // ARNs substituted as the flow's. A file that reads codes from the twin's inbox ({{code:…}}) is deployed
    // in its instance form: verify-code mocked, no code keyed (connect/test-case-instance-form.ts).
    const flow = this.flows.get('password-reset')!;
    const testSubstitutions = { ...substitutions, AgentHoursArn: hours.attrHoursOfOperationArn };
    for (const file of conversationTestCases(REPO_ROOT)) {
      const document = JSON.parse(readFileSync(resolve(REPO_ROOT, 'connect/tests', file), 'utf8')) as {
        Metadata?: { description?: string };
      };
      const text = JSON.stringify(usesInboxHook(document) ? instanceForm(document) : document);
      const used = Object.fromEntries(Object.entries(testSubstitutions).filter(([key]) => text.includes(`\${${key}}`)));
      const name = file.replace(/\.json$/, '');
      new CfnTestCase(this, `${pascalCase(name)}TestCase`, {
        instanceArn,
        name: `${name}-${config.stage}`,
        description: String(document.Metadata?.description ?? name).slice(0, 250),
        content: Fn.sub(text, used),
        // Only a published test case can be started (StartTestCaseExecution), and publishing is what makes
        // Connect validate the content (CreateTestCase: "PUBLISHED status will initiate validation").
        status: 'PUBLISHED',
        entryPoint: { type: 'VOICE_CALL', voiceCallEntryPointParameters: { flowId: flow.attrContactFlowArn } },
      });
    }

    // The prompts are code: every deployment writes the repository's prompt sets to the table.
    const promptsTable = data.table('Prompts');
    for (const set of loadPromptSets()) {
      const item = marshall(set);
      const call = {
        service: 'DynamoDB',
        action: 'putItem',
        parameters: { TableName: promptsTable.tableName, Item: item },
        physicalResourceId: PhysicalResourceId.of(`${set.flow}#${set.locale}`),
      };
      new AwsCustomResource(this, `Prompts${pascalCase(set.flow)}${pascalCase(set.locale)}`, {
        onCreate: call,
        onUpdate: call,
        policy: AwsCustomResourcePolicy.fromStatements([
          new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [promptsTable.tableArn] }),
        ]),
        installLatestAwsSdk: false,
      });
    }

    if (config.claimPhoneNumber) {
      new CfnPhoneNumber(this, 'DeskNumber', {
        targetArn: instanceArn,
        countryCode: config.phoneNumberCountryCode,
        type: config.phoneNumberType,
        description: 'Support Desk password reset line',
      });
    }
  }
}

/** The conversation suite's files (connect/tests), each deployed as one AWS::Connect::TestCase. */
export function conversationTestCases(repoRoot: string): string[] {
  return readdirSync(resolve(repoRoot, 'connect/tests'))
    .filter((f) => f.endsWith('.json'))
    .sort();
}
