/**
 * The CDK app, synthesized in-process (bundling skipped; the synth test bundles for real) and checked
 * with aws-cdk-lib/assertions: the security rules that infrastructure enforces, and the wiring.
 */
import { testApp } from '../support/test-app';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, type SupportDeskApp } from '../../infra/app';
import { BUSINESS_SIGNALS } from '../../infra/stacks/observability-stack';
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import { dynamoDbGrants, roleAllows, type RoleRequest } from '../../lambdas/function-role';
import { CODE_INPUT_KEY_SECRET_NAME, CODE_PEPPER_SECRET_NAME } from '../../catalogue/secret-catalogue';
import { ASYNC_INVOCATION, EVENT_BUS_NAME, RULES } from '../../events/rule-catalogue';
import type { DirectoryKind } from '../../lambdas/directory/directory-kind';
import { EMAIL_TEMPLATES } from '../../lambdas/notifications/email-templates';
import { APPEND_ONLY_DENIED_ACTIONS, TABLES } from '../../catalogue/table-catalogue';
import { validateFlow } from '../../local/connect/flow-validator';
import { ConfigError, assertDeployable, validateDeploymentConfig } from '../../infra/deployment-config';
import defaultConfig from '../../infra/config/default.json';
import { STATE_MACHINES, tableOperationsIn } from '../../state-machines/state-machine-catalogue';
import { stateMachineRole } from '../../state-machines/state-machine-role';
import { testCaseProblems } from '../../connect/test-case-schema';
import { conversationTestCases } from '../../infra/stacks/contact-center-stack';
import { BOTS } from '../../lex/bot-catalogue';
import { AGENT_API_METHODS } from '../../infra/constructs/agent-api';
import { endpointsAt, twinFunctionEnvironment } from '../../local/twin';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

let built: SupportDeskApp;
const templates: Record<string, Template> = {};
const all = () => Object.values(templates);

const SYNTH_CONTEXT = { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong' };

beforeAll(() => {
  const app = testApp({ context: SYNTH_CONTEXT });
  built = buildApp(app);
  // Synthesis runs the cdk-nag plugin; an unacknowledged finding fails it.
  app.synth();
  for (const key of ['data', 'messaging', 'workflows', 'contactCenter', 'observability', 'agentDesk'] as const)
    templates[key] = Template.fromStack(built[key]);
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown };
/** Every IAM statement: identity policies, role inline policies, and KMS key policies (keyPolicy: true). */
function statements(template: Template): Array<{ logicalId: string; statement: Statement; keyPolicy: boolean }> {
  const found: Array<{ logicalId: string; statement: Statement; keyPolicy: boolean }> = [];
  for (const [logicalId, resource] of Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties: any }>)) {
    const docs =
      resource.Type === 'AWS::IAM::Policy'
        ? [resource.Properties.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? (resource.Properties.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument)
          : resource.Type === 'AWS::KMS::Key'
            ? [resource.Properties.KeyPolicy]
            : [];
    for (const doc of docs)
      for (const statement of doc.Statement as Statement[])
        found.push({ logicalId, statement, keyPolicy: resource.Type === 'AWS::KMS::Key' });
  }
  return found;
}
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
/** Every statement of the IAM policies attached to a role (by the role's logical id). */
function policyStatementsOf(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('state machines', () => {
  it('both are EXPRESS, log ALL without execution data, and trace with X-Ray', () => {
    templates.workflows!.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    templates.workflows!.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('resolve every placeholder of their ASL file through definition substitutions', () => {
    for (const spec of STATE_MACHINES) {
      const machine = Object.values(templates.workflows!.findResources('AWS::StepFunctions::StateMachine')).find(
        (m) => m.Properties.StateMachineName === `support-desk-${spec.name}-prod`,
      )!;
      const keys = [...readFileSync(resolve(__dirname, '../..', spec.file), 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(3);
      // Exactly the keys it uses: every substitution is a cross-stack import.
      expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual([...new Set(keys)].sort());
      expect(machine.Properties.DefinitionS3Location).toBeDefined();
    }
  });
});

describe('functions', () => {
  it('every project function is nodejs22.x on arm64 with tracing, and every catalogue function exists', () => {
    const fns = templates.workflows!.findResources('AWS::Lambda::Function');
    const ours = Object.values(fns).filter((f) => String(f.Properties.FunctionName).startsWith('support-desk-'));
    expect(ours).toHaveLength(FUNCTIONS.length);
    for (const f of ours)
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    for (const f of ours)
      expect(f.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'support-desk',
        POWERTOOLS_METRICS_NAMESPACE: 'SupportDesk',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
  });

  it('reserve no concurrency by default (new accounts cannot), and reserve it where configured', () => {
    for (const fn of Object.values(templates.workflows!.findResources('AWS::Lambda::Function')))
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const app = testApp({
      context: { ...SYNTH_CONTEXT, codeIssuerReservedConcurrency: '20', directoryWriterReservedConcurrency: '20', stage: 'capped' },
    });
    const capped = Template.fromStack(buildApp(app).workflows);
    for (const name of ['issue-verification-code', 'set-temporary-password', 'unlock-account'])
      capped.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `support-desk-${name}-capped`,
        ReservedConcurrentExecutions: 20,
      });
  });

  it('never hold the pepper: it is generated by Secrets Manager and referenced by ARN only', () => {
    templates.data!.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    const text = JSON.stringify(templates.workflows!.toJSON());
    expect(text).not.toMatch(/SecretString"/);
    for (const f of Object.values(templates.workflows!.findResources('AWS::Lambda::Function'))) {
      const vars = f.Properties.Environment?.Variables ?? {};
      for (const [key, value] of Object.entries(vars))
        if (/PEPPER/.test(key)) expect(JSON.stringify(value)).toMatch(/ImportValue|Ref|arn:/);
    }
  });
});

describe('least privilege', () => {
  // Actions AWS offers only on "*" resources (no resource-level permissions).
  const STAR_RESOURCE_ALLOWED = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
    'polly:SynthesizeSpeech',
  ]);

  // Action families CDK's KMS grants use (one key's encrypt/decrypt variants, not "all of KMS").
  const ACTION_FAMILIES_ALLOWED = new Set(['kms:ReEncrypt*', 'kms:GenerateDataKey*']);
  // CDK's BucketDeployment (the Agent Workspace app's files): its bucket grants, on the assets and the app's bucket only.
  const BUCKET_DEPLOYMENT_FAMILIES = new Set(['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']);

  it('grants no "*" action and no "*" resource outside the allow-list', () => {
    for (const template of all()) {
      for (const { logicalId, statement, keyPolicy } of statements(template)) {
        const actions = list(statement.Action);
        const isKeyAdministration = keyPolicy && JSON.stringify(statement.Principal ?? '').includes(':root');
        for (const action of actions) {
          if (isKeyAdministration && action === 'kms:*') continue; // a KMS key policy must let the account administer the key
          const allowed =
            ACTION_FAMILIES_ALLOWED.has(action) ||
            (logicalId.startsWith('CustomCDKBucketDeployment') && BUCKET_DEPLOYMENT_FAMILIES.has(action));
          const family = action.endsWith('*') && !allowed ? action : 'ok';
          expect([logicalId, family]).toEqual([logicalId, 'ok']);
          expect([logicalId, action]).not.toEqual([logicalId, '*']);
        }
        if (statement.Resource === '*' || (Array.isArray(statement.Resource) && statement.Resource.includes('*'))) {
          if (keyPolicy) continue; // in a key policy, "*" means this key
          for (const action of actions) expect([logicalId, action, STAR_RESOURCE_ALLOWED.has(action)]).toEqual([logicalId, action, true]);
        }
      }
    }
  });

  it('lets the audit writers append only: no UpdateItem, DeleteItem or BatchWriteItem on the audit table', () => {
    const onAudit = all()
      .flatMap(statements)
      .filter(({ statement }) => JSON.stringify(statement.Resource ?? '').includes('AuditTable'));
    expect(onAudit.length).toBeGreaterThanOrEqual(2);
    for (const { statement } of onAudit) {
      for (const action of list(statement.Action))
        expect(['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DescribeTable']).toContain(action);
    }
  });

  it('the audit table denies everyone, admins included, any change or removal of a record (cfn-asl-iam row 10)', () => {
    const tables = templates.data!.findResources('AWS::DynamoDB::GlobalTable');
    const withPolicy = Object.entries(tables).filter(([, t]) =>
      (t.Properties.Replicas as Array<{ ResourcePolicy?: unknown }>).some((r) => r.ResourcePolicy),
    );
    expect(withPolicy.map(([id]) => id)).toEqual([expect.stringMatching(/^AuditTable/)]);
    const replica = (
      withPolicy[0]![1].Properties.Replicas as Array<{ ResourcePolicy: { PolicyDocument: { Statement: Statement[] } } }>
    )[0]!;
    const [deny, ...others] = replica.ResourcePolicy.PolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(list(deny!.Action).sort()).toEqual([...APPEND_ONLY_DENIED_ACTIONS].sort());
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
      expect(list(deny!.Action)).toContain(action);
    expect(list(deny!.Action)).not.toContain('dynamodb:PutItem');
    expect(JSON.stringify(deny!.Resource)).toContain(':table/support-desk-audit-prod');
    // No break-glass configured: no exception at all.
    expect((deny as { Condition?: unknown }).Condition).toBeUndefined();
  });

  it('with a break-glass role configured, that role alone escapes the audit table deny', () => {
    const breakGlass = 'arn:aws:iam::111122223333:role/audit-break-glass';
    const app = testApp({ context: { ...SYNTH_CONTEXT, auditBreakGlassRoleArn: breakGlass, stage: 'glass' } });
    const data = Template.fromStack(buildApp(app).data);
    const audit = Object.values(data.findResources('AWS::DynamoDB::GlobalTable')).find((t) =>
      (t.Properties.Replicas as Array<{ ResourcePolicy?: unknown }>).some((r) => r.ResourcePolicy),
    )!;
    const deny = (audit.Properties.Replicas as Array<{ ResourcePolicy: { PolicyDocument: { Statement: Statement[] } } }>)[0]!.ResourcePolicy
      .PolicyDocument.Statement[0] as Statement & { Condition?: unknown };
    expect(deny.Effect).toBe('Deny');
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': breakGlass } });
  });

  it('gives each state machine exactly the table operations its ASL performs (a new step cannot ship without its permission)', () => {
    const machineStatements = (name: string) =>
      statements(templates.workflows!)
        .filter(({ logicalId }) => logicalId.startsWith(name))
        .flatMap(({ statement }) => list(statement.Action))
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
    const operations = (spec: string) =>
      tableOperationsIn(readFileSync(resolve(__dirname, '../..', STATE_MACHINES.find((m) => m.name === spec)!.file), 'utf8'))
        .map((o) => `${o.table}:${o.action}`)
        .sort();
    // Read from the ASL, reviewed here: the audit is append-only (Query, PutItem), sessions never deleted.
    expect(operations('password-reset-start')).toEqual([
      'Audit:PutItem',
      'Audit:Query',
      'Employees:GetItem',
      'Employees:UpdateItem',
      'RateLimits:GetItem',
      'RateLimits:UpdateItem',
      'ResetSessions:PutItem',
    ]);
    expect(operations('password-reset-verify')).toEqual([
      'Audit:PutItem',
      'Audit:Query',
      'Employees:GetItem',
      'Employees:UpdateItem',
      'RateLimits:UpdateItem',
      'ResetSessions:GetItem',
      'ResetSessions:UpdateItem',
    ]);
    for (const [role, spec] of [
      ['PasswordResetStartRole', 'password-reset-start'],
      ['PasswordResetVerifyRole', 'password-reset-verify'],
    ] as const)
      expect(machineStatements(role)).toEqual(
        operations(spec)
          .map((o) => `dynamodb:${o.split(':')[1]}`)
          .sort(),
      );
  });
});

describe('tables', () => {
  it('are on demand, encrypted, point-in-time recoverable; stateful ones retained and deletion protected', () => {
    const tables = templates.data!.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(TABLES.length);
    for (const t of TABLES) {
      const [, resource] = Object.entries(tables).find(([, r]) => r.Properties.TableName === `${t.tableName}-prod`)!;
      expect(resource.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', SSESpecification: { SSEEnabled: true } });
      expect(resource.Properties.Replicas[0]).toMatchObject({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
      if (t.timeToLiveAttribute)
        expect(resource.Properties.TimeToLiveSpecification).toEqual({ AttributeName: t.timeToLiveAttribute, Enabled: true });
      if (t.stateful) {
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
      }
    }
  });
});

describe('events', () => {
  it('has the bus with an archive, and every rule target with a DLQ and a retry policy', () => {
    templates.workflows!.hasResourceProperties('AWS::Events::EventBus', { Name: 'support-desk-prod' });
    templates.workflows!.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
    // The bus's rules; the schedules (no EventBusName) are checked with the audit digests.
    const rules = Object.values(templates.workflows!.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventBusName);
    expect(rules).toHaveLength(RULES.length);
    for (const definition of RULES) {
      // The same pattern object the twin matches with.
      const rule = rules.find((r) => r.Properties.Name === `${definition.name}-prod`)!;
      expect(rule.Properties.EventPattern).toEqual(definition.eventPattern);
      expect(rule.Properties.Targets).toHaveLength(definition.targets.length);
    }
    for (const rule of rules) {
      for (const target of rule.Properties.Targets)
        expect(target).toMatchObject({ DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: { MaximumRetryAttempts: 8 } });
    }
  });
});

describe('contact center', () => {
  /** Each flow's content by its name (`<flow>-<stage>`). */
  const flowContents = (): Array<{ name: string; text: string; variables: Record<string, unknown> }> =>
    Object.values(templates.contactCenter!.findResources('AWS::Connect::ContactFlow')).map((flow) => {
      const [text, variables] = flow.Properties.Content['Fn::Sub'];
      return { name: flow.Properties.Name as string, text, variables };
    });
  const flowContent = () => flowContents().find((f) => f.name === 'password-reset-prod')!;

  it('creates every flow of the catalogue, the one a flow names (its disconnect flow) before it', () => {
    expect(flowContents().map((f) => f.name)).toEqual(['agent-readout-prod', 'password-reset-prod']);
    const { text, variables } = flowContent();
    expect(text).toContain(`"CustomerRemaining":"\${AgentReadoutFlowArn}"`);
    expect(JSON.stringify(variables.AgentReadoutFlowArn)).toContain('AgentReadoutFlow');
  });

  it.each(['agent-readout-prod', 'password-reset-prod'])(
    'substitutes every placeholder of %s, and the result passes the flow check',
    (name) => {
      const { text, variables } = flowContents().find((f) => f.name === name)!;
      const keys = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const key of keys) expect(Object.keys(variables)).toContain(key);
      const resolved = text.replace(/\$\{(\w+)\}/g, (_m: string, key: string) => `arn:aws:lambda:us-east-1:123456789012:function:${key}`);
      expect(validateFlow(JSON.parse(resolved))).toEqual([]);
      // Security rule 2 (docs/design.md): no contact attribute is ever set from the password.
      const flow = JSON.parse(resolved) as { Actions: Array<{ Type: string; Parameters: { Attributes?: Record<string, string> } }> };
      const attributeSources = flow.Actions.filter((a) => a.Type === 'UpdateContactAttributes').flatMap((a) =>
        Object.values(a.Parameters.Attributes ?? {}),
      );
      expect(attributeSources.length).toBeGreaterThan(5);
      expect(attributeSources.filter((v) => /password/i.test(v) && !/prm/.test(v))).toEqual([]);
    },
  );

  it('deploys one AWS::Connect::TestCase per file of connect/tests, each passing the Testing-language check, no inbox hook left', () => {
    const cases = templates.contactCenter!.findResources('AWS::Connect::TestCase');
    const files = conversationTestCases(resolve(__dirname, '../..'));
    expect(files.length).toBeGreaterThanOrEqual(11);
    expect(Object.keys(cases)).toHaveLength(files.length);
    const names = Object.values(cases).map((r) => r.Properties.Name as string);
    expect(names.sort()).toEqual(files.map((f) => `${f.replace(/\.json$/, '')}-${defaultConfig.stage}`).sort());
    for (const resource of Object.values(cases)) {
      const content = resource.Properties.Content['Fn::Sub'];
      const text = (Array.isArray(content) ? content[0] : content) as string;
      // The deployed ARNs, resolved by CloudFormation; any well-formed value shows the document is valid.
      const document = JSON.parse(text.replace(/\$\{[A-Za-z0-9_.]+\}/g, 'arn:aws:connect:us-east-1:111122223333:instance/x/resource'));
      // The twin's hook has no meaning on an instance (connect/test-case-instance-form.ts).
      expect(JSON.stringify(document.Observations)).not.toMatch(/\{\{(not-)?code:/);
      expect(testCaseProblems(document)).toEqual([]);
      expect(resource.Properties.Status).toBe('PUBLISHED');
      expect(resource.Properties.EntryPoint).toMatchObject({
        Type: 'VOICE_CALL',
        VoiceCallEntryPointParameters: { FlowId: expect.anything() },
      });
    }
  });

  it('points the authentication bot alias at the code hook; neither bot alias keeps text logs', () => {
    const aliases = templates.contactCenter!.findResources('AWS::Lex::BotAlias');
    const auth = Object.entries(aliases).find(([id]) => id.startsWith('EmployeeAuthenticationBot'))![1];
    const menu = Object.entries(aliases).find(([id]) => id.startsWith('HelpDeskMenu'))![1];
    for (const locale of auth.Properties.BotAliasLocaleSettings) {
      expect(JSON.stringify(locale.BotAliasLocaleSetting.CodeHookSpecification.LambdaCodeHook.LambdaArn)).toContain(
        'AuthenticationCodeHookFunction',
      );
    }
    expect(auth.Properties.ConversationLogSettings).toBeUndefined();
    // Security review F12: a caller may say a code at the menu; no bot keeps text logs.
    expect(menu.Properties.ConversationLogSettings).toBeUndefined();
    const bots = templates.contactCenter!.findResources('AWS::Lex::Bot');
    const authBot = Object.entries(bots).find(([id]) => id.startsWith('EmployeeAuthenticationBot'))![1];
    const codeSlot = authBot.Properties.BotLocales[0].Intents[0].Slots.find((s: { Name: string }) => s.Name === 'VerificationCode');
    expect(codeSlot.ObfuscationSetting).toEqual({ ObfuscationSettingType: 'DefaultObfuscation' });
    // Six digits and room for the "#" that ends them (it would otherwise spill into the next prompt); keypad only.
    const initial = codeSlot.ValueElicitationSetting.PromptSpecification.PromptAttemptsSpecification.Initial;
    expect(initial.AudioAndDTMFInputSpecification.DTMFSpecification).toMatchObject({ MaxLength: 7, EndCharacter: '#' });
    expect(initial.AllowedInputTypes).toEqual({ AllowAudioInput: false, AllowDTMFInput: true });
    expect(authBot.Properties.BotLocales.map((l: { LocaleId: string }) => l.LocaleId)).toEqual(['en_US', 'es_US']);
  });

  it('gives every slot prompt one message group, its retries as variations played in order (Lex plays one message per group)', () => {
    const bots = templates.contactCenter!.findResources('AWS::Lex::Bot');
    const prompts = Object.values(bots).flatMap((bot) =>
      bot.Properties.BotLocales.flatMap(
        (l: { Intents: Array<{ Slots?: Array<{ ValueElicitationSetting: { PromptSpecification: any } }> }> }) =>
          l.Intents.flatMap((i) => (i.Slots ?? []).map((slot) => slot.ValueElicitationSetting.PromptSpecification)),
      ),
    );
    expect(prompts.length).toBeGreaterThanOrEqual(6);
    for (const prompt of prompts) {
      expect(prompt.MessageGroupsList).toHaveLength(1);
      expect(prompt.MessageGroupsList[0].Variations).toHaveLength(prompt.MaxRetries);
      expect(prompt.MessageSelectionStrategy).toBe('Ordered');
    }
  });

  it('has a routing profile that serves every transfer queue by voice (connect-lex row 13b)', () => {
    const profiles = Object.values(templates.contactCenter!.findResources('AWS::Connect::RoutingProfile'));
    expect(profiles).toHaveLength(1);
    const queueIds = Object.keys(templates.contactCenter!.findResources('AWS::Connect::Queue'));
    const configs = profiles[0]!.Properties.QueueConfigs as Array<{ QueueReference: { Channel: string; QueueArn: unknown } }>;
    expect(configs.map((c) => c.QueueReference.Channel)).toEqual(queueIds.map(() => 'VOICE'));
    expect(configs.map((c) => JSON.stringify(c.QueueReference.QueueArn)).sort()).toEqual(
      queueIds.map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'QueueArn'] })).sort(),
    );
    expect(profiles[0]!.Properties.MediaConcurrencies).toEqual([{ Channel: 'VOICE', Concurrency: 1 }]);
  });

  it('associates both bots and the Connect Lambdas with the instance, with invoke permissions', () => {
    templates.contactCenter!.resourcePropertiesCountIs('AWS::Connect::IntegrationAssociation', { IntegrationType: 'LEX_BOT' }, 2);
    // get-prompts, verify-code, agent-context, read-out-agent-action.
    templates.contactCenter!.resourcePropertiesCountIs('AWS::Connect::IntegrationAssociation', { IntegrationType: 'LAMBDA_FUNCTION' }, 4);
    templates.contactCenter!.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: 'connect.amazonaws.com' }, 4);
    templates.contactCenter!.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: 'lexv2.amazonaws.com' }, 1);
    templates.contactCenter!.resourceCountIs('AWS::Connect::Queue', 1);
    templates.contactCenter!.resourceCountIs('AWS::Connect::PhoneNumber', 0);
  });
});

describe('observability', () => {
  it('has an alarm, on the SNS topic, for each dashboard signal', () => {
    const alarms = Object.values(templates.observability!.findResources('AWS::CloudWatch::Alarm'));
    const names = alarms.map((a) => a.Properties.MetricName);
    for (const signal of BUSINESS_SIGNALS)
      expect(alarms.some((a) => JSON.stringify(a.Properties).includes(`"${signal.metric}"`))).toBe(true);
    const functionCount = FUNCTIONS.length;
    expect(names.filter((n) => n === 'Errors')).toHaveLength(functionCount);
    expect(names.filter((n) => n === 'Throttles')).toHaveLength(functionCount);
    expect(names.filter((n) => n === 'ColdStart')).toHaveLength(functionCount);
    expect(names.filter((n) => n === 'ExecutionTime')).toHaveLength(2);
    expect(names.filter((n) => n === 'ApproximateNumberOfMessagesVisible')).toHaveLength(built.workflows.deadLetterQueues.length);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    const dashboard = JSON.stringify(templates.observability!.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of [...BUSINESS_SIGNALS.map((s) => s.metric), 'ExecutionTime', 'Errors', 'Throttles', 'ColdStart'])
      expect(dashboard).toContain(metric);
    templates.observability!.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('the "no reset completes" alarm can fire: codes sent and no reset in an hour, missing data read as 0 (cfn-asl-iam row 18)', () => {
    const [alarm] = Object.values(
      templates.observability!.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmName: 'support-desk-prod-PasswordResetAlarm' },
      }),
    );
    const queries = alarm!.Properties.Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string }; Period: number };
    }>;
    const expression = queries.find((q) => q.Expression)!.Expression!;
    expect(expression).toMatch(/FILL\(before, 0\) >= 5 AND FILL\(done, 0\) < 1/);
    expect(queries.filter((q) => q.MetricStat).map((q) => [q.MetricStat!.Metric.MetricName, q.MetricStat!.Period])).toEqual(
      expect.arrayContaining([
        ['VerificationCodeSent', 3600],
        ['PasswordReset', 3600],
      ]),
    );
    expect(alarm!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });
});

describe('deployment configuration', () => {
  it('accepts the default configuration and names every problem of a bad one', () => {
    expect(validateDeploymentConfig({ ...defaultConfig }).stage).toBe('prod');
    expect(() =>
      validateDeploymentConfig({ ...defaultConfig, connectInstanceArn: 'nope', securityTeamEmail: 'x', smsOriginationIdentity: '' }),
    ).toThrow(ConfigError);
    try {
      validateDeploymentConfig({ ...defaultConfig, connectInstanceArn: 'nope', securityTeamEmail: 'x', smsOriginationIdentity: '' });
    } catch (error) {
      expect((error as Error).message).toMatch(/connectInstanceArn[\s\S]*securityTeamEmail[\s\S]*smsOriginationIdentity/);
    }
  });

  it('refuses a sender address its SES identity does not cover (SES would reject every e-mail)', () => {
    const sender = (senderIdentity: string, senderAddress: string) => () =>
      validateDeploymentConfig({ ...defaultConfig, senderIdentity, senderAddress });
    expect(sender('corp.example.org', 'no-reply@corp.example.org')).not.toThrow();
    expect(sender('example.org', 'no-reply@desk.example.org')).not.toThrow();
    expect(sender('desk@example.org', 'desk@example.org')).not.toThrow();
    expect(sender('corp.example.org', 'no-reply@example.org')).toThrow(
      /senderAddress no-reply@example.org is not covered by senderIdentity corp.example.org/,
    );
    expect(sender('example.org', 'no-reply@notexample.org')).toThrow(ConfigError);
    expect(sender('desk@example.org', 'other@example.org')).toThrow(ConfigError);
  });

  it('claims a phone number only behind the flag', () => {
    const app = testApp({
      context: {
        'aws:cdk:bundling-stacks': [],
        '@aws-cdk/core:defaultCrossStackReferences': 'strong',
        claimPhoneNumber: 'true',
        stage: 'test',
      },
    });
    const withNumber = buildApp(app);
    Template.fromStack(withNumber.contactCenter).resourceCountIs('AWS::Connect::PhoneNumber', 1);
  });
});

describe('the directory the passwords are set in', () => {
  const build = (directory: string) => {
    const app = testApp({
      context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong', directory, stage: directory },
    });
    const built = buildApp(app);
    app.synth();
    return Template.fromStack(built.workflows);
  };
  const setter = (template: Template) =>
    Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) =>
      String(f.Properties.FunctionName).includes('set-temporary-password'),
    )!;

  it.each(['demo', 'ldap', 'cognito'])(
    'keeps every function’s environment under Lambda’s 4 KB (%s), counting each deploy-time value as 128 bytes',
    (directory) => {
      // "The total size of all environment variables doesn't exceed 4 KB"
      // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html); past it the deployment fails.
      // A reference (a table name, an ARN) is not known at synth: 128 bytes is more than any of them takes here.
      const template = build(directory);
      for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        const variables = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
        const bytes = Object.entries(variables).reduce(
          (n, [key, value]) => n + Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 128),
          0,
        );
        expect([id, bytes <= 4096]).toEqual([id, true]);
      }
    },
  );

  it.each(['demo', 'ldap', 'cognito'])(
    'gives each function the variables the twin gives it (%s): the same names, function by function',
    (directory) => {
      const template = build(directory);
      const deployed = (name: string) =>
        Object.values(template.findResources('AWS::Lambda::Function')).find(
          (f) => f.Properties.FunctionName === `support-desk-${name}-${directory}`,
        )!.Properties.Environment.Variables as Record<string, unknown>;
      // The twin is started with the deployment's directory settings as overrides (as local/main.ts passes them).
      const setter = deployed('set-temporary-password');
      const overrides = Object.fromEntries(
        Object.entries(setter)
          .filter(([name]) => /^(DIRECTORY|LDAP_|COGNITO_)/.test(name))
          .map(([name, value]) => [name, typeof value === 'string' ? value : 'from-a-reference']),
      );
      const reader = deployed('issue-verification-code').RECOVERY_CHANNELS_FROM_DIRECTORY as string;
      const endpoints = endpointsAt('http://127.0.0.1:1');
      // What only the twin sets (its endpoints and credentials: Lambda gives a role's) or only CDK (source maps).
      const twinOnly = /^AWS_(REGION|DEFAULT_REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY|ENDPOINT_URL_.*)$/;
      for (const fn of FUNCTIONS) {
        const twin = twinFunctionEnvironment(fn, endpoints, { ...overrides, RECOVERY_CHANNELS_FROM_DIRECTORY: reader });
        const names = (env: Record<string, unknown>) =>
          Object.keys(env)
            .filter((n) => !twinOnly.test(n) && n !== 'NODE_OPTIONS')
            .sort();
        expect([fn.name, names(twin)]).toEqual([fn.name, names(deployed(fn.name))]);
      }
    },
  );

  it('LDAP: the function runs in the configured VPC and reads only the bind secret', () => {
    const template = build('ldap');
    const [logicalId, fn] = setter(template);
    expect(fn.Properties.VpcConfig).toEqual({
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      DIRECTORY: 'ldap',
      LDAP_URL: 'ldaps://dc.corp.example.com',
      LDAP_FLAVOR: 'activedirectory',
      LDAP_BIND_SECRET_ID: expect.stringContaining(':secret:support-desk/ldap-bind'),
    });
    const role = logicalId.replace('Function', 'FunctionServiceRole');
    const own = statements(template).filter(({ logicalId: id }) => id.startsWith(role.slice(0, 20)));
    const actions = own.flatMap(({ statement }) => list(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('LDAP: the function can reach Secrets Manager from its private subnets (an interface endpoint, 443 from its group only)', () => {
    const template = build('ldap');
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcId: 'vpc-0123456789abcdef0',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.secretsmanager']] },
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ FromPort: 443, ToPort: 443, SourceSecurityGroupId: 'sg-0123456789abcdef0' })],
    });
  });

  it('Cognito: the function may only AdminSetUserPassword on the configured pool', () => {
    const template = build('cognito');
    const [logicalId, fn] = setter(template);
    expect(fn.Properties.Environment.Variables).toMatchObject({ DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123' });
    const own = statements(template).filter(
      ({ logicalId: id }) => id.startsWith(logicalId.replace('Function', '').slice(0, 18)) && id.includes('DefaultPolicy'),
    );
    const cognito = own.map(({ statement }) => statement).filter((s) => list(s.Action).some((a) => a.startsWith('cognito-idp:')));
    expect(cognito).toEqual([
      expect.objectContaining({
        Action: 'cognito-idp:AdminSetUserPassword',
        Resource: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdEf123',
      }),
    ]);
    expect(own.flatMap(({ statement }) => list(statement.Action)).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });
});

describe('unlock-account: the directory for the unlock only (least privilege)', () => {
  const build = (directory: string) => {
    const app = testApp({ context: { ...SYNTH_CONTEXT, directory, stage: `unlock-${directory}` } });
    const built = buildApp(app);
    // Synthesis runs cdk-nag: an unacknowledged finding fails it.
    app.synth();
    return Template.fromStack(built.workflows);
  };
  const fnNamed = (template: Template, name: string) =>
    Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) => String(f.Properties.FunctionName).includes(name))!;
  /** Every statement of the function's role: its inline and attached policies. */
  const roleActions = (template: Template, name: string) => {
    const [, fn] = fnNamed(template, name);
    return policyStatementsOf(template, fn.Properties.Role['Fn::GetAtt'][0] as string);
  };
  const actionsOf = (statements: Statement[]) => statements.flatMap((s) => list(s.Action)).sort();

  it('demo: UpdateItem and GetItem on the employees table, nothing else of the desk (no pepper, no other table, no e-mail, no events)', () => {
    const template = build('demo');
    const statements = roleActions(template, 'unlock-account');
    expect(actionsOf(statements).filter((a) => !a.startsWith('xray:'))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const tableStatement = statements.find((s) => list(s.Action).includes('dynamodb:UpdateItem'))!;
    expect(JSON.stringify(tableStatement.Resource)).toMatch(/Employees/i);
    expect(fnNamed(template, 'unlock-account')[1].Properties.Environment.Variables).toMatchObject({ DIRECTORY: 'demo' });
  });

  it('LDAP: in the directory VPC, reading only the bind secret, like the password setter', () => {
    const template = build('ldap');
    const [, fn] = fnNamed(template, 'unlock-account');
    expect(fn.Properties.VpcConfig).toEqual(fnNamed(template, 'set-temporary-password')[1].Properties.VpcConfig);
    expect(fn.Properties.Environment.Variables).toMatchObject({ DIRECTORY: 'ldap', LDAP_FLAVOR: 'activedirectory' });
    const actions = actionsOf(roleActions(template, 'unlock-account'));
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('cognito-idp:'))).toEqual([]);
  });

  it('Cognito: granted nothing in the user pool (a pool has no lock to clear; it calls nothing there)', () => {
    const template = build('cognito');
    expect(fnNamed(template, 'unlock-account')[1].Properties.Environment.Variables).toMatchObject({ DIRECTORY: 'cognito' });
    expect(actionsOf(roleActions(template, 'unlock-account')).filter((a) => !a.startsWith('xray:'))).toEqual([]);
    expect(actionsOf(roleActions(template, 'set-temporary-password'))).toContain('cognito-idp:AdminSetUserPassword');
  });

  it('get-prompts is told the directory kind only: DIRECTORY, no directory settings, no network, no directory permission', () => {
    for (const directory of ['ldap', 'cognito']) {
      const template = build(directory);
      const [, fn] = fnNamed(template, 'get-prompts');
      expect(fn.Properties.Environment.Variables.DIRECTORY).toBe(directory);
      expect(Object.keys(fn.Properties.Environment.Variables).filter((k) => /^(LDAP_|COGNITO_)/.test(k))).toEqual([]);
      expect(fn.Properties.VpcConfig).toBeUndefined();
      expect(actionsOf(roleActions(template, 'get-prompts')).filter((a) => !a.startsWith('xray:'))).toEqual(['dynamodb:GetItem']);
    }
  });
});

describe('issue-verification-code: recovery channels read from the directory, read only (least privilege)', () => {
  const build = (directory: string, context: Record<string, unknown> = {}, stage = `read-${directory}`) => {
    const app = testApp({ context: { ...SYNTH_CONTEXT, directory, stage, ...context } });
    const built = buildApp(app);
    // Synthesis runs cdk-nag: an unacknowledged finding fails it.
    app.synth();
    return Template.fromStack(built.workflows);
  };
  const fnNamed = (template: Template, name: string) =>
    Object.values(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.FunctionName).includes(name))!;
  /** Every statement of the function's role's policies. */
  const roleStatements = (template: Template, name: string) => {
    return policyStatementsOf(template, fnNamed(template, name).Properties.Role['Fn::GetAtt'][0] as string);
  };
  const directoryActions = (statements: Statement[]) =>
    statements.flatMap((s) => list(s.Action)).filter((a) => a.startsWith('cognito-idp:') || a.startsWith('ds:') || a.startsWith('ec2:'));
  const readsLdapBindSecret = (statements: Statement[]) => JSON.stringify(statements).includes('support-desk/ldap-bind');
  const directorySettings = (fn: { [key: string]: any }) =>
    Object.keys(fn.Properties.Environment.Variables).filter((k) => /^(LDAP_|COGNITO_)/.test(k));

  it('Cognito: AdminGetUser on the configured pool and nothing else there (no AdminSetUserPassword), no VPC', () => {
    const template = build('cognito');
    const fn = fnNamed(template, 'issue-verification-code');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      DIRECTORY: 'cognito',
      COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123',
      RECOVERY_CHANNELS_FROM_DIRECTORY: 'true',
    });
    expect(fn.Properties.VpcConfig).toBeUndefined();
    const cognito = roleStatements(template, 'issue-verification-code').filter((s) =>
      list(s.Action).some((a) => a.startsWith('cognito-idp:')),
    );
    expect(cognito).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'cognito-idp:AdminGetUser',
        Resource: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdEf123',
      }),
    ]);
    // The password setter's grant stays its own.
    expect(directoryActions(roleStatements(template, 'set-temporary-password'))).toEqual(['cognito-idp:AdminSetUserPassword']);
  });

  it('LDAP, by default: not read (the code issuer stays out of the VPC, without the directory settings or the bind secret)', () => {
    const template = build('ldap');
    const fn = fnNamed(template, 'issue-verification-code');
    expect(fn.Properties.Environment.Variables).toMatchObject({ DIRECTORY: 'ldap', RECOVERY_CHANNELS_FROM_DIRECTORY: 'false' });
    expect(directorySettings(fn)).toEqual([]);
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(readsLdapBindSecret(roleStatements(template, 'issue-verification-code'))).toBe(false);
  });

  it('LDAP with ldap.readRecoveryChannels: in the directory VPC like the writers, reading the bind secret, no directory write', () => {
    const template = build(
      'ldap',
      { ldap: { ...defaultConfig.ldap, readRecoveryChannels: true, recoveryEmailAttribute: 'personalEmail' } },
      'read-ldap-on',
    );
    const fn = fnNamed(template, 'issue-verification-code');
    expect(fn.Properties.VpcConfig).toEqual(fnNamed(template, 'set-temporary-password').Properties.VpcConfig);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      DIRECTORY: 'ldap',
      RECOVERY_CHANNELS_FROM_DIRECTORY: 'true',
      LDAP_URL: 'ldaps://dc.corp.example.com',
      LDAP_FLAVOR: 'activedirectory',
      LDAP_BIND_SECRET_ID: expect.stringContaining(':secret:support-desk/ldap-bind'),
      LDAP_RECOVERY_EMAIL_ATTRIBUTE: 'personalEmail',
    });
    const statements = roleStatements(template, 'issue-verification-code');
    expect(readsLdapBindSecret(statements)).toBe(true);
    const bindSecret = statements.filter((s) => JSON.stringify(s.Resource).includes('support-desk/ldap-bind'));
    expect(bindSecret.flatMap((s) => list(s.Action)).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(directoryActions(statements)).toEqual([]);
  });

  it('demo: nothing beyond the employees table it reads already', () => {
    const template = build('demo');
    const fn = fnNamed(template, 'issue-verification-code');
    expect(fn.Properties.Environment.Variables).toMatchObject({ DIRECTORY: 'demo', RECOVERY_CHANNELS_FROM_DIRECTORY: 'false' });
    expect(directorySettings(fn)).toEqual([]);
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(directoryActions(roleStatements(template, 'issue-verification-code'))).toEqual([]);
  });

  it('refuses a recovery e-mail attribute that is not an attribute name', () => {
    expect(() =>
      validateDeploymentConfig({
        ...defaultConfig,
        directory: 'ldap',
        ldap: { ...defaultConfig.ldap, recoveryEmailAttribute: 'mail)(x=*' },
      }),
    ).toThrow('ldap.recoveryEmailAttribute');
    expect(() =>
      validateDeploymentConfig({ ...defaultConfig, directory: 'ldap', ldap: { ...defaultConfig.ldap, readRecoveryChannels: 'yes' } }),
    ).toThrow('ldap.readRecoveryChannels');
  });
});

describe('deploy blockers and silent failures, fixed (../shared/reviews rows cited)', () => {
  it('alarms can reach the security team: a customer managed key CloudWatch may use, a topic policy that lets it publish', () => {
    const topic = Object.values(templates.observability!.findResources('AWS::SNS::Topic'))[0]!;
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).not.toContain('alias/aws/sns');
    const key = Object.values(templates.observability!.findResources('AWS::KMS::Key'))[0]!;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    const policy = Object.values(templates.observability!.findResources('AWS::SNS::TopicPolicy'))[0]!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
  });

  it('a Lex bot version named after its definition: a changed bot is a new version, and the alias follows it', () => {
    const versionIds = (t: Template) => Object.keys(t.findResources('AWS::Lex::BotVersion')).sort();
    const before = versionIds(templates.contactCenter!);
    expect(before).toHaveLength(2);
    const changed = JSON.parse(JSON.stringify(BOTS)) as typeof BOTS;
    (changed[0]!.locales.en_US.intents[0]!.sampleUtterances as string[]).push('a brand new way to ask');
    const app = testApp({ context: SYNTH_CONTEXT });
    const after = versionIds(Template.fromStack(buildApp(app, { bots: changed }).contactCenter));
    expect(after.filter((id) => before.includes(id))).toHaveLength(1);
    const alias = Object.values(templates.contactCenter!.findResources('AWS::Lex::BotAlias'))[0]!;
    expect(JSON.stringify(alias.Properties.BotVersion)).toContain('BotVersion');
  });

  it('the contact flows depend on their Lex and Lambda associations and the Lambda permissions', () => {
    const resources = templates.contactCenter!.toJSON().Resources as Record<
      string,
      { Type: string; DependsOn?: string[]; Properties?: { Name?: string } }
    >;
    const flow = Object.values(resources).find(
      (r) => r.Type === 'AWS::Connect::ContactFlow' && r.Properties?.Name === 'password-reset-prod',
    )!;
    const needed = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::Connect::IntegrationAssociation' ||
          (r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r).includes('connect.amazonaws.com')),
      )
      .map(([id]) => id);
    expect(needed.length).toBeGreaterThanOrEqual(6);
    expect(flow.DependsOn).toEqual(expect.arrayContaining(needed));
  });

  it('no CDK timeout on the state machines (ignored with a definition file): ASL TimeoutSeconds is the limit', () => {
    for (const spec of STATE_MACHINES)
      expect(JSON.parse(readFileSync(resolve(__dirname, '../..', spec.file), 'utf8')).TimeoutSeconds).toBeGreaterThan(0);
  });

  it('npm run deploy refuses the example configuration, and a Connect instance in another region', () => {
    const raw = JSON.parse(JSON.stringify(defaultConfig)) as Record<string, unknown>;
    const example = validateDeploymentConfig(raw);
    expect(() => assertDeployable(example, raw, 'us-east-1')).toThrow(
      /connectInstanceArn still holds the example value[\s\S]*connectInstanceDomain still holds[\s\S]*senderIdentity still holds[\s\S]*securityTeamPhone still holds[\s\S]*smsOriginationIdentity still holds[\s\S]*codeInputEncryption.certificate still holds/,
    );
    const real = {
      ...raw,
      connectInstanceArn: 'arn:aws:connect:eu-west-2:210987654321:instance/2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
      connectInstanceDomain: 'test-company-desk.my.connect.aws',
      senderIdentity: 'corp.test-company.io',
      senderAddress: 'helpdesk@corp.test-company.io',
      securityTeamEmail: 'security@test-company.io',
      securityTeamPhone: '+442079460000',
      smsOriginationIdentity: 'phone-5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b',
      codeInputEncryption: {
        keyId: '8f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
        publicKey: '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n',
        certificate: '-----BEGIN CERTIFICATE-----\nMIIC0zCC\n-----END CERTIFICATE-----\n',
        keySecretArn: 'arn:aws:secretsmanager:eu-west-2:210987654321:secret:support-desk/code-input-key-Xy12Zz',
      },
    };
    const config = validateDeploymentConfig(real);
    expect(() => assertDeployable(config, real, 'us-east-1')).toThrow(
      'connectInstanceArn is in eu-west-2, but the stacks deploy to us-east-1',
    );
    expect(() => assertDeployable(config, real, 'eu-west-2')).not.toThrow();
    expect(() => buildApp(testApp({ context: { ...SYNTH_CONTEXT, deploy: 'true' } }))).toThrow(ConfigError);
  });

  it('SES names are per stage, and an existing identity is used rather than created', () => {
    const templates2 = Template.fromStack(
      buildApp(testApp({ context: { ...SYNTH_CONTEXT, stage: 'blue', senderIdentityExists: 'true' } })).messaging,
    );
    const names = Object.values(templates2.findResources('AWS::SES::Template')).map((t) => t.Properties.Template.TemplateName);
    expect(names.length).toBe(EMAIL_TEMPLATES.length);
    for (const name of names) expect(name).toMatch(/-blue$/);
    templates2.resourceCountIs('AWS::SES::EmailIdentity', 0);
    templates.messaging!.resourceCountIs('AWS::SES::EmailIdentity', 1);
    const issuer = Object.values(templates.workflows!.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'support-desk-issue-verification-code-prod',
    )!;
    expect(issuer.Properties.Environment.Variables).toMatchObject({
      EMAIL_TEMPLATE_SUFFIX: '-prod',
      EMAIL_CONFIGURATION_SET: expect.anything(),
    });
    const sesResources = JSON.stringify(
      statements(templates.workflows!).filter(({ statement }) => list(statement.Action).includes('ses:SendEmail')),
    );
    expect(sesResources).toContain('template/support-desk-verification-code-en-US-prod');
  });

  it('SMS: the origination identity in a form IAM grants on, and the configuration set passed to the sender', () => {
    const id = 'phone-0123456789abcdef0123456789abcdef';
    const app = testApp({
      context: { ...SYNTH_CONTEXT, smsEnabled: 'true', smsOriginationIdentity: id, securityAlertSmsNumber: '+442079460001' },
    });
    const workflows = Template.fromStack(buildApp(app).workflows);
    const sms = statements(workflows).find(({ statement }) => list(statement.Action).includes('sms-voice:SendTextMessage'))!;
    expect(JSON.stringify(sms.statement.Resource)).toContain(`:phone-number/${id}`);
    const alert = Object.values(workflows.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'support-desk-security-alert-prod',
    )!;
    expect(alert.Properties.Environment.Variables.SMS_CONFIGURATION_SET).not.toBe('');
    const raw = {
      ...(JSON.parse(JSON.stringify(defaultConfig)) as Record<string, unknown>),
      smsEnabled: true,
      smsOriginationIdentity: '+18005550199',
      securityAlertSmsNumber: '+442079460001',
    };
    expect(() => validateDeploymentConfig(raw)).toThrow(/smsOriginationIdentity must be a phone number ID/);
  });

  it('codes by text: the code issuer and the alert function may text from the origination identity; with SMS off, nothing may', () => {
    const id = 'phone-5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b';
    const fn = (template: Template, name: string) =>
      Object.values(template.findResources('AWS::Lambda::Function')).find(
        (f) => f.Properties.FunctionName === `support-desk-${name}-prod`,
      )!;
    const on = Template.fromStack(
      buildApp(testApp({ context: { ...SYNTH_CONTEXT, smsEnabled: 'true', smsOriginationIdentity: id } })).workflows,
    );
    const texting = statements(on).filter(({ statement }) => list(statement.Action).includes('sms-voice:SendTextMessage'));
    expect(texting).toHaveLength(2);
    for (const { statement } of texting) {
      expect(list(statement.Action)).toEqual(['sms-voice:SendTextMessage']);
      expect(JSON.stringify(statement.Resource)).toContain(`:phone-number/${id}`);
    }
    const issuer = fn(on, 'issue-verification-code').Properties.Environment.Variables;
    expect(issuer).toMatchObject({ SMS_ORIGINATION_IDENTITY: id, CODE_TO_CORPORATE_EMAIL: 'false' });
    // An alert number is optional: alerts then go by e-mail only.
    expect(validateDeploymentConfig({ ...defaultConfig, smsEnabled: true, securityAlertSmsNumber: '' }).smsEnabled).toBe(true);

    const off = Template.fromStack(buildApp(testApp({ context: { ...SYNTH_CONTEXT, smsEnabled: 'false' } })).workflows);
    expect(statements(off).filter(({ statement }) => list(statement.Action).includes('sms-voice:SendTextMessage'))).toEqual([]);
    expect(fn(off, 'issue-verification-code').Properties.Environment.Variables.SMS_ORIGINATION_IDENTITY).toBe('');
  });

  it('the Lex logs key lets CloudWatch Logs use it for the Lex log group only', () => {
    const key = Object.values(templates.contactCenter!.findResources('AWS::KMS::Key'))[0]!;
    const logs = (key.Properties.KeyPolicy.Statement as Array<{ Principal?: { Service?: unknown }; Condition?: unknown }>).filter((s) =>
      JSON.stringify(s.Principal?.Service ?? '').includes('logs.'),
    );
    expect(logs).toHaveLength(1);
    expect(JSON.stringify(logs[0]!.Condition)).toContain('kms:EncryptionContext:aws:logs:arn');
    expect(JSON.stringify(logs[0]!.Condition)).toContain(':log-group:/aws/lex/support-desk-prod');
  });

  it('agent hours open all day, every day: 12:00AM to 12:00AM, no closed minute at 23:59 (cfn-asl-iam row 18)', () => {
    const hours = Object.values(templates.contactCenter!.findResources('AWS::Connect::HoursOfOperation'));
    expect(hours).toHaveLength(1);
    const config = hours[0]!.Properties.Config as Array<{ Day: string; StartTime: unknown; EndTime: unknown }>;
    expect(config).toHaveLength(7);
    for (const slot of config) {
      expect(slot.StartTime).toEqual({ Hours: 0, Minutes: 0 });
      expect(slot.EndTime).toEqual({ Hours: 0, Minutes: 0 });
    }
  });
});

describe('audit digests', () => {
  it('a signing-only ECC key, an Object Lock bucket (compliance, 400 days, versioned, private, TLS only), retained', () => {
    const data = templates.data!;
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    data.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    data.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    const policies = JSON.stringify(data.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toContain('aws:SecureTransport');
  });

  it('the writer runs on a schedule and may only query the trail, sign digests and add objects', () => {
    const rule = Object.values(templates.workflows!.findResources('AWS::Events::Rule')).find((r) => r.Properties.ScheduleExpression);
    expect(rule?.Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', Name: 'write-audit-digest-prod' });
    expect(rule?.Properties.Targets[0].DeadLetterConfig).toBeDefined();
    const policies = Object.entries(templates.workflows!.findResources('AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith('WriteAuditDigest'),
    );
    const actions = policies.flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((st) => [st.Action].flat()),
    );
    const own = actions.filter((a) => !a.startsWith('xray:') && !a.startsWith('sqs:'));
    expect(new Set(own)).toEqual(new Set(['dynamodb:Query', 'kms:Sign', 's3:ListBucket', 's3:GetObject', 's3:PutObject']));
    // Lambda sends a run that failed all its attempts to the function's own on-failure queue, with its role.
    const sqs = policies
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs.map((st) => JSON.stringify(st.Resource))).toEqual([expect.stringMatching(/WriteAuditDigestFailedEvents/)]);
    const sign = policies
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string; Condition?: unknown }>)
      .find((st) => st.Action === 'kms:Sign');
    expect(sign?.Condition).toEqual({ StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } });
  });

  it('the verifier role reads only: Query, List, Get, GetPublicKey, DescribeStacks', () => {
    const policies = Object.entries(templates.data!.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('AuditVerifierRole'));
    expect(policies).toHaveLength(1);
    const actions = policies.flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((st) => [st.Action].flat()),
    );
    expect(new Set(actions)).toEqual(
      new Set([
        'dynamodb:Query',
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:GetObject',
        's3:GetObjectVersion',
        'kms:GetPublicKey',
        'cloudformation:DescribeStacks',
      ]),
    );
    expect(actions.filter((a) => /Put|Update|Delete|Write|Sign$|Create/.test(a))).toEqual([]);
  });

  it('an alarm fires when no digest is written for three intervals (missing data breaches)', () => {
    templates.observability!.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditDigestWritten',
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

describe('agent desk (issue #20): the agent API behind IAM and the Agent Workspace app', () => {
  const agentDesk = () => templates.agentDesk!;
  const INSTANCE = defaultConfig.connectInstanceArn;

  it('every method of the agent API is AWS_IAM-authorized, with a Lambda proxy integration, and there are exactly its methods', () => {
    const methods = Object.values(agentDesk().findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(AGENT_API_METHODS.length);
    for (const m of methods) {
      expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(m.Properties.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      expect(m.Properties.RequestValidatorId).toBeDefined();
    }
    expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(AGENT_API_METHODS.map(([method]) => method).sort());
    agentDesk().hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    agentDesk().hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, DataTraceEnabled: false })]),
    });
  });

  it('AgentApiInvoke allows execute-api:Invoke on exactly those methods of the stage', () => {
    const [policy] = Object.values(agentDesk().findResources('AWS::IAM::ManagedPolicy'));
    const [statement, ...others] = policy!.Properties.PolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(statement.Action).toBe('execute-api:Invoke');
    const paths = statement.Resource.map((r: any) => JSON.stringify(r).match(/\/v1\/([A-Z]+\/[^"]+)"/)![1]);
    expect(paths.sort()).toEqual(AGENT_API_METHODS.map(([method, path]) => `${method}${path.replace('{contactId}', '*')}`).sort());
  });

  it("the agent-api function may DescribeContact/GetContactAttributes/UpdateContactAttributes on the instance's contacts, SearchUsers, and start the two workflows, nothing else", () => {
    const role = Object.entries(templates.workflows!.findResources('AWS::Lambda::Function')).find(
      ([, f]) => f.Properties.FunctionName === 'support-desk-agent-api-prod',
    )![1].Properties.Role['Fn::GetAtt'][0];
    const granted = statements(templates.workflows!)
      .filter(({ logicalId }) => {
        const policy = templates.workflows!.toJSON().Resources[logicalId];
        return policy.Type === 'AWS::IAM::Policy' && JSON.stringify(policy.Properties.Roles).includes(role);
      })
      .map(({ statement }) => ({ actions: list(statement.Action).sort(), resources: JSON.stringify(statement.Resource) }))
      .filter(({ actions }) => !actions.every((a) => a.startsWith('xray:')));
    expect(granted).toHaveLength(3);
    const connect = granted.find(({ actions }) => actions.includes('connect:DescribeContact'))!;
    expect(connect.actions).toEqual(['connect:DescribeContact', 'connect:GetContactAttributes', 'connect:UpdateContactAttributes']);
    expect(connect.resources).toBe(JSON.stringify(`${INSTANCE}/contact/*`));
    const users = granted.find(({ actions }) => actions.includes('connect:SearchUsers'))!;
    expect(users.actions).toEqual(['connect:SearchUsers']);
    expect(users.resources).toBe(JSON.stringify([INSTANCE, `${INSTANCE}/agent/*`]));
    const workflows = granted.find(({ actions }) => actions.includes('states:StartSyncExecution'))!;
    expect(workflows.actions).toEqual(['states:StartSyncExecution']);
    expect(workflows.resources).toMatch(/support-desk-password-reset-start-prod.*support-desk-password-reset-verify-prod/);
    const env = Object.values(templates.workflows!.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'support-desk-agent-api-prod',
    )!.Properties.Environment.Variables;
    expect(env.CONNECT_INSTANCE_ID).toBe(INSTANCE.split('/')[1]);
    // No other function reads contacts.
    for (const f of Object.values(templates.workflows!.findResources('AWS::Lambda::Function')))
      if (f.Properties.FunctionName !== 'support-desk-agent-api-prod')
        expect(f.Properties.Environment?.Variables?.CONNECT_INSTANCE_ID).toBeUndefined();
  });

  it("the app's bucket is private: public access blocked, TLS only, encrypted", () => {
    const buckets = agentDesk().findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets).length).toBeGreaterThanOrEqual(2);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    for (const policy of Object.values(agentDesk().findResources('AWS::S3::BucketPolicy')))
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
  });

  it('the distribution reads the bucket through OAC only, HTTPS only, with a CSP framed by the Connect instance only', () => {
    agentDesk().resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [distribution] = Object.values(agentDesk().findResources('AWS::CloudFront::Distribution'));
    const config = distribution!.Properties.DistributionConfig;
    const s3 = config.Origins.find((o: any) => o.S3OriginConfig);
    expect(s3.OriginAccessControlId).toBeDefined();
    expect(s3.S3OriginConfig.OriginAccessIdentity).toBe('');
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(['contacts/*']);
    const [headers] = Object.values(agentDesk().findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const security = headers!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toContain(
      `frame-ancestors https://${defaultConfig.connectInstanceDomain}`,
    );
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toContain("default-src 'none'");
    expect(security.StrictTransportSecurity).toBeDefined();
    expect(security.ContentTypeOptions).toEqual({ Override: true });
  });
});

describe('the twin checks the Lambdas’ DynamoDB calls against the roles CDK writes', () => {
  it('each function’s role allows exactly the DynamoDB actions and resources lambdas/function-role.ts gives the twin', () => {
    const template = templates.workflows!;
    const directory = defaultConfig.directory as DirectoryKind;
    /** A statement resource as `<table id>` or `<table id>/index/<index>`: by its table's construct id or physical name. */
    const resourceKey = (resource: unknown): string => {
      const text = JSON.stringify(resource);
      const table = TABLES.find((t) => text.includes(`${t.id}Table`) || text.includes(`${t.tableName}-`));
      if (!table) throw new Error(`a DynamoDB statement on something not a catalogue table: ${text}`);
      const index = /\/index\/([A-Za-z0-9_.-]+)/.exec(text)?.[1];
      return index ? `${table.id}/index/${index}` : table.id;
    };
    for (const definition of FUNCTIONS) {
      const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) =>
        String(f.Properties.FunctionName).endsWith(`-${definition.name}-prod`),
      )!;
      const synthesized = policyStatementsOf(template, fn.Properties.Role['Fn::GetAtt'][0] as string)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) =>
          list(s.Action)
            .filter((a) => a.startsWith('dynamodb:'))
            .flatMap((a) =>
              (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => `${a.slice('dynamodb:'.length)} ${resourceKey(r)}`),
            ),
        );
      const twin = dynamoDbGrants(definition.access, directory).flatMap((g) =>
        g.actions.map((a) => `${a} ${g.index ? `${g.table}/index/${g.index}` : g.table}`),
      );
      expect([definition.name, [...new Set(synthesized)].sort()]).toEqual([definition.name, [...new Set(twin)].sort()]);
    }
  });
});

describe('e-mails SES accepted and then did not deliver', () => {
  it('are published per configuration set and alarmed: rendering failures, rejections, bounces', () => {
    templates.messaging!.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'support-desk-prod' });
    templates.messaging!.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp('^ConfigurationSet') },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['renderingFailure', 'reject', 'bounce']),
        CloudWatchDestination: {
          DimensionConfigurations: [
            { DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'support-desk-prod' },
          ],
        },
      },
    });
    for (const metric of ['RenderingFailure', 'Reject', 'Bounce'])
      templates.observability!.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Dimensions: [{ Name: 'ses:configuration-set', Value: 'support-desk-prod' }],
        AlarmActions: Match.anyValue(),
      });
  });
});

describe('events a rule or a schedule hands to a function', () => {
  it('are retried by Lambda as ASYNC_INVOCATION says, then kept in the function’s own queue, which alarms, not discarded', () => {
    const template = templates.workflows!;
    const functions = template.findResources('AWS::Lambda::Function');
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    const targets = new Set([
      ...RULES.flatMap((rule) => rule.targets.map((target) => target.functionName)),
      ...FUNCTIONS.filter((definition) => definition.scheduleSetting).map((definition) => definition.name),
    ]);
    expect(configs).toHaveLength(targets.size);
    // Each function's queue alarms under its own name.
    const alarms = Object.values(templates.observability!.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmName),
    );
    expect(alarms.filter((name) => name.endsWith('FailedEventsAlarm'))).toHaveLength(targets.size);
    for (const name of targets) {
      const [logicalId] = Object.entries(functions).find(([, f]) => String(f.Properties.FunctionName).endsWith(`-${name}-prod`))!;
      const config = configs.find((c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: logicalId }));
      expect([name, config?.Properties]).toEqual([
        name,
        expect.objectContaining({
          MaximumRetryAttempts: ASYNC_INVOCATION.retryAttempts,
          MaximumEventAgeInSeconds: ASYNC_INVOCATION.maxEventAgeHours * 3600,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/FailedEvents/), 'Arn'] } } },
        }),
      ]);
    }
  });
});

describe('the twin checks the workflows’ own calls against the roles CDK writes', () => {
  it('each state machine’s role allows exactly the tables, bus and functions state-machine-role.ts gives the twin', () => {
    const template = templates.workflows!;
    const functionNames = new Map(
      Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, f]) => [
        id,
        String(f.Properties.FunctionName)
          .replace(/^support-desk-/, '')
          .replace(/-prod$/, ''),
      ]),
    );
    /** A statement's resource as the twin names it: a table id, the product bus, a function name. */
    const resourceKey = (action: string, resource: unknown): string => {
      const text = JSON.stringify(resource);
      if (action.startsWith('dynamodb:')) {
        const table = TABLES.find((t) => text.includes(`${t.id}Table`) || text.includes(`${t.tableName}-`));
        return `${table?.id ?? text}${/\/index\//.test(text) ? '/index' : ''}`;
      }
      if (action === 'lambda:InvokeFunction') {
        const id = /"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/.exec(text)?.[1];
        return `${(id && functionNames.get(id)) ?? text}${text.includes(':*') ? ' (versions)' : ''}`;
      }
      // The product's bus is the stack's `Bus` construct.
      return /"Fn::GetAtt":\["Bus[0-9A-F]{8}","Arn"\]/.test(text) ? 'product bus' : text;
    };
    for (const spec of STATE_MACHINES) {
      const [logicalId] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(
        ([, m]) => m.Properties.StateMachineName === `support-desk-${spec.name}-prod`,
      )!;
      const roleId = template.findResources('AWS::StepFunctions::StateMachine')[logicalId]!.Properties.RoleArn['Fn::GetAtt'][0];
      const synthesized = policyStatementsOf(template, roleId)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) =>
          list(s.Action)
            // CloudWatch Logs delivery and X-Ray are the service's own, not a task's call.
            .filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))
            .flatMap((a) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => `${a} ${resourceKey(a, r)}`)),
        );
      const role = stateMachineRole(
        readFileSync(resolve(__dirname, '../..', spec.file), 'utf8'),
        FUNCTIONS.map((fn) => fn.name),
      );
      const twin = [
        ...role.dynamoDb.flatMap((g) => g.actions.map((a) => `dynamodb:${a} ${g.table}`)),
        ...(role.putEvents ? ['events:PutEvents product bus'] : []),
        // grantInvoke names the function and its versions and aliases (`<arn>:*`).
        ...role.invokes.flatMap((name) => [`lambda:InvokeFunction ${name}`, `lambda:InvokeFunction ${name} (versions)`]),
      ];
      expect([spec.name, [...new Set(synthesized)].sort()]).toEqual([spec.name, [...new Set(twin)].sort()]);
    }
  });
});

describe('the twin checks the Lambdas’ other calls against the same roles', () => {
  it('each function’s role has exactly the actions of StartSyncExecution, PutEvents, secrets, texts, signing, e-mail, the digest bucket and Connect that roleAllows gives it', () => {
    const template = templates.workflows!;
    // The template suffix does not matter here: e-mail is asked for with no template.
    const deployment = {
      directory: defaultConfig.directory as DirectoryKind,
      smsEnabled: defaultConfig.smsEnabled,
      eventBusName: EVENT_BUS_NAME,
      emailTemplateSuffix: '',
      auditDigestBucket: 'digest-bucket',
    };
    const checked = [
      'states:StartSyncExecution',
      'events:PutEvents',
      'secretsmanager:GetSecretValue',
      'sms-voice:SendTextMessage',
      'kms:Sign',
      'ses:SendEmail',
      's3:ListBucket',
      's3:GetObject',
      's3:PutObject',
      'connect:DescribeContact',
      'connect:GetContactAttributes',
      'connect:UpdateContactAttributes',
      'connect:SearchUsers',
    ];
    /** Requests a function of the product could make, per action: allowed if the role allows any. */
    const requests = (): Record<string, RoleRequest[]> => ({
      'states:StartSyncExecution': STATE_MACHINES.map((m) => ({ action: 'states:StartSyncExecution', stateMachine: m.name })),
      'events:PutEvents': [{ action: 'events:PutEvents', eventBus: EVENT_BUS_NAME }],
      'secretsmanager:GetSecretValue': [CODE_PEPPER_SECRET_NAME, CODE_INPUT_KEY_SECRET_NAME].map((secret) => ({
        action: 'secretsmanager:GetSecretValue' as const,
        secret,
      })),
      'sms-voice:SendTextMessage': [{ action: 'sms-voice:SendTextMessage' }],
      'kms:Sign': [{ action: 'kms:Sign', signingAlgorithm: 'ECDSA_SHA_256', messageType: 'DIGEST' }],
      'ses:SendEmail': [{ action: 'ses:SendEmail' }],
      's3:ListBucket': [{ action: 's3:ListBucket', bucket: 'digest-bucket' }],
      's3:GetObject': [{ action: 's3:GetObject', bucket: 'digest-bucket', key: 'digests/2026-11-26/x.json' }],
      's3:PutObject': [{ action: 's3:PutObject', bucket: 'digest-bucket', key: 'digests/2026-11-26/x.json' }],
      'connect:DescribeContact': [{ action: 'connect:DescribeContact' }],
      'connect:GetContactAttributes': [{ action: 'connect:GetContactAttributes' }],
      'connect:UpdateContactAttributes': [{ action: 'connect:UpdateContactAttributes' }],
      'connect:SearchUsers': [{ action: 'connect:SearchUsers' }],
    });
    for (const definition of FUNCTIONS) {
      const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) =>
        String(f.Properties.FunctionName).endsWith(`-${definition.name}-prod`),
      )!;
      const synthesized = new Set(
        policyStatementsOf(template, fn.Properties.Role['Fn::GetAtt'][0] as string)
          .filter((st) => st.Effect === 'Allow')
          .flatMap((st) => list(st.Action))
          .filter((a) => checked.includes(a)),
      );
      const byRequests = requests();
      const twin = checked.filter((action) => byRequests[action]!.some((r) => roleAllows(definition.access, deployment, r)));
      expect([definition.name, [...synthesized].sort()]).toEqual([definition.name, twin.sort()]);
    }
  });
});
