/**
 * The local twin: every AWS service the product uses, offline on 127.0.0.1, wired together.
 * `startTwin` is what `npm start`, the tests and the benchmarks all call.
 */
import './polyfills';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { FUNCTIONS, type FunctionDefinition } from '../lambdas/function-catalogue';
import { ASYNC_INVOCATION, RULES, EVENT_BUS_NAME, type RuleDefinition } from '../events/rule-catalogue';
import {
  START_WORKFLOW,
  STATE_MACHINES,
  VERIFY_WORKFLOW,
  definitionSubstitutions,
  type StateMachineSpec,
} from '../state-machines/state-machine-catalogue';
import { substitute } from '../catalogue/placeholders';
import { FaultInjector, jsonProtocolOperation } from './faults/fault-injector';
import { DataFolder } from './retention/data-folder';
import { startDynamoDb, type DynamoDbEmulator } from './dynamodb/dynamodb-emulator';
import { installEmailTemplates, startSes, type SesAccount, type SesEmulator } from './ses/ses-emulator';
import { SecretStore, createSecretsManagerServer } from './secretsmanager/secrets-manager-endpoint';
import { EMAIL_TEMPLATES } from '../lambdas/notifications/email-templates';
import { CODE_INPUT_KEY_SECRET_NAME, CODE_PEPPER_SECRET_NAME } from '../catalogue/secret-catalogue';
import { ensureCodeInputKey } from './secretsmanager/code-input-key';
import { AUDIT_DIGEST_KEY_ALIAS, createKmsServer, KMS_KEY_FILE, KmsSigningKey } from './kms/kms-endpoint';
import { createS3Server, localS3ClientConfig } from './s3/s3-endpoint';
import { createSmsVoiceServer, SmsStore, type SmsAccount } from './sms/sms-voice-endpoint';
import { registerSmsApi } from './http/sms-api';
import { S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { AuditDigestBucket } from '../lambdas/aws/audit-digest-bucket';
import { digestPublicKey } from '../lambdas/aws/audit-digest-signer';
import { DIGEST_INTERVAL_MINUTES } from '../lambdas/domain/audit-digest';
import { AUDIT_DIGEST_BUCKET, auditDigestBucket } from './s3/audit-digest-bucket';
import { DEFAULT_POLICY } from '../lambdas/domain/reset-policy';
import { DEFAULT_SWEEP_POLICY } from '../lambdas/domain/sweep-detection';
import { LambdaHost } from './lambda/lambda-host';
import { createLambdaServer } from './lambda/lambda-endpoint';
import { TaskResources, type TwinEndpoints } from './stepfunctions/task-resources';
import { deployedMachineRoleArn } from './stepfunctions/workflow-iam';
import { stateMachineRole, type StateMachineRole } from '../state-machines/state-machine-role';
import { StepFunctionsService } from './stepfunctions/step-functions-service';
import { createStepFunctionsServer } from './stepfunctions/step-functions-endpoint';
import { EventBus, type DeliveryPolicy } from './eventbridge/event-bus';
import { createEventBridgeServer } from './eventbridge/eventbridge-endpoint';
import { closeServer, listen } from './http/aws-json-protocol-server';
import { ApiRouter } from './http/api-router';
import { createApiServer } from './http/api-server';
import { guardLoopbackServer } from './http/loopback-guard';
import { AwsUsageMeter, eventBridgeUsage, meterServer, stepFunctionsUsage } from './metering/aws-usage-meter';
import { LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION, localClientConfig } from './local-credentials';
import { environmentOfFunction, functionEnvironment } from '../lambdas/configuration/function-environment';
import { ENV } from '../lambdas/configuration/environment';
import { directoryKind } from '../lambdas/directory/directory-kind';
import type { LambdaRoles } from './lambda/lambda-roles';
import { seedDemoData } from './seed/seed-demo-data';
import { registerExternalStateMachines } from './stepfunctions/external-step-functions';
import { LexRuntime } from './lex/lex-runtime';
import { createLexRuntimeServer } from './lex/lex-runtime-endpoint';
import { createLexModelsServer, LexBotVersions } from './lex/lex-models-endpoint';
import { BOTS } from '../lex/bot-catalogue';
import type { BotDefinition } from '../lex/bot-definition';
import { registerCallApi } from './http/call-api';
import { registerAuditApi } from './http/audit-api';
import { registerMetricsApi } from './http/metrics-api';
import { registerWorkflowsApi } from './http/workflows-api';
import { registerThreadsApi } from './http/threads-api';
import { registerContactRecordsApi } from './http/contact-records-api';
import { registerAgentApi } from './http/agent-api';
import { AgentDesk } from './connect/agent-desk';
import { createConnectServer } from './connect/connect-endpoint';
import { MetricStore } from './metrics/metric-store';
import { systemClock, type Clock } from './time/clock';
import { AuditTrail } from '../audit/audit-trail';
import { DemoDirectory } from '../lambdas/directory/demo-directory';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableById } from '../catalogue/table-catalogue';
import { CallCenter, INSTANCE_ID, type CallLimits } from './connect/call-center';
import type { HoursOfOperation } from '../connect/hours-of-operation';

/** Measurements the twin takes itself (what Connect's own metrics would show). */
export const TWIN_METRICS_NAMESPACE = 'SupportDesk/Twin';

export const REPO_ROOT = resolve(__dirname, '..');
/** The twin's SES and SMS configuration set, named as the messaging stack names a stage's (`support-desk-<stage>`). */
const TWIN_CONFIGURATION_SET = 'support-desk-local';
/** The twin's SES account, as the messaging stack makes a stage's: the verified domain and the configuration set. */
const TWIN_SES_ACCOUNT: SesAccount = { identities: ['support-desk.example.com'], configurationSets: [TWIN_CONFIGURATION_SET] };
/** Sender of the twin's e-mails (in AWS it comes from the deployment config's `senderAddress`), at the verified domain. */
const TWIN_EMAIL_FROM = 'Support Desk <no-reply@support-desk.example.com>';
/** The twin's stage suffix on SES template names (AWS: `-<stage>`). */
const TWIN_TEMPLATE_SUFFIX = '-local';
/**
 * The twin's SMS origination identity: a phone number ID of the shape AWS gives one; the twin's End User
 * Messaging SMS knows it, its number and the stage's configuration set, and refuses others as AWS does.
 */
export const TWIN_SMS_ORIGINATION_IDENTITY = 'phone-0123456789abcdef0123456789abcdef';
export const TWIN_SMS_ACCOUNT: SmsAccount = {
  phoneNumbers: [{ id: TWIN_SMS_ORIGINATION_IDENTITY, number: '+18005550199' }],
  configurationSets: [TWIN_CONFIGURATION_SET],
};
/** Where the digest writer keeps and signs digests in the twin: the bucket made at start, the key's alias. */
const TWIN_AUDIT_DIGEST = { auditDigestBucket: AUDIT_DIGEST_BUCKET, auditDigestKeyId: AUDIT_DIGEST_KEY_ALIAS };

export interface TwinOptions {
  dataDir: string;
  fresh?: boolean;
  /** Port of the HTTP API and console; 0 picks a free one. */
  port?: number;
  /** Fixed emulator ports (HELPDESK_<SERVICE>_PORT); free ports otherwise. */
  servicePorts?: Partial<Record<keyof TwinEndpoints, number>>;
  /** Synthetic employees 9000000..9000000+N-1 to seed in addition to the demo ones. */
  seedEmployees?: number;
  /** Use this Step Functions endpoint (e.g. AWS Step Functions Local) instead of the built-in one. */
  externalStepFunctionsEndpoint?: string;
  /** Extra functions, rules and state machines (tests use these for fixtures). */
  functions?: readonly FunctionDefinition[];
  rules?: readonly RuleDefinition[];
  stateMachines?: readonly StateMachineSpec[];
  /**
   * IAM roles the account has for machines created through the Step Functions API, by role ARN (a test
   * declares one as it would create it in IAM); the deployed machines' roles are there already.
   */
  workflowRoles?: Readonly<Record<string, StateMachineRole>>;
  delivery?: Partial<DeliveryPolicy>;
  /** Bots to run instead of the catalogue's (tests use variants). */
  bots?: readonly BotDefinition[];
  /** Keep Lex text logs even for bots that turn them off (tests of obfuscation). */
  forceLexTextLogs?: boolean;
  /** Extra variables for the handlers' environment (configuration overrides). */
  environment?: Record<string, string>;
  /** Hang up calls idle this long (default 5 minutes, as Connect). */
  callIdleMs?: number;
  /** A transferred call leaves the agent queue after waiting this long on the twin's clock (default 30 minutes). */
  maxQueueWaitMs?: number;
  /** The agent queues' hours of operation (the catalogue's by default). */
  agentHours?: HoursOfOperation;
  /** Caps on calls in progress and started per minute (429 past them). */
  callLimits?: Partial<CallLimits>;
  /** Demo aid: the Lex runtime hears speech more forgivingly than Lex does (HELPDESK_LENIENT_SPEECH=1). Off in tests. */
  lenientSpeech?: boolean;
  /** Count every AWS operation with its billable units (GET /api/metering; bench:cost). Off by default: it parses every metered request. */
  metering?: boolean;
  /** The clock of idle hang-ups, Lambda and flow time limits and injected delays (tests pass a fake one). */
  clock?: Clock;
  /** Default COMPLIANCE retention of the audit digest bucket (400 days, as deployed). */
  auditDigestRetentionDays?: number;
  /** How often the digest writer runs on the twin's clock (5 minutes, as deployed; 0: only on demand). */
  auditDigestIntervalMinutes?: number;
}

export interface Twin {
  readonly url: string;
  readonly endpoints: TwinEndpoints;
  readonly data: DataFolder;
  readonly faults: FaultInjector;
  readonly lambdas: LambdaHost;
  readonly stepFunctions: StepFunctionsService;
  readonly bus: EventBus;
  readonly ses: SesEmulator;
  /** The texts sent through the twin's End User Messaging SMS (`twin.sms.texts({ to })`). */
  readonly sms: SmsStore;
  readonly router: ApiRouter;
  readonly lex: LexRuntime;
  /** The bots' published versions and live aliases (what a deployment check reads). */
  readonly lexVersions: LexBotVersions;
  readonly calls: CallCenter;
  readonly metrics: MetricStore;
  /** Waits until no execution or event delivery is in flight. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTwin(options: TwinOptions): Promise<Twin> {
  const data = new DataFolder(options.dataDir, { fresh: options.fresh });
  const clock = options.clock ?? systemClock;
  const faults = new FaultInjector(clock);
  const meter = options.metering ? new AwsUsageMeter() : undefined;
  /** Meters a JSON-protocol server's requests when metering is on (before the loopback guard). */
  const metered = (server: Server, service: string, usage?: Parameters<typeof meterServer>[4]) => {
    if (meter) meterServer(server, service, jsonProtocolOperation, meter, usage);
  };
  const ports = options.servicePorts ?? {};
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
    stops.length = 0;
  };

  // Stops run in reverse order: the data files close last, after every server has stopped.
  stops.push(() => data.close());
  try {
    // IAM on the Lambdas' calls: each function's role (its catalogue entry, from the Lambda host started
    // below) in this deployment, checked by every endpoint a handler calls.
    const roles: LambdaRoles = {
      functionNamed: (name) => lambdas.definition(name),
      // The twin texts codes (smsOriginationIdentity is set below), as a stage with smsEnabled.
      deployment: {
        directory: directoryKind(options.environment),
        smsEnabled: true,
        eventBusName: EVENT_BUS_NAME,
        emailTemplateSuffix: TWIN_TEMPLATE_SUFFIX,
        auditDigestBucket: AUDIT_DIGEST_BUCKET,
      },
    };
    const dynamodb: DynamoDbEmulator = await startDynamoDb({
      path: data.path('dynamodb'),
      port: ports.dynamodb,
      faults,
      meter,
      roles,
    });
    stops.push(() => dynamodb.stop());
    const ses = await startSes({ port: ports.ses, faults, mailFile: data.file('mail'), meter, roles, account: TWIN_SES_ACCOUNT });
    stops.push(() => ses.stop());
    await installEmailTemplates(ses.url, EMAIL_TEMPLATES, TWIN_TEMPLATE_SUFFIX);

    const secrets = new SecretStore(data.path('secrets.json'));
    secrets.ensureRandom(CODE_PEPPER_SECRET_NAME);
    const codeInputKey = ensureCodeInputKey(secrets);
    const secretsServer = createSecretsManagerServer(secrets, { roles });
    metered(secretsServer, 'secretsmanager');
    guardLoopbackServer(secretsServer);

    const functions = [...FUNCTIONS, ...(options.functions ?? [])];
    // Each function's environment starts at its first invocation, when every endpoint is known.
    const lambdas = new LambdaHost(functions, {
      repoRoot: REPO_ROOT,
      logFile: data.file('lambdaLogs'),
      clock,
      environment: (fn) => twinFunctionEnvironment(fn, endpoints, options.environment),
    });
    stops.push(() => lambdas.close());
    if (meter) {
      // Lambda bills the configured memory for the duration rounded up to the millisecond; each
      // invocation also writes its START, END and REPORT lines (~260 bytes) to CloudWatch Logs.
      stops.push(
        lambdas.onInvocation(({ functionName, memoryMb, durationMs }) =>
          meter.record('lambda', functionName, {
            durationMs,
            gbSeconds: (Math.ceil(durationMs) / 1000) * (memoryMb / 1024),
            logBytes: 260,
          }),
        ),
      );
      stops.push(
        lambdas.onLog(({ message }) =>
          meter.record('logs', 'ingested', {
            requests: 0,
            logBytes: Buffer.byteLength(typeof message === 'string' ? message : JSON.stringify(message)),
          }),
        ),
      );
    }

    const endpoints: TwinEndpoints = {
      dynamodb: dynamodb.url,
      ses: ses.url,
      eventbridge: '',
      stepfunctions: '',
      lambda: '',
      secretsmanager: await listen(secretsServer, ports.secretsmanager),
      lexruntime: '',
      lexmodels: '',
      s3: '',
      kms: '',
      sms: '',
      connect: '',
    };
    stops.push(() => closeServer(secretsServer));
    // The audit digests: signed with the data folder's KMS key, kept in an Object Lock bucket. S3
    // clients in the twin must send path-style requests (localS3ClientConfig): no environment
    // variable sets that for the SDK, and the loopback guard answers no <bucket>.127.0.0.1 host.
    const kmsServer = createKmsServer(
      KmsSigningKey.open(data.path(KMS_KEY_FILE), () => clock.now()),
      { roles },
    );
    metered(kmsServer, 'kms');
    guardLoopbackServer(kmsServer);
    endpoints.kms = await listen(kmsServer, ports.kms);
    stops.push(() => closeServer(kmsServer));
    // End User Messaging SMS: every text sent is kept in the data folder (the SMS store).
    const sms = new SmsStore(data.file('sms'), () => clock.now());
    const smsServer = createSmsVoiceServer(sms, { roles, account: TWIN_SMS_ACCOUNT });
    faults.guard(smsServer, 'sms', jsonProtocolOperation);
    metered(smsServer, 'sms');
    guardLoopbackServer(smsServer);
    endpoints.sms = await listen(smsServer, ports.sms);
    stops.push(() => closeServer(smsServer));
    const s3Server = createS3Server({ dir: data.path('s3'), clock, buckets: [auditDigestBucket(options.auditDigestRetentionDays)], roles });
    guardLoopbackServer(s3Server);
    endpoints.s3 = await listen(s3Server, ports.s3);
    stops.push(() => closeServer(s3Server));
    const lambdaServer = createLambdaServer(lambdas);
    guardLoopbackServer(lambdaServer);
    endpoints.lambda = await listen(lambdaServer, ports.lambda);
    stops.push(() => closeServer(lambdaServer));
    // Amazon Connect's API over the call center (created below; nothing calls it before the twin has started).
    const connectServer = createConnectServer(() => calls, { roles });
    guardLoopbackServer(connectServer);
    endpoints.connect = await listen(connectServer, ports.connect);
    stops.push(() => closeServer(connectServer));

    const bus = new EventBus([...RULES, ...(options.rules ?? [])], {
      lambdaHost: lambdas,
      archive: data.file('events'),
      deadLetters: data.file('eventsDeadLetter'),
      replayedLetters: data.file('eventsDeadLetterReplayed'),
      // Lambda's attempts at an asynchronous invocation: the first and ASYNC_INVOCATION's retries (AWS waits 1 and 2 minutes).
      delivery: { maxAttempts: 1 + ASYNC_INVOCATION.retryAttempts, baseDelayMs: 100, ...options.delivery },
    });
    const eventBridgeServer = createEventBridgeServer(bus, { roles });
    faults.guard(eventBridgeServer, 'eventbridge', jsonProtocolOperation);
    metered(eventBridgeServer, 'eventbridge', eventBridgeUsage);
    guardLoopbackServer(eventBridgeServer);
    endpoints.eventbridge = await listen(eventBridgeServer, ports.eventbridge);
    stops.push(async () => {
      await bus.drain();
      await closeServer(eventBridgeServer);
    });

    const machines = [...STATE_MACHINES, ...(options.stateMachines ?? [])];
    // IAM on the workflows' own calls: each deployed machine's role as CDK writes it from its ASL, and the
    // roles a test gave the account for the machines it creates through the API.
    const machineRoles = new Map<string, StateMachineRole>([
      ...machines.map((spec): [string, StateMachineRole] => [
        deployedMachineRoleArn(spec.name),
        stateMachineRole(
          readFileSync(resolve(REPO_ROOT, spec.file), 'utf8'),
          functions.map((fn) => fn.name),
        ),
      ]),
      ...Object.entries(options.workflowRoles ?? {}),
    ]);
    const taskResources = new TaskResources(lambdas, () => endpoints, {
      roleOf: (roleArn) => machineRoles.get(roleArn),
      eventBusName: EVENT_BUS_NAME,
    });
    stops.push(() => taskResources.close());
    const stepFunctions = new StepFunctionsService({
      resolveTask: (resource, machine) => taskResources.resolve(resource, machine),
      logFile: data.file('stateMachineLogs'),
      roleExists: (roleArn) => machineRoles.has(roleArn),
    });
    const environment = handlerEnvironment(endpoints, options.environment);

    const substitutions = definitionSubstitutions({
      tableName: (envVar) => environment[envVar]!,
      functionArn: (name) => lambdas.arnOf(name),
      eventBusName: EVENT_BUS_NAME,
      functions,
    });
    if (options.externalStepFunctionsEndpoint) {
      endpoints.stepfunctions = options.externalStepFunctionsEndpoint;
      await registerExternalStateMachines(options.externalStepFunctionsEndpoint, machines, substitutions);
    } else {
      for (const spec of machines) {
        stepFunctions.createStateMachine({
          name: spec.name,
          type: spec.type,
          roleArn: deployedMachineRoleArn(spec.name),
          definition: substitute(readFileSync(resolve(REPO_ROOT, spec.file), 'utf8'), substitutions),
          loggingConfiguration: spec.logging,
        });
      }
      const sfnServer = createStepFunctionsServer(stepFunctions, { roles });
      faults.guard(sfnServer, 'stepfunctions', jsonProtocolOperation);
      metered(sfnServer, 'stepfunctions', stepFunctionsUsage);
      guardLoopbackServer(sfnServer);
      endpoints.stepfunctions = await listen(sfnServer, ports.stepfunctions);
      stops.push(async () => {
        await stepFunctions.drain();
        await closeServer(sfnServer);
      });
    }

    await seedDemoData(endpoints.dynamodb, { syntheticEmployees: options.seedEmployees ?? 0 });

    const lex = new LexRuntime(options.bots ?? BOTS, {
      lambdaHost: lambdas,
      logFile: data.file('lexLogs'),
      forceTextLogs: options.forceLexTextLogs,
      clock,
      lenientSpeech: options.lenientSpeech,
    });

    if (meter) {
      // Connect streams each caller turn to the bot: one Lex request per recognized input.
      const recognizeText = lex.recognizeText.bind(lex);
      lex.recognizeText = (request) => {
        meter.record('lex', 'RecognizeUtterance');
        return recognizeText(request);
      };
    }
    const bots = options.bots ?? BOTS;
    const lexServer = createLexRuntimeServer(lex, bots);
    guardLoopbackServer(lexServer.server);
    endpoints.lexruntime = await listen(lexServer.server, ports.lexruntime);
    stops.push(() => lexServer.close());
    const lexVersions = new LexBotVersions(bots);
    const lexModelsServer = createLexModelsServer(bots, lexVersions);
    guardLoopbackServer(lexModelsServer);
    endpoints.lexmodels = await listen(lexModelsServer, ports.lexmodels);
    stops.push(() => closeServer(lexModelsServer));
    const metrics = new MetricStore();
    // As the messaging stack's configuration set publishes it on AWS (the observability stack alarms on it).
    ses.onRenderingFailure(() =>
      metrics.observe('AWS/SES', 'RenderingFailure', { 'ses:configuration-set': TWIN_CONFIGURATION_SET }, 'Count', 1),
    );
    const calls = new CallCenter({
      repoRoot: REPO_ROOT,
      lambdaHost: lambdas,
      lex,
      bots,
      data,
      codeInputKey,
      onTurn: (ms) => metrics.observe(TWIN_METRICS_NAMESPACE, 'TurnLatency', {}, 'Milliseconds', ms),
      idleMs: options.callIdleMs,
      maxQueueWaitMs: options.maxQueueWaitMs,
      clock,
      limits: options.callLimits,
      ...(options.agentHours && { hours: options.agentHours }),
    });
    stops.push(() => calls.close());
    // The twin's own client for its API (the handlers use theirs).
    const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoints.dynamodb)));
    stops.push(() => documentClient.destroy());

    const router = new ApiRouter();
    registerCallApi(router, { calls, ses, directory: new DemoDirectory(documentClient, tableById('Employees').tableName) });
    registerSmsApi(router, sms);
    // The audit digests: written by the real writer function (on the twin's schedule, and on demand),
    // read back through the same S3 and KMS endpoints a verifier uses.
    const digestIntervalMinutes = options.auditDigestIntervalMinutes ?? DIGEST_INTERVAL_MINUTES;
    const s3 = new S3Client(localS3ClientConfig(endpoints.s3));
    const kms = new KMSClient(localClientConfig(endpoints.kms));
    stops.push(() => {
      s3.destroy();
      kms.destroy();
    });
    const writeDigest = async (event: unknown = {}) => {
      const result = await lambdas.invoke('write-audit-digest', event);
      if (!result.ok) throw new Error(`write-audit-digest failed: ${result.error.errorType}: ${result.error.errorMessage}`);
      return result.payload;
    };
    if (digestIntervalMinutes > 0) {
      const schedule = clock.setInterval(
        () =>
          // As EventBridge's scheduled event: its time is the slot, so a duplicate names the same digest.
          void writeDigest({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date(clock.now()).toISOString() }).catch(
            () => undefined, // logged by the Lambda host; the verifier reports a late digest
          ),
        digestIntervalMinutes * 60_000,
      );
      stops.push(() => clock.clearInterval(schedule));
    }
    registerAuditApi(router, new AuditTrail(documentClient, tableById('Audit').tableName), {
      bucket: new AuditDigestBucket(AUDIT_DIGEST_BUCKET, s3),
      publicKey: () => digestPublicKey(AUDIT_DIGEST_KEY_ALIAS, kms),
      intervalMinutes: digestIntervalMinutes,
      write: () => writeDigest(),
    });
    stops.push(lambdas.onLog((record) => metrics.ingest(record.message)));
    registerMetricsApi(router, metrics);
    if (meter) {
      // Metering (bench:cost): GET the usage since the last reset; POST …/reset starts a new count.
      router.on('GET', '/api/metering', () => ({ body: { usage: meter.snapshot() } }));
      router.on('POST', '/api/metering/reset', () => {
        meter.reset();
        return { body: { reset: true } };
      });
    }
    registerThreadsApi(router, { dynamodb: () => dynamodb.osThreadId(), functions: () => lambdas.threads() });
    registerWorkflowsApi(router, stepFunctions);
    registerContactRecordsApi(router, data);
    // The agent desk: the CCP's accept and end on the call center; the agent API is the agent-api Lambda itself.
    const desk = new AgentDesk({
      accept: (contactId, agentId) => calls.acceptContact(contactId, agentId),
      end: (contactId, agentId) => calls.endContact(contactId, agentId),
      invoke: (functionName, event) => lambdas.invoke(functionName, event),
    });
    registerAgentApi(router, { calls, desk });
    router.on('POST', '/api/events/dead-letters/replay', async () => ({ body: { replayed: await bus.replayDeadLetters() } }));
    router.on('GET', '/api/health', () => ({
      body: {
        status: 'ok',
        endpoints: {
          dynamodb: endpoints.dynamodb,
          ses: endpoints.ses,
          stepfunctions: endpoints.stepfunctions,
          eventbridge: endpoints.eventbridge,
          lambda: endpoints.lambda,
          secretsmanager: endpoints.secretsmanager,
          lexruntime: endpoints.lexruntime,
          lexmodels: endpoints.lexmodels,
          s3: endpoints.s3,
          kms: endpoints.kms,
          sms: endpoints.sms,
          connect: endpoints.connect,
        },
        // What a deployed stage would have published: the flows the twin has loaded.
        flows: calls.flowNames(),
        // Where `npm run audit` finds the digests and the key that signs them.
        audit: { digestBucket: AUDIT_DIGEST_BUCKET, digestKeyId: AUDIT_DIGEST_KEY_ALIAS, digestIntervalMinutes },
      },
    }));
    const apiServer: Server = createApiServer(router);
    const url = await listen(apiServer, options.port);
    stops.push(() => closeServer(apiServer));

    return {
      url,
      endpoints,
      data,
      faults,
      lambdas,
      stepFunctions,
      bus,
      ses,
      sms,
      router,
      lex,
      lexVersions,
      calls,
      metrics,
      settle: async () => {
        await stepFunctions.drain();
        await bus.drain();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * One function's environment in the twin, decided as CDK decides it (environmentOfFunction): the
 * directory's settings among the overrides (LDAP_*, COGNITO_*) go to the functions that use the
 * directory only, the Connect instance to the functions that read contacts only.
 */
export function twinFunctionEnvironment(
  fn: FunctionDefinition,
  endpoints: Omit<TwinEndpoints, 'connect'> & Partial<Pick<TwinEndpoints, 'connect'>>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const directorySettings = Object.fromEntries(Object.entries(overrides).filter(([name]) => isDirectorySetting(name)));
  const kind = directoryKind(overrides);
  return environmentOfFunction(fn, handlerEnvironment(endpoints, overrides), {
    directoryEnvironment: { [ENV.directory]: kind, ...directorySettings },
    // As `readsRecoveryChannels` in the workflows stack: never the demo directory; an LDAP directory unless its configuration says not.
    readsRecoveryChannels: kind !== 'demo' && overrides[ENV.recoveryChannelsFromDirectory] !== 'false',
    connectInstanceId: () => INSTANCE_ID,
  });
}

/** Every endpoint at one URL: for building a function's environment where no twin runs (a bench, a synth test). */
export function endpointsAt(url: string): TwinEndpoints {
  return {
    dynamodb: url,
    ses: url,
    eventbridge: url,
    stepfunctions: url,
    lambda: url,
    secretsmanager: url,
    lexruntime: url,
    lexmodels: url,
    s3: url,
    kms: url,
    sms: url,
    connect: url,
  };
}

/** A directory's own settings: what CDK gives only the functions that use the directory. */
const isDirectorySetting = (name: string) => /^(LDAP|COGNITO)_/.test(name);

/**
 * The environment CDK gives every function, pointed at the twin: SDK v3 clients read the
 * service-specific AWS_ENDPOINT_URL_* variables, so handlers need no twin-specific code. Overrides
 * that only some functions get (the directory's settings) are left to twinFunctionEnvironment.
 */
export function handlerEnvironment(
  endpoints: Omit<TwinEndpoints, 'connect'> & Partial<Pick<TwinEndpoints, 'connect'>>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const machineArn = (name: string) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
    AWS_ENDPOINT_URL_SFN: endpoints.stepfunctions,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager,
    AWS_ENDPOINT_URL_LEX_RUNTIME_V2: endpoints.lexruntime,
    AWS_ENDPOINT_URL_LEX_MODELS_V2: endpoints.lexmodels,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    // The client's serviceId is "Pinpoint SMS Voice V2": upper-cased, spaces to underscores.
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: endpoints.sms,
    ...(endpoints.connect ? { AWS_ENDPOINT_URL_CONNECT: endpoints.connect } : {}),
    ...functionEnvironment({
      tableName: (t) => t.tableName,
      eventBusName: EVENT_BUS_NAME,
      codePepperSecretId: CODE_PEPPER_SECRET_NAME,
      codeInputKeySecretId: CODE_INPUT_KEY_SECRET_NAME,
      emailFrom: TWIN_EMAIL_FROM,
      emailTemplateSuffix: TWIN_TEMPLATE_SUFFIX,
      emailConfigurationSet: TWIN_CONFIGURATION_SET,
      startWorkflowArn: machineArn(START_WORKFLOW),
      verifyWorkflowArn: machineArn(VERIFY_WORKFLOW),
      ...TWIN_AUDIT_DIGEST,
      policy: DEFAULT_POLICY,
      sweepPolicy: DEFAULT_SWEEP_POLICY,
      securityTeamEmail: 'security@example.com',
      securityTeamPhone: '+18005550100',
      // Codes go by text where an employee has a mobile, as on a stage with smsEnabled.
      smsOriginationIdentity: TWIN_SMS_ORIGINATION_IDENTITY,
      // As CDK sets it on a stage with smsEnabled (the stage's SMS configuration set).
      smsConfigurationSet: TWIN_CONFIGURATION_SET,
      // The demo directory unless the twin is started with another (DIRECTORY in the overrides).
      directory: 'demo',
    }),
    ...Object.fromEntries(
      Object.entries(overrides).filter(([name]) => !isDirectorySetting(name) && name !== ENV.recoveryChannelsFromDirectory),
    ),
  };
}
