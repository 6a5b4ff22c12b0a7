/**
 * Workflows and functions: every Lambda of the function catalogue, the two Express state machines
 * from their ASL files, the event bus with its archive, and the rules of `events/` with a
 * dead-letter queue and a retry policy on every target. Every grant is the least each part needs.
 */
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { SecurityGroup, Subnet, Vpc, type ISecurityGroup, type ISubnet, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EventBus, Rule, type EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { resolve } from 'node:path';
import { FUNCTIONS, functionByName } from '../../lambdas/function-catalogue';
import { RULES, EVENT_BUS_NAME } from '../../events/rule-catalogue';
import type { EventPattern } from '../../events/event-pattern';
import { STATE_MACHINES, START_WORKFLOW, VERIFY_WORKFLOW, definitionSubstitutions } from '../../state-machines/state-machine-catalogue';
import { pascalCase } from '../../catalogue/placeholders';
import { functionEnvironment } from '../../lambdas/configuration/function-environment';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import {
  PASSWORD_RESET_NOTICE_TEMPLATES,
  SECURITY_ALERT_TEMPLATE,
  VERIFICATION_CODE_TEMPLATES,
} from '../../lambdas/notifications/email-templates';
import { DEFAULT_SWEEP_POLICY } from '../../lambdas/domain/sweep-detection';
import { TABLES, type TableId } from '../../catalogue/table-catalogue';
import type { DeploymentConfig } from '../deployment-config';
import type { DataStack } from './data-stack';
import type { MessagingStack } from './messaging-stack';
import { REPO_ROOT, projectFunction, retentionDays } from '../constructs/project-function';
import { DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT, VPC_FUNCTION_ACKNOWLEDGEMENT, acknowledge } from '../nag-suppressions';

/** Which functions may call each other's downstreams hardest: capped so SES and the directory are not flooded. */
const RESERVED: Partial<Record<string, keyof DeploymentConfig>> = {
  'issue-verification-code': 'codeIssuerReservedConcurrency',
  'set-temporary-password': 'directoryWriterReservedConcurrency',
};

export class WorkflowsStack extends Stack {
  readonly functions = new Map<string, NodejsFunction>();
  readonly stateMachines = new Map<string, StateMachine>();
  readonly bus: EventBus;
  readonly deadLetterQueues: Queue[] = [];

  constructor(scope: Construct, id: string, props: StackProps & { config: DeploymentConfig; data: DataStack; messaging: MessagingStack }) {
    super(scope, id, props);
    const { config, data, messaging } = props;
    const table = (tid: TableId): TableV2 => data.table(tid);
    this.bus = new EventBus(this, 'Bus', { eventBusName: `${EVENT_BUS_NAME}-${config.stage}` });
    this.bus.archive('Archive', {
      archiveName: `${EVENT_BUS_NAME}-${config.stage}`,
      description: 'Every password-reset event, for replay and audit',
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(config.eventArchiveRetentionDays),
    });

    // State machine ARNs are known before the machines exist, which breaks the function ↔ machine cycle.
    const machineName = (name: string) => `support-desk-${name}-${config.stage}`;
    const machineArn = (name: string) =>
      this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: machineName(name),
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const environment = functionEnvironment({
      tableName: (t) => table(t.id).tableName,
      eventBusName: this.bus.eventBusName,
      codePepperSecretId: data.codePepper.secretArn,
      emailFrom: `Support Desk <${config.senderAddress}>`,
      startWorkflowArn: machineArn(START_WORKFLOW),
      verifyWorkflowArn: machineArn(VERIFY_WORKFLOW),
      policy: DEFAULT_POLICY,
      sweepPolicy: DEFAULT_SWEEP_POLICY,
      securityTeamEmail: config.securityTeamEmail,
      securityTeamPhone: config.securityTeamPhone,
      ...(config.smsEnabled
        ? { securityAlertSmsNumber: config.securityAlertSmsNumber, smsOriginationIdentity: config.smsOriginationIdentity }
        : {}),
      tracing: true,
    });
    const directory = this.directorySettings(config);
    for (const definition of FUNCTIONS) {
      const reserved = RESERVED[definition.name];
      const setsPasswords = definition.name === 'set-temporary-password';
      this.functions.set(
        definition.name,
        projectFunction(this, definition, {
          stage: config.stage,
          environment: setsPasswords ? { ...environment, ...directory.environment } : environment,
          logRetentionDays: config.logRetentionDays,
          ...(reserved ? { reservedConcurrency: config[reserved] as number } : {}),
          ...(setsPasswords && directory.network ? { network: directory.network } : {}),
        }),
      );
    }
    if (directory.network) acknowledge(this.fn('set-temporary-password'), [VPC_FUNCTION_ACKNOWLEDGEMENT]);
    this.grantFunctions(config, data, messaging);

    const substitutions = definitionSubstitutions({
      tableName: (envVar) => table(TABLES.find((t) => t.envVar === envVar)!.id).tableName,
      functionArn: (name) => this.fn(name).functionArn,
      eventBusName: this.bus.eventBusName,
      functions: FUNCTIONS,
    });
    for (const spec of STATE_MACHINES) {
      const logGroup = new LogGroup(this, `${pascalCase(spec.name)}Logs`, {
        logGroupName: `/aws/vendedlogs/states/${machineName(spec.name)}`,
        retention: retentionDays(config.logRetentionDays),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const machine = new StateMachine(this, pascalCase(spec.name), {
        stateMachineName: machineName(spec.name),
        stateMachineType: StateMachineType.EXPRESS,
        definitionBody: DefinitionBody.fromFile(resolve(REPO_ROOT, spec.file)),
        definitionSubstitutions: substitutions,
        // Security rule 8: execution data (which can hold a password) never reaches the logs.
        logs: { destination: logGroup, level: LogLevel[spec.logging.level], includeExecutionData: spec.logging.includeExecutionData },
        tracingEnabled: true,
        timeout: Duration.minutes(1),
      });
      this.stateMachines.set(spec.name, machine);
    }
    this.grantStateMachines(data);
    this.fn('authentication-code-hook').addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartSyncExecution'], resources: [machineArn(START_WORKFLOW)] }),
    );
    this.fn('verify-code').addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartSyncExecution'], resources: [machineArn(VERIFY_WORKFLOW)] }),
    );

    for (const rule of RULES) {
      const cdkRule = new Rule(this, `${pascalCase(rule.name)}Rule`, {
        ruleName: `${rule.name}-${config.stage}`,
        description: rule.description,
        eventBus: this.bus,
        eventPattern: cdkPattern(rule.eventPattern),
      });
      for (const target of rule.targets) {
        const dlq = new Queue(this, `${pascalCase(rule.name)}${pascalCase(target.id)}DeadLetters`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        acknowledge(dlq, [DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT]);
        this.deadLetterQueues.push(dlq);
        cdkRule.addTarget(
          new LambdaFunction(this.fn(functionByName(target.functionName).name), {
            deadLetterQueue: dlq,
            retryAttempts: 8,
            maxEventAge: Duration.hours(6),
          }),
        );
      }
    }
  }

  fn(name: string): NodejsFunction {
    const found = this.functions.get(name);
    if (!found) throw new Error(`no function ${name}`);
    return found;
  }

  /** The password-setting function's directory: its environment, network and (granted below) permissions. */
  private directorySettings(config: DeploymentConfig): {
    environment: Record<string, string>;
    network?: { vpc: IVpc; vpcSubnets: { subnets: ISubnet[] }; securityGroups: ISecurityGroup[] };
  } {
    if (config.directory === 'ldap') {
      const l = config.ldap;
      const vpc = Vpc.fromVpcAttributes(this, 'DirectoryVpc', {
        vpcId: l.vpcId,
        availabilityZones: l.availabilityZones,
        privateSubnetIds: l.subnetIds,
      });
      return {
        environment: {
          DIRECTORY: 'ldap',
          LDAP_URL: l.url,
          LDAP_BASE_DN: l.baseDn,
          LDAP_BIND_DN: l.bindDn,
          LDAP_BIND_SECRET_ID: l.bindSecretArn,
          LDAP_FLAVOR: l.flavor,
          LDAP_EMPLOYEE_ID_ATTRIBUTE: l.employeeIdAttribute,
        },
        network: {
          vpc,
          vpcSubnets: {
            subnets: l.subnetIds.map((id, i) =>
              Subnet.fromSubnetAttributes(this, `DirectorySubnet${i}`, { subnetId: id, availabilityZone: l.availabilityZones[i]! }),
            ),
          },
          securityGroups: [SecurityGroup.fromSecurityGroupId(this, 'DirectorySecurityGroup', l.securityGroupId)],
        },
      };
    }
    if (config.directory === 'cognito')
      return {
        environment: {
          DIRECTORY: 'cognito',
          COGNITO_USER_POOL_ID: Arn.split(config.cognitoUserPoolArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!,
        },
      };
    return { environment: { DIRECTORY: 'demo' } };
  }

  /** Logical ids of the functions the state machines invoke (for the cdk-nag acknowledgement). */
  invokedByWorkflows(): string[] {
    return ['prepare-reset', 'issue-verification-code', 'check-verification-code', 'set-temporary-password'].map((n) =>
      this.getLogicalId(this.fn(n).node.defaultChild as CfnElement),
    );
  }

  stateMachine(name: string): StateMachine {
    return this.stateMachines.get(name)!;
  }

  private grantFunctions(config: DeploymentConfig, data: DataStack, messaging: MessagingStack): void {
    const dynamo = (name: string, tid: TableId, actions: string[]) =>
      data.table(tid).grant(this.fn(name), ...actions.map((a) => `dynamodb:${a}`));
    const sendEmail = (name: string, templates: readonly string[]) =>
      this.fn(name).addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: messaging.identity.emailIdentityName }),
            this.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: messaging.configurationSet.configurationSetName,
            }),
            ...templates.map((t) => this.formatArn({ service: 'ses', resource: 'template', resourceName: t })),
          ],
        }),
      );
    dynamo('issue-verification-code', 'Employees', ['GetItem']);
    // The password-setting function touches only the directory it is configured for.
    if (config.directory === 'demo') dynamo('set-temporary-password', 'Employees', ['UpdateItem']);
    if (config.directory === 'ldap')
      Secret.fromSecretCompleteArn(this, 'LdapBindSecret', config.ldap.bindSecretArn).grantRead(this.fn('set-temporary-password'));
    if (config.directory === 'cognito')
      this.fn('set-temporary-password').addToRolePolicy(
        new PolicyStatement({ actions: ['cognito-idp:AdminSetUserPassword'], resources: [config.cognitoUserPoolArn] }),
      );
    dynamo('get-prompts', 'Prompts', ['GetItem']);
    data.codePepper.grantRead(this.fn('issue-verification-code'));
    data.codePepper.grantRead(this.fn('check-verification-code'));
    sendEmail(
      'issue-verification-code',
      Object.values(VERIFICATION_CODE_TEMPLATES).map((t) => t.name),
    );

    // Event consumers: idempotency records, and only what each one sends or counts.
    for (const consumer of ['security-notice', 'security-alert', 'sweep-detector', 'event-metrics'])
      dynamo(consumer, 'Idempotency', ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);
    dynamo('security-notice', 'Employees', ['GetItem']);
    sendEmail(
      'security-notice',
      Object.values(PASSWORD_RESET_NOTICE_TEMPLATES).map((t) => t.name),
    );
    sendEmail('security-alert', [SECURITY_ALERT_TEMPLATE.name]);
    if (config.smsEnabled) {
      this.fn('security-alert').addToRolePolicy(
        new PolicyStatement({
          actions: ['sms-voice:SendTextMessage'],
          resources: [
            config.smsOriginationIdentity.startsWith('arn:')
              ? config.smsOriginationIdentity
              : this.formatArn({ service: 'sms-voice', resource: 'phone-number', resourceName: config.smsOriginationIdentity }),
          ],
        }),
      );
    }
    dynamo('sweep-detector', 'RateLimits', ['UpdateItem', 'PutItem']);
    this.bus.grantPutEventsTo(this.fn('sweep-detector'));
  }

  /** Each workflow may touch only the tables, items operations, functions and bus its ASL uses. */
  private grantStateMachines(data: DataStack): void {
    const start = this.stateMachine(START_WORKFLOW);
    const verify = this.stateMachine(VERIFY_WORKFLOW);
    const allow = (machine: StateMachine, tid: TableId, actions: string[]) =>
      machine.addToRolePolicy(new PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [data.table(tid).tableArn] }));
    allow(start, 'RateLimits', ['UpdateItem']);
    allow(start, 'Employees', ['GetItem']);
    allow(start, 'ResetSessions', ['PutItem']);
    allow(verify, 'ResetSessions', ['GetItem', 'UpdateItem']);
    allow(verify, 'Employees', ['UpdateItem']);
    // Security rule 7: the audit writers can append, never update or delete.
    allow(start, 'Audit', ['Query', 'PutItem']);
    allow(verify, 'Audit', ['Query', 'PutItem']);
    for (const machine of [start, verify]) this.bus.grantPutEventsTo(machine);
    this.fn('prepare-reset').grantInvoke(start);
    this.fn('issue-verification-code').grantInvoke(start);
    this.fn('check-verification-code').grantInvoke(verify);
    this.fn('set-temporary-password').grantInvoke(verify);
  }
}

/** The catalogue's raw EventBridge pattern in CDK's property names (same JSON in the template). */
export function cdkPattern(pattern: EventPattern): CdkEventPattern {
  const { 'detail-type': detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...(rest as CdkEventPattern), ...(detailType ? { detailType: detailType as string[] } : {}) };
}
