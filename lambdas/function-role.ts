/**
 * What a function's role allows, read from its catalogue `access` exactly as the CDK workflows stack
 * writes it (infra/stacks/workflows-stack.ts `grantAccess`), for the twin to refuse what IAM would.
 *
 * DynamoDB (`dynamoDbGrants`): each `tables` entry on the
 * table's ARN only, never an index; the audit digest writer's Query on the audit table and its by-day
 * index; a directory writer's UpdateItem (and, to unlock, GetItem) on the employees table when the
 * deployment's directory is the demo one (the employees table is that directory). The twin refuses a
 * Lambda's DynamoDB call outside these, as IAM would (local/dynamodb/dynamodb-authorization.ts);
 * test/infra/cdk-app.test.ts holds the synthesized roles to them.
 *
 * `roleAllows` answers for any call: a DynamoDB one by those grants; for the other services a handler
 * calls, StartSyncExecution on its `startsWorkflows`; PutEvents on the product's bus; GetSecretValue and
 * DescribeSecret (Secret.grantRead) on the code pepper and the code input key; SendTextMessage where the
 * deployment sends texts; kms:Sign on the digest key with ECDSA_SHA_256 over a DIGEST only (the policy's
 * conditions); ses:SendEmail from the product's identity with the function's e-mail templates (a
 * templated e-mail only with one of them); the digest writer's s3:ListBucket on the digest bucket and
 * s3:GetObject / s3:PutObject under its `digests/`; the agent side's DescribeContact, GetContactAttributes,
 * UpdateContactAttributes and SearchUsers on the instance. Anything else on those services is granted to
 * no function. Plain data, no AWS import.
 */
import { deniedByTablePolicy, type TableId } from '../catalogue/table-catalogue';
import { CODE_INPUT_KEY_SECRET_NAME, CODE_PEPPER_SECRET_NAME } from '../catalogue/secret-catalogue';
import type { DirectoryKind } from './directory/directory-kind';
import type { FunctionAccess } from './function-catalogue';

export interface DynamoDbGrant {
  readonly table: TableId;
  /** An index of the table (its own resource, `table/<name>/index/<index>`); absent: the table itself. */
  readonly index?: string;
  /** DynamoDB action names, without the `dynamodb:` prefix. */
  readonly actions: readonly string[];
}

export function dynamoDbGrants(access: FunctionAccess | undefined, directory: DirectoryKind): DynamoDbGrant[] {
  const grants: DynamoDbGrant[] = Object.entries(access?.tables ?? {}).map(([table, actions]) => ({
    table: table as TableId,
    actions: actions ?? [],
  }));
  if (access?.auditDigests) grants.push({ table: 'Audit', actions: ['Query'] }, { table: 'Audit', index: 'by-day', actions: ['Query'] });
  if (access?.directory && directory === 'demo')
    grants.push({ table: 'Employees', actions: access.directory === 'unlock' ? ['UpdateItem', 'GetItem'] : ['UpdateItem'] });
  return grants;
}

/** Whether the grants allow `action` on the table (or one of its indexes). */
export function dynamoDbAllows(grants: readonly DynamoDbGrant[], action: string, table: TableId, index?: string): boolean {
  return grants.some((g) => g.table === table && g.index === index && g.actions.includes(action));
}

/**
 * Whether the grants allow a DynamoDB call: one naming no catalogue table never is, nor one the table's
 * resource policy denies (an explicit Deny outweighs any grant: the audit table's append-only policy).
 */
export function dynamoDbRequestAllowed(grants: readonly DynamoDbGrant[], request: DynamoDbRequest): boolean {
  return (
    request.table !== undefined &&
    !deniedByTablePolicy(request.table, request.action) &&
    dynamoDbAllows(grants, request.action.slice('dynamodb:'.length), request.table, request.index)
  );
}

/** Whether a resource's own policy denies the call to every principal (IAM words that refusal differently). */
export function explicitlyDenied(request: { action: string; table?: TableId | undefined }): boolean {
  return request.table !== undefined && deniedByTablePolicy(request.table, request.action);
}

/** What the twin knows of the deployment a role belongs to. */
export interface RoleDeployment {
  directory: DirectoryKind;
  /** Whether the stage sends texts (smsEnabled): only then is SendTextMessage granted. */
  smsEnabled: boolean;
  /** The product's event bus, by name. */
  eventBusName: string;
  /** What the stage appends to every e-mail template's name (the template resources carry it). */
  emailTemplateSuffix: string;
  /** The audit digest bucket, by name. */
  auditDigestBucket: string;
}

/** A DynamoDB call, as IAM sees it: `table`, the catalogue table it names (if any); `index`, the index it reads. */
export interface DynamoDbRequest {
  action: `dynamodb:${string}`;
  table: TableId | undefined;
  index?: string;
}

/** A call, as IAM sees it: the action, and the product resource it names. */
export type RoleRequest =
  | DynamoDbRequest
  | { action: 'states:StartSyncExecution'; stateMachine: string }
  | { action: 'events:PutEvents'; eventBus: string }
  | { action: 'secretsmanager:GetSecretValue' | 'secretsmanager:DescribeSecret'; secret: string }
  | { action: 'sms-voice:SendTextMessage' }
  | { action: 'kms:Sign'; signingAlgorithm: string; messageType: string }
  /** `template`: the SES template's name as sent (with the stage's suffix); absent for an e-mail with no template. */
  | { action: 'ses:SendEmail'; template?: string }
  | { action: 's3:ListBucket'; bucket: string }
  | { action: 'connect:DescribeContact' | 'connect:GetContactAttributes' | 'connect:UpdateContactAttributes' | 'connect:SearchUsers' }
  | { action: 's3:GetObject' | 's3:PutObject'; bucket: string; key: string }
  /** Any other action (another operation of those services): no function is granted it. */
  | { action: string; other: true };

export function roleAllows(access: FunctionAccess | undefined, deployment: RoleDeployment, request: RoleRequest): boolean {
  if ('other' in request) return false;
  if ('table' in request) return dynamoDbRequestAllowed(dynamoDbGrants(access, deployment.directory), request);
  switch (request.action) {
    case 'states:StartSyncExecution':
      return 'stateMachine' in request && (access?.startsWorkflows ?? []).includes(request.stateMachine);
    case 'events:PutEvents':
      return 'eventBus' in request && access?.putEvents === true && request.eventBus === deployment.eventBusName;
    case 'secretsmanager:GetSecretValue':
    case 'secretsmanager:DescribeSecret':
      return (
        'secret' in request &&
        ((access?.codePepper === true && request.secret === CODE_PEPPER_SECRET_NAME) ||
          (access?.codeInputKey === true && request.secret === CODE_INPUT_KEY_SECRET_NAME))
      );
    case 'sms-voice:SendTextMessage':
      return access?.sms === true && deployment.smsEnabled;
    case 'kms:Sign':
      return (
        'messageType' in request &&
        access?.auditDigests === true &&
        request.signingAlgorithm === 'ECDSA_SHA_256' &&
        request.messageType === 'DIGEST'
      );
    // The instance's contacts and users (the instance is the only one the twin has).
    case 'connect:DescribeContact':
    case 'connect:GetContactAttributes':
    case 'connect:UpdateContactAttributes':
    case 'connect:SearchUsers':
      return access?.connectContacts === true;
    // The digest writer: list the bucket, read and add objects under digests/ (auditDigestObjectsArn).
    case 's3:ListBucket':
      return 'bucket' in request && access?.auditDigests === true && request.bucket === deployment.auditDigestBucket;
    case 's3:GetObject':
    case 's3:PutObject':
      return (
        'key' in request &&
        access?.auditDigests === true &&
        request.bucket === deployment.auditDigestBucket &&
        request.key.startsWith('digests/')
      );
    case 'ses:SendEmail': {
      const templates = access?.emailTemplates ?? [];
      const template = 'template' in request ? request.template : undefined;
      return (
        templates.length > 0 && (template === undefined || templates.some((t) => `${t}${deployment.emailTemplateSuffix}` === template))
      );
    }
    default:
      return false;
  }
}
