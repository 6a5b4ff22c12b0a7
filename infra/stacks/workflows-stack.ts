/**
 * Workflows and functions: every Lambda of the function catalogue, the two Express state machines
 * from their ASL files, the event bus with its archive, and the rules of `events/` with a
 * dead-letter queue and a retry policy on every target. Every grant is the least each part needs.
 */
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import {
  SecurityGroup,
  Subnet,
  Vpc,
  type ISecurityGroup,
  type ISubnet,
  type IVpc,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  Peer,
  Port,
} from 'aws-cdk-lib/aws-ec2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EventBus, Rule, Schedule, type EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as FunctionConstruct } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUNCTIONS, functionByName, type FunctionAccess } from '../../lambdas/function-catalogue';
import { ASYNC_INVOCATION, RULES, EVENT_BUS_NAME } from '../../events/rule-catalogue';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { EventPattern } from '../../events/event-pattern';
import {
  STATE_MACHINES,
  START_WORKFLOW,
  VERIFY_WORKFLOW,
  definitionSubstitutions,
  type StateMachineSpec,
} from '../../state-machines/state-machine-catalogue';
import { pascalCase, usedSubstitutions } from '../../catalogue/placeholders';
import { stateMachineRole, type StateMachineRole } from '../../state-machines/state-machine-role';
import {
  environmentOfFunction,
  functionEnvironment,
  usesDirectory,
  type FunctionSpecificSettings,
} from '../../lambdas/configuration/function-environment';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import { DEFAULT_SWEEP_POLICY } from '../../lambdas/domain/sweep-detection';
import { TABLES, type TableId } from '../../catalogue/table-catalogue';
import type { DeploymentConfig } from '../deployment-config';
import { auditDigestBucketName, auditDigestObjectsArn, type DataStack } from './data-stack';
import type { MessagingStack } from './messaging-stack';
import { REPO_ROOT, projectFunction, retentionDays } from '../constructs/project-function';
import {
  DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT,
  VPC_FUNCTION_ACKNOWLEDGEMENT,
  acknowledge,
  auditDigestObjectsAcknowledgement,
  connectContactsAcknowledgements,
} from '../nag-suppressions';

export class WorkflowsStack extends Stack {
  readonly functions = new Map<string, FunctionConstruct>();
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
      codeInputKeySecretId: config.codeInputEncryption.keySecretArn,
      emailFrom: `Support Desk <${config.senderAddress}>`,
      emailTemplateSuffix: messaging.templateSuffix,
      emailConfigurationSet: messaging.configurationSet.configurationSetName,
      ...(messaging.smsConfigurationSetName && { smsConfigurationSet: messaging.smsConfigurationSetName }),
      startWorkflowArn: machineArn(START_WORKFLOW),
      verifyWorkflowArn: machineArn(VERIFY_WORKFLOW),
      auditDigestBucket: auditDigestBucketName(this, config.stage),
      auditDigestKeyId: data.auditDigestKey.keyArn,
      policy: DEFAULT_POLICY,
      sweepPolicy: DEFAULT_SWEEP_POLICY,
      securityTeamEmail: config.securityTeamEmail,
      securityTeamPhone: config.securityTeamPhone,
      ...(config.smsEnabled
        ? { securityAlertSmsNumber: config.securityAlertSmsNumber, smsOriginationIdentity: config.smsOriginationIdentity }
        : {}),
      codeToCorporateEmail: config.codeToCorporateEmail,
      directory: config.directory,
    });
    const directory = this.directorySettings(config);
    const specific: FunctionSpecificSettings = {
      directoryEnvironment: directory.environment,
      readsRecoveryChannels: readsRecoveryChannels(config),
      // The instance comes from the configuration, not from the contact center stack: no cross-stack reference.
      connectInstanceId: () => connectInstanceIdOf(config.connectInstanceArn),
    };
    for (const definition of FUNCTIONS) {
      // The directory's writers (set-temporary-password, unlock-account) get its settings and network,
      // and so does its reader (issue-verification-code) where the deployment lets it read the directory.
      const directoryUser = usesDirectory(definition, specific.readsRecoveryChannels);
      const fn = projectFunction(this, definition, {
        stage: config.stage,
        environment: environmentOfFunction(definition, environment, specific),
        logRetentionDays: config.logRetentionDays,
        ...(definition.reservedConcurrencySetting ? { reservedConcurrency: config[definition.reservedConcurrencySetting] } : {}),
        ...(directoryUser && directory.network ? { network: directory.network } : {}),
      });
      this.functions.set(definition.name, fn);
      if (directoryUser && directory.network) acknowledge(fn, [VPC_FUNCTION_ACKNOWLEDGEMENT]);
      this.grantAccess(fn, definition.access ?? {}, { config, data, messaging, machineArn });
      if (definition.scheduleSetting) {
        const dlq = new Queue(this, `${pascalCase(definition.name)}ScheduleDeadLetters`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        acknowledge(dlq, [DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT]);
        this.deadLetterQueues.push(dlq);
        new Rule(this, `${pascalCase(definition.name)}Schedule`, {
          ruleName: `${definition.name}-${config.stage}`,
          description: `${definition.name} every ${config[definition.scheduleSetting]} minutes`,
          schedule: Schedule.rate(Duration.minutes(config[definition.scheduleSetting])),
          // A late run is still useful; a duplicate is harmless (the digest's key is the scheduled time).
          targets: [new LambdaFunction(fn, { deadLetterQueue: dlq, retryAttempts: 2, maxEventAge: Duration.minutes(30) })],
        });
      }
    }

    // Every function a rule or a schedule invokes (asynchronously): Lambda's retries, then its on-failure
    // queue, so an event whose function keeps failing is kept, not discarded (ASYNC_INVOCATION).
    const asyncTargets = new Set([
      ...RULES.flatMap((rule) => rule.targets.map((target) => functionByName(target.functionName).name)),
      ...FUNCTIONS.filter((definition) => definition.scheduleSetting).map((definition) => definition.name),
    ]);
    for (const name of asyncTargets) {
      const failed = new Queue(this, `${pascalCase(name)}FailedEvents`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(failed, [DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT]);
      this.deadLetterQueues.push(failed);
      this.fn(name).configureAsyncInvoke({
        retryAttempts: ASYNC_INVOCATION.retryAttempts,
        maxEventAge: Duration.hours(ASYNC_INVOCATION.maxEventAgeHours),
        onFailure: new SqsDestination(failed),
      });
    }

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
        // Only the keys this ASL uses: each substitution is an import from the data stack, and an
        // unused one would still block that stack's updates.
        definitionSubstitutions: usedSubstitutions(readFileSync(resolve(REPO_ROOT, spec.file), 'utf8'), substitutions),
        // Security rule 8 (docs/design.md): execution data (which can hold a password) never reaches the logs.
        logs: { destination: logGroup, level: LogLevel[spec.logging.level], includeExecutionData: spec.logging.includeExecutionData },
        tracingEnabled: true,
      });
      this.stateMachines.set(spec.name, machine);
    }
    this.grantStateMachines(data);

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
        // This retry policy and queue cover handing the event to Lambda (throttled, refused); a failure of
        // the function itself goes to its on-failure queue above.
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

  fn(name: string): FunctionConstruct {
    const found = this.functions.get(name);
    if (!found) throw new Error(`no function ${name}`);
    return found;
  }

  /** The directory writers' directory: its environment, network and (granted below) permissions. */
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
      const subnets = l.subnetIds.map((id, i) =>
        Subnet.fromSubnetAttributes(this, `DirectorySubnet${i}`, { subnetId: id, availabilityZone: l.availabilityZones[i]! }),
      );
      const functionSecurityGroup = SecurityGroup.fromSecurityGroupId(this, 'DirectorySecurityGroup', l.securityGroupId);
      // In private subnets the function has no route to Secrets Manager unless something gives it one:
      // every reset would fail as DIRECTORY_UNAVAILABLE. An interface endpoint with private DNS does,
      // open on 443 to the function's security group only
      // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html).
      if ((l.secretsManagerAccess ?? 'create') === 'create') {
        const endpointSecurityGroup = new SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
          vpc,
          description: 'Secrets Manager endpoint for the password-setting function',
          allowAllOutbound: false,
        });
        endpointSecurityGroup.addIngressRule(
          Peer.securityGroupId(l.securityGroupId),
          Port.tcp(443),
          'HTTPS from the password-setting function',
        );
        new InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
          vpc,
          service: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
          subnets: { subnets },
          securityGroups: [endpointSecurityGroup],
          privateDnsEnabled: true,
          // Not open to the whole VPC: only the function's group, above.
          open: false,
        });
      }
      return {
        environment: {
          DIRECTORY: 'ldap',
          LDAP_URL: l.url,
          LDAP_BASE_DN: l.baseDn,
          LDAP_BIND_DN: l.bindDn,
          LDAP_BIND_SECRET_ID: l.bindSecretArn,
          LDAP_FLAVOR: l.flavor,
          ...(l.startTls ? { LDAP_START_TLS: 'true' } : {}),
          LDAP_EMPLOYEE_ID_ATTRIBUTE: l.employeeIdAttribute,
          ...(l.recoveryEmailAttribute ? { LDAP_RECOVERY_EMAIL_ATTRIBUTE: l.recoveryEmailAttribute } : {}),
        },
        network: {
          vpc,
          vpcSubnets: { subnets },
          securityGroups: [functionSecurityGroup],
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

  /** Logical ids of the functions the state machines invoke (for the cdk-nag acknowledgement), read from their ASL. */
  invokedByWorkflows(): string[] {
    return STATE_MACHINES.flatMap((spec) => workflowRole(spec).invokes).map((n) =>
      this.getLogicalId(this.fn(n).node.defaultChild as CfnElement),
    );
  }

  /** The LDAP service account's secret (referenced once, granted to each directory writer). */
  private ldapBindSecret(arn: string) {
    return (
      (this.node.tryFindChild('LdapBindSecret') as ReturnType<typeof Secret.fromSecretCompleteArn> | undefined) ??
      Secret.fromSecretCompleteArn(this, 'LdapBindSecret', arn)
    );
  }

  /** The operator's secret with the stored-input key pair (referenced, never created: it holds a private key). */
  private codeInputKeySecret(config: DeploymentConfig) {
    return (
      (this.node.tryFindChild('CodeInputKey') as ReturnType<typeof Secret.fromSecretCompleteArn> | undefined) ??
      Secret.fromSecretCompleteArn(this, 'CodeInputKey', config.codeInputEncryption.keySecretArn)
    );
  }

  stateMachine(name: string): StateMachine {
    return this.stateMachines.get(name)!;
  }

  /** Grants one function exactly the access its catalogue entry declares. */
  private grantAccess(
    fn: FunctionConstruct,
    access: FunctionAccess,
    deps: { config: DeploymentConfig; data: DataStack; messaging: MessagingStack; machineArn: (name: string) => string },
  ): void {
    const { config, data, messaging } = deps;
    for (const [tid, actions] of Object.entries(access.tables ?? {}) as Array<[TableId, readonly string[]]>) {
      // The table itself, not its indexes: Table.grant would add `index/*` for a table that has one,
      // and no catalogued operation reads an index (the digest writer's by-day index is granted by name below).
      fn.addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: actions.map((a) => `dynamodb:${a}`), resources: [data.table(tid).tableArn] }),
      );
    }
    if (access.codePepper) data.codePepper.grantRead(fn);
    if (access.codeInputKey) this.codeInputKeySecret(config).grantRead(fn);
    if (access.emailTemplates) {
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: messaging.identityName }),
            this.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: messaging.configurationSet.configurationSetName,
            }),
            ...access.emailTemplates.map((t) =>
              this.formatArn({ service: 'ses', resource: 'template', resourceName: `${t}${messaging.templateSuffix}` }),
            ),
          ],
        }),
      );
    }
    if (access.sms && config.smsEnabled) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['sms-voice:SendTextMessage'],
          resources: [
            smsOriginationArn(config.smsOriginationIdentity, (resource, resourceName) =>
              this.formatArn({ service: 'sms-voice', resource, resourceName }),
            ),
          ],
        }),
      );
    }
    if (access.auditDigests) {
      // The table (each chain's head) and its by-day index (the chains that changed); Query only.
      const auditTable = `${TABLES.find((t) => t.id === 'Audit')!.tableName}-${config.stage}`;
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [
            this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: auditTable }),
            this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${auditTable}/index/by-day` }),
          ],
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Sign'],
          resources: [data.auditDigestKey.keyArn],
          conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } },
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [`arn:${this.partition}:s3:::${auditDigestBucketName(this, config.stage)}`],
        }),
      );
      // Read the latest digest and add the next; no delete, no retention change.
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [auditDigestObjectsArn(this, config.stage)] }),
      );
      acknowledge(fn, [auditDigestObjectsAcknowledgement(config.stage)]);
    }
    if (access.putEvents) this.bus.grantPutEventsTo(fn);
    if (access.startsWorkflows?.length)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:StartSyncExecution'],
          resources: access.startsWorkflows.map((name) => deps.machineArn(name)),
        }),
      );
    // The agent API's contacts: the actions' resource types per the Service Authorization Reference
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html):
    // DescribeContact, GetContactAttributes and UpdateContactAttributes act on `contact`
    // (instance/<id>/contact/<contactId>), SearchUsers on the `instance` and the users it returns (`agent`,
    // instance/<id>/agent/<userId>). Contacts and users are named by IDs known only at run time: `*` under this instance.
    if (access.connectContacts) {
      const instanceArn = config.connectInstanceArn;
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['connect:DescribeContact', 'connect:GetContactAttributes', 'connect:UpdateContactAttributes'],
          resources: [`${instanceArn}/contact/*`],
        }),
      );
      fn.addToRolePolicy(new PolicyStatement({ actions: ['connect:SearchUsers'], resources: [instanceArn, `${instanceArn}/agent/*`] }));
      acknowledge(fn, connectContactsAcknowledgements(instanceArn));
    }
    // A directory writer touches only the directory it is configured for, and only for its one operation.
    if (access.directory) {
      const unlock = access.directory === 'unlock';
      // Demo: the employees table (unlock also reads it, to tell an unknown employee from one not locked).
      if (config.directory === 'demo') data.table('Employees').grant(fn, 'dynamodb:UpdateItem', ...(unlock ? ['dynamodb:GetItem'] : []));
      // LDAP: the service account's secret; what it may modify is the directory's own ACL.
      if (config.directory === 'ldap') this.ldapBindSecret(config.ldap.bindSecretArn).grantRead(fn);
      // Cognito: a password is AdminSetUserPassword; an unlock calls nothing (a user pool has no lock to
      // clear, lambdas/directory/cognito-directory.ts), so it is granted nothing.
      if (config.directory === 'cognito' && !unlock)
        fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:AdminSetUserPassword'], resources: [config.cognitoUserPoolArn] }));
    }
    // The directory's reader reads recovery channels, nothing else. Demo: the employees table, which
    // the reader reads already (its `tables`). LDAP (where turned on): the service account's secret; what
    // it may read is the directory's ACL. Cognito: AdminGetUser on the pool, no write.
    if (access.directoryRead && readsRecoveryChannels(config)) {
      if (config.directory === 'ldap') this.ldapBindSecret(config.ldap.bindSecretArn).grantRead(fn);
      if (config.directory === 'cognito')
        fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:AdminGetUser'], resources: [config.cognitoUserPoolArn] }));
    }
  }

  /**
   * Each workflow may touch only the tables, item operations, functions and bus its ASL uses, read from
   * the ASL itself (state-machines/state-machine-role.ts, which the twin enforces too). Security rule 7
   * (docs/design.md) follows: the audit steps are a Query and a conditional PutItem, so the writers can
   * append, never update or delete.
   */
  private grantStateMachines(data: DataStack): void {
    for (const spec of STATE_MACHINES) {
      const machine = this.stateMachine(spec.name);
      const role = workflowRole(spec);
      for (const { table, actions } of role.dynamoDb)
        machine.addToRolePolicy(
          new PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [data.table(table).tableArn] }),
        );
      if (role.putEvents) this.bus.grantPutEventsTo(machine);
    }
    for (const spec of STATE_MACHINES)
      for (const name of workflowRole(spec).invokes) this.fn(name).grantInvoke(this.stateMachine(spec.name));
  }
}

/** The role a workflow's ASL file needs (state-machines/state-machine-role.ts). */
function workflowRole(spec: StateMachineSpec): StateMachineRole {
  return stateMachineRole(
    readFileSync(resolve(REPO_ROOT, spec.file), 'utf8'),
    FUNCTIONS.map((fn) => fn.name),
  );
}

/**
 * Whether the directory's reader (access.directoryRead) asks the directory for recovery channels: Cognito
 * always (AdminGetUser needs no network of its own); LDAP only where `ldap.readRecoveryChannels` is on,
 * since the reader then runs in the directory's VPC and needs a way out of it to every service it calls
 * (infra/deployment-config.ts); never the demo directory, which is the employees table.
 */
export function readsRecoveryChannels(config: DeploymentConfig): boolean {
  return config.directory === 'cognito' || (config.directory === 'ldap' && config.ldap.readRecoveryChannels === true);
}

/** The instance ID of an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>). */
export function connectInstanceIdOf(instanceArn: string): string {
  const id = instanceArn.split('/')[1];
  if (!id) throw new Error(`connectInstanceArn ${instanceArn} names no instance`);
  return id;
}

/**
 * The IAM resource of an End User Messaging SMS origination identity. IAM names phone numbers and pools
 * by their IDs (phone-…, pool-…), not by the number itself, and sender IDs by ARN only
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsendusermessagingsmsandvoicev2.html);
 * the deployment config accepts exactly the forms this maps.
 */
export function smsOriginationArn(identity: string, arn: (resource: string, name: string) => string): string {
  if (identity.startsWith('arn:')) return identity;
  if (/^phone-[0-9a-f]{32}$/.test(identity)) return arn('phone-number', identity);
  if (/^pool-[0-9a-f]{32}$/.test(identity)) return arn('pool', identity);
  throw new Error(`smsOriginationIdentity ${identity}: give a phone number ID (phone-…), a pool ID (pool-…) or an ARN`);
}

/** The catalogue's raw EventBridge pattern in CDK's property names (same JSON in the template). */
export function cdkPattern(pattern: EventPattern): CdkEventPattern {
  const { 'detail-type': detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...(rest as CdkEventPattern), ...(detailType ? { detailType: detailType as string[] } : {}) };
}
