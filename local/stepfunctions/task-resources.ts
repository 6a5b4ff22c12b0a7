/**
 * Resolves a Task state's `Resource` the way Step Functions does, for the twin:
 * - Lambda function ARNs and `arn:aws:states:::lambda:invoke` → the twin's Lambda host;
 * - `arn:aws:states:::dynamodb:*` and `arn:aws:states:::events:putEvents` (optimized integrations) and
 *   `arn:aws:states:::aws-sdk:<service>:<action>` → the real API call against the twin's endpoints: for
 *   DynamoDB and EventBridge the signed AWS JSON request itself (aws-json-client.ts), for the others the
 *   AWS SDK v3 client.
 * Errors carry the names AWS gives them (`DynamoDB.ConditionalCheckFailedException`,
 * `DynamoDb.ResourceNotFoundException`, `Lambda.ServiceException`, ...) so Retry/Catch behave as in AWS.
 * Each call is first checked against the machine's role (workflow-iam.ts), and each task's input and
 * result against the payload quota (payload-quota.ts).
 * Written here because aws-local-stepfunctions only calls real Lambda or a per-state override.
 */
import type { LambdaHost } from '../lambda/lambda-host';
import { AwsJsonClient, type AwsJsonClientOptions } from './aws-json-client';
import { exceedsPayloadQuota } from './payload-quota';
import { putEventsCalls } from '../eventbridge/eventbridge-endpoint';
import { LOCAL_ACCOUNT, LOCAL_REGION, localClientConfig } from '../local-credentials';
import {
  LAMBDA_DENIAL,
  dynamoDbCalls,
  dynamoDbDenial,
  invokeCall,
  otherCall,
  workflowRefusal,
  type ServiceDenial,
  type WorkflowCall,
  NO_PERMISSIONS,
  type WorkflowRoles,
} from './workflow-iam';

export interface TwinEndpoints {
  dynamodb: string;
  ses: string;
  eventbridge: string;
  stepfunctions: string;
  lambda: string;
  secretsmanager: string;
  /** The Lex V2 runtime API (RecognizeText). */
  lexruntime: string;
  /** The Lex V2 model-building operations a deployment check reads. */
  lexmodels: string;
  /** S3 with versioning and Object Lock (path-style only), where the audit digests are kept. */
  s3: string;
  /** KMS with the one key that signs the audit digests. */
  kms: string;
  /** End User Messaging SMS (pinpoint-sms-voice-v2) with SendTextMessage, texts kept in the SMS store. */
  sms: string;
  /** Amazon Connect (restJson1): DescribeContact, Get/UpdateContactAttributes, SearchUsers over the call center. */
  connect: string;
}

export type TaskFunction = (input: unknown) => Promise<unknown>;

/** The machine a task runs for: its calls are made with its role. */
export interface TaskCaller {
  name: string;
  roleArn: string;
}

/** Throws the task error of a call the machine's role does not allow (a no-op for an unchecked machine). */
type Authorize = (calls: () => readonly WorkflowCall[], denial: ServiceDenial) => void;

/** The error a task fails with: `name` is what Retry/Catch `ErrorEquals` match. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** A terminal error: no Retry or Catch applies (the engine reads these two flags). */
class TerminalTaskError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** A task whose effective input or result is over the payload quota fails with States.DataLimitExceeded. */
function withinPayloadQuota(run: TaskFunction): TaskFunction {
  return async (input) => {
    if (exceedsPayloadQuota(input))
      throw new TerminalTaskError(
        'States.DataLimitExceeded',
        'The state input after Parameters exceeds the maximum number of bytes service limit.',
      );
    const result = await run(input);
    if (exceedsPayloadQuota(result))
      throw new TerminalTaskError(
        'States.DataLimitExceeded',
        'The task returned a result with a size exceeding the maximum number of bytes service limit.',
      );
    return result;
  };
}

interface SdkService {
  /** npm package of the SDK v3 client. */
  pkg: string;
  clientClass: string;
  /** Error prefix in the aws-sdk integration (`ServiceName` in PascalCase, as AWS documents). */
  errorPrefix: string;
  /** The service's prefix in IAM actions. */
  iamPrefix: string;
  endpoint: keyof TwinEndpoints | undefined;
}

const SDK_SERVICES: Record<string, SdkService> = {
  dynamodb: {
    pkg: '@aws-sdk/client-dynamodb',
    clientClass: 'DynamoDBClient',
    errorPrefix: 'DynamoDb',
    iamPrefix: 'dynamodb',
    endpoint: 'dynamodb',
  },
  sesv2: { pkg: '@aws-sdk/client-sesv2', clientClass: 'SESv2Client', errorPrefix: 'SesV2', iamPrefix: 'ses', endpoint: 'ses' },
  eventbridge: {
    pkg: '@aws-sdk/client-eventbridge',
    clientClass: 'EventBridgeClient',
    errorPrefix: 'EventBridge',
    iamPrefix: 'events',
    endpoint: 'eventbridge',
  },
  sfn: { pkg: '@aws-sdk/client-sfn', clientClass: 'SFNClient', errorPrefix: 'Sfn', iamPrefix: 'states', endpoint: 'stepfunctions' },
  lambda: { pkg: '@aws-sdk/client-lambda', clientClass: 'LambdaClient', errorPrefix: 'Lambda', iamPrefix: 'lambda', endpoint: 'lambda' },
  pinpointsmsvoicev2: {
    pkg: '@aws-sdk/client-pinpoint-sms-voice-v2',
    clientClass: 'PinpointSMSVoiceV2Client',
    errorPrefix: 'PinpointSmsVoiceV2',
    iamPrefix: 'sms-voice',
    endpoint: 'sms',
  },
};

/**
 * Services spoken to with the AWS JSON protocol directly (aws-json-client.ts): the same signed request
 * as the SDK's, without its client pipeline. The SDK package still decides which actions exist.
 */
const JSON_PROTOCOL: Record<string, Omit<AwsJsonClientOptions, 'endpoint'>> = {
  dynamodb: { targetPrefix: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0', signingName: 'dynamodb' },
  eventbridge: { targetPrefix: 'AWSEvents', contentType: 'application/x-amz-json-1.1', signingName: 'events' },
};

const OPTIMIZED_DYNAMODB = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem', 'query']);

type SdkClient = { send(command: unknown): Promise<Record<string, unknown>>; destroy(): void };

export class TaskResources {
  private readonly clients = new Map<string, SdkClient>();
  private readonly jsonClients = new Map<string, AwsJsonClient>();
  private readonly commands = new Map<string, (new (input: unknown) => unknown) | undefined>();

  constructor(
    private readonly lambdaHost: LambdaHost,
    private readonly endpoints: () => TwinEndpoints,
    /** The deployed machines' roles (IAM on their calls); absent: nothing is checked. */
    private readonly roles?: WorkflowRoles,
  ) {}

  /**
   * Returns the function that runs `resource` for `machine` (its calls made with the machine's role), or
   * throws if the twin cannot run it (caught at load time).
   */
  resolve(resource: string, machine?: TaskCaller): TaskFunction {
    return withinPayloadQuota(this.integration(resource, machine));
  }

  private integration(resource: string, machine?: TaskCaller): TaskFunction {
    const authorize: Authorize = (calls, denial) => {
      if (!machine || !this.roles) return;
      const role = this.roles.roleOf(machine.roleArn) ?? NO_PERMISSIONS;
      const refusal = workflowRefusal(role, this.roles, machine.roleArn, calls(), denial);
      if (refusal) throw new TaskError(refusal.error, refusal.cause);
    };
    const lambdaName = this.lambdaHost.resolveName(resource);
    if (resource.startsWith('arn:aws:lambda:') || lambdaName) {
      return async (input) => {
        authorize(() => [invokeCall(lambdaName, resource)], LAMBDA_DENIAL);
        const result = await this.lambdaHost.invoke(resource, input);
        if (!result.ok) throw new TaskError(lambdaErrorName(result.error.errorType), JSON.stringify(result.error));
        return result.payload;
      };
    }
    const integration = /^arn:aws:states:::([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(sync|waitForTaskToken))?$/.exec(resource);
    if (integration?.[3]) throw new Error(`${resource}: Express workflows support only request-response integrations`);
    if (integration) {
      const [, service, action] = integration as unknown as [string, string, string];
      if (service === 'lambda' && action === 'invoke') return (input) => this.lambdaInvoke(input, authorize);
      if (service === 'dynamodb' && OPTIMIZED_DYNAMODB.has(action))
        return (input) => {
          authorize(() => dynamoDbCalls(pascal(action), asObject(input)), dynamoDbDenial('DynamoDB'));
          return this.sdkCall('dynamodb', action, input, 'DynamoDB');
        };
      if (service === 'events' && action === 'putEvents') return (input) => this.putEvents(input, authorize);
    }
    const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
    if (sdk && SDK_SERVICES[sdk[1]!]) {
      const [, service, action] = sdk as unknown as [string, string, string];
      const definition = SDK_SERVICES[service]!;
      return (input) => {
        authorize(
          () => this.sdkCalls(definition, pascal(action), asObject(input)),
          definition.iamPrefix === 'dynamodb'
            ? dynamoDbDenial(definition.errorPrefix)
            : { error: `${definition.errorPrefix}.AccessDeniedException`, service: definition.errorPrefix, statusCode: 400 },
        );
        return this.sdkCall(service, action, input, definition.errorPrefix);
      };
    }
    throw new Error(`the twin cannot run Task resource ${resource}`);
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    for (const client of this.jsonClients.values()) client.destroy();
    this.jsonClients.clear();
  }

  /** The calls an `aws-sdk:*` task is, as IAM sees them. */
  private sdkCalls(definition: SdkService, operation: string, input: Record<string, unknown>): WorkflowCall[] {
    if (definition.iamPrefix === 'dynamodb') return dynamoDbCalls(operation, input);
    if (definition.iamPrefix === 'events' && operation === 'PutEvents') return putEventsCalls(entriesOf(input));
    if (definition.iamPrefix === 'lambda' && operation === 'Invoke') return [this.invokeCallOf(input)];
    return [otherCall(`${definition.iamPrefix}:${operation}`)];
  }

  private invokeCallOf(params: Record<string, unknown>): WorkflowCall {
    const functionName = String(params.FunctionName ?? '');
    const name = this.lambdaHost.resolveName(functionName);
    const resource = name
      ? this.lambdaHost.arnOf(name)
      : functionName.startsWith('arn:')
        ? functionName
        : `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;
    return invokeCall(name, resource);
  }

  private async lambdaInvoke(input: unknown, authorize: Authorize): Promise<unknown> {
    const params = asObject(input);
    // IAM first: an unknown function is AccessDenied to a role that may not invoke it, as on AWS.
    authorize(() => [this.invokeCallOf(params)], LAMBDA_DENIAL);
    const functionName = String(params.FunctionName ?? '');
    if (!this.lambdaHost.resolveName(functionName)) {
      throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${functionName}`);
    }
    const result = await this.lambdaHost.invoke(functionName, params.Payload ?? {});
    if (!result.ok) throw new TaskError(lambdaErrorName(result.error.errorType), JSON.stringify(result.error));
    return { ExecutedVersion: '$LATEST', Payload: result.payload, StatusCode: 200 };
  }

  private async putEvents(input: unknown, authorize: Authorize): Promise<unknown> {
    const params = asObject(input);
    authorize(() => putEventsCalls(entriesOf(params)), {
      error: 'EventBridge.AccessDeniedException',
      service: 'AmazonEventBridge',
      statusCode: 400,
    });
    // The optimized integration accepts Detail as JSON; the API wants a string.
    const entries = (Array.isArray(params.Entries) ? params.Entries : []).map((entry) => {
      const e = asObject(entry);
      return { ...e, Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail ?? {}) };
    });
    const output = asObject(await this.sdkCall('eventbridge', 'putEvents', { ...params, Entries: entries }, 'EventBridge'));
    if (Number(output.FailedEntryCount ?? 0) > 0) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(output));
    return output;
  }

  private async sdkCall(service: string, action: string, input: unknown, errorPrefix: string): Promise<unknown> {
    const definition = SDK_SERVICES[service];
    if (!definition) throw new TaskError('States.Runtime', `unsupported service ${service}`);
    const operation = pascal(action);
    const Command = this.command(definition, operation);
    if (!Command) throw new TaskError('States.Runtime', `unknown action ${service}:${action}`);
    const protocol = JSON_PROTOCOL[service];
    try {
      if (protocol && definition.endpoint) return await this.jsonClient(service, definition.endpoint, protocol).send(operation, input);
      const { $metadata: _metadata, ...output } = await this.client(service, definition).send(new Command(input));
      return JSON.parse(JSON.stringify(output));
    } catch (error) {
      throw sdkTaskError(error, errorPrefix);
    }
  }

  private command(definition: SdkService, operation: string): (new (input: unknown) => unknown) | undefined {
    const key = `${definition.pkg}:${operation}`;
    if (!this.commands.has(key)) {
      const pkg = require(definition.pkg) as Record<string, new (input: unknown) => unknown>;
      this.commands.set(key, pkg[`${operation}Command`]);
    }
    return this.commands.get(key);
  }

  private jsonClient(service: string, endpoint: keyof TwinEndpoints, protocol: Omit<AwsJsonClientOptions, 'endpoint'>): AwsJsonClient {
    let client = this.jsonClients.get(service);
    if (!client) {
      client = new AwsJsonClient({ endpoint: this.endpoints()[endpoint], ...protocol });
      this.jsonClients.set(service, client);
    }
    return client;
  }

  private client(service: string, definition: SdkService): SdkClient {
    let client = this.clients.get(service);
    if (!client) {
      const pkg = require(definition.pkg) as Record<string, new (config: unknown) => SdkClient>;
      const endpoint = definition.endpoint ? this.endpoints()[definition.endpoint] : undefined;
      // One attempt: in Step Functions the state's Retry field, not an SDK, decides on retries.
      client = new pkg[definition.clientClass]!({
        ...(endpoint ? localClientConfig(endpoint) : {}),
        maxAttempts: 1,
        ...(service === 'sfn' ? { disableHostPrefix: true } : {}),
      });
      this.clients.set(service, client);
    }
    return client;
  }
}

function sdkTaskError(error: unknown, prefix: string): TaskError {
  const err = error as { name?: string; message?: string; $metadata?: unknown };
  const isServiceError = err && typeof err === 'object' && '$metadata' in err && err.name && err.name !== 'Error';
  if (!isServiceError) return new TaskError(`${prefix}.SdkClientException`, err?.message ?? String(error));
  // AWS documents that integration errors always carry the Exception suffix.
  const name = err.name!.endsWith('Exception') ? err.name! : `${err.name}Exception`;
  return new TaskError(`${prefix}.${name}`, err.message ?? name);
}

function lambdaErrorName(errorType: string): string {
  if (errorType === 'ResourceNotFoundException') return 'Lambda.ResourceNotFoundException';
  if (errorType === 'Sandbox.Timedout') return 'Sandbox.Timedout';
  return errorType || 'Lambda.Unknown';
}

/** `getItem` → `GetItem`: an integration's action as the API (and IAM) names it. */
function pascal(action: string): string {
  return `${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

function entriesOf(params: Record<string, unknown>): Record<string, unknown>[] {
  return (Array.isArray(params.Entries) ? params.Entries : []).map(asObject);
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
