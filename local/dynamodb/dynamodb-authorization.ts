/**
 * IAM for the Lambdas' DynamoDB calls in the twin: a request a handler makes (tagged with its function by
 * the Lambda host, local/lambda/lambda-host.ts) is answered AccessDeniedException unless the function's
 * role allows the action on each table (or index) it names — the grants CDK writes from the function
 * catalogue (lambdas/function-role.ts). On AWS the role is checked on every call
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/security_iam_service-with-iam.html);
 * without this a handler could use a table its entry does not grant and pass here, then fail deployed.
 * Requests no handler made (the tests, the CLI: the twin's operator) are held to the tables' resource
 * policies only: the audit table's Deny refuses them a correction or a removal unless they are signed
 * with the break-glass role's credentials (LOCAL_BREAK_GLASS_CREDENTIALS), as the deployed policy excepts
 * the configured break-glass role. The workflows' own DynamoDB tasks are checked against their machine's
 * role where they are made (local/stepfunctions/workflow-iam.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { TABLES } from '../../catalogue/table-catalogue';
import { explicitlyDenied, type DynamoDbRequest } from '../../lambdas/function-role';
import { AwsServiceError } from '../http/aws-service-error';
import { notAuthorizedMessage } from '../iam/not-authorized';
import { INVOKING_FUNCTION_HEADER } from '../lambda/invoking-function';
import { roleRefusal, type LambdaRoles } from '../lambda/lambda-roles';
import { LOCAL_ACCOUNT, LOCAL_BREAK_GLASS_CREDENTIALS, LOCAL_OPERATOR_ARN, LOCAL_REGION } from '../local-credentials';
import type { Refusal } from './dynalite-thread';

const ITEM_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']);

/** One IAM check a request needs: an action on a table, or on one of its indexes. */
export interface DynamoDbCall {
  action: string;
  tableName: string;
  index?: string;
}

/**
 * The IAM actions a request needs, per table; undefined when the body is not one the twin can read
 * (dynalite answers it). The workflows' DynamoDB tasks are checked with it too (local/stepfunctions/workflow-iam.ts).
 */
export function dynamoDbCallsOf(operation: string, body: Record<string, unknown>): DynamoDbCall[] | undefined {
  const tableName = typeof body.TableName === 'string' ? body.TableName : undefined;
  const index = typeof body.IndexName === 'string' ? body.IndexName : undefined;
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems ?? {}) as Record<string, unknown>).map((t) => ({ action: operation, tableName: t }));
    case 'TransactGetItems':
    case 'TransactWriteItems': {
      // Each item is authorized as its own action (Get → GetItem, ConditionCheck → ConditionCheckItem, …).
      const items = Array.isArray(body.TransactItems) ? (body.TransactItems as Array<Record<string, { TableName?: string }>>) : [];
      return items.flatMap((item) =>
        Object.entries(item).map(([kind, spec]) => ({
          action: kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`,
          tableName: spec?.TableName ?? '',
        })),
      );
    }
    default:
      if (tableName !== undefined) return [{ action: operation, tableName, ...(index ? { index } : {}) }];
      // An item operation without its table is malformed: dynalite answers its ValidationException. Any
      // other operation that names no table (ListTables, DescribeLimits, …) acts on `*`, which no role has.
      return ITEM_OPERATIONS.has(operation) ? undefined : [{ action: operation, tableName: '*' }];
  }
}

/** The calls a request is, as IAM sees them (each with the resource it names); undefined as for dynamoDbCallsOf. */
export function dynamoDbRoleCalls(
  operation: string,
  body: Record<string, unknown>,
): Array<{ request: DynamoDbRequest; resource: string }> | undefined {
  return dynamoDbCallsOf(operation, body)?.map((call) => ({
    request: {
      action: `dynamodb:${call.action}` as const,
      table: TABLES.find((t) => t.tableName === call.tableName)?.id,
      ...(call.index ? { index: call.index } : {}),
    },
    resource: dynamoDbResourceArn(call),
  }));
}

/** The answer to a request the invoking function's role does not allow, or undefined to let it through. */
export function dynamoDbAccessDenied(headers: IncomingHttpHeaders, body: Uint8Array, roles: LambdaRoles): Refusal | undefined {
  const target = headers['x-amz-target'];
  const operation = (Array.isArray(target) ? target[0] : target)?.split('.').pop() ?? '';
  const refusal = roleRefusal(roles, headers, () => {
    const parsed = parseBody(body);
    // A body the twin cannot read is dynalite's to refuse (its SerializationException / ValidationException).
    return (parsed && dynamoDbRoleCalls(operation, parsed)) ?? [];
  });
  const denied = refusal ?? operatorRefusal(headers, () => parseBody(body), operation);
  if (!denied) return undefined;
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `iam-${Date.now()}` },
    body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: denied.message }),
  };
}

/** The access key a request is signed with (SigV4's `Credential=<key>/<scope>`), if any. */
function accessKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  return typeof authorization === 'string' ? /Credential=([^/,\s]+)\//.exec(authorization)?.[1] : undefined;
}

/** A request no function made, refused by a table's resource policy (the audit table's Deny), unless signed as break-glass. */
function operatorRefusal(
  headers: IncomingHttpHeaders,
  bodyOf: () => Record<string, unknown> | undefined,
  operation: string,
): AwsServiceError | undefined {
  if (headers[INVOKING_FUNCTION_HEADER] !== undefined || accessKeyOf(headers) === LOCAL_BREAK_GLASS_CREDENTIALS.accessKeyId)
    return undefined;
  const body = bodyOf();
  const denied = body && dynamoDbRoleCalls(operation, body)?.find(({ request }) => explicitlyDenied(request));
  return (
    denied &&
    new AwsServiceError('AccessDeniedException', notAuthorizedMessage(LOCAL_OPERATOR_ARN, denied.request.action, denied.resource, true))
  );
}

function parseBody(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The table's (or index's) ARN, as IAM names the resource of a call. */
export function dynamoDbResourceArn(call: DynamoDbCall): string {
  return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${call.tableName}${call.index ? `/index/${call.index}` : ''}`;
}
