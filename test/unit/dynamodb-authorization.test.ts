/**
 * The twin's IAM on the Lambdas' DynamoDB calls (local/dynamodb/dynamodb-authorization.ts), request by
 * request: every table a batch or transaction names is checked, each transaction item as its own action,
 * and a request no function made, or one the twin cannot read, is left to DynamoDB.
 */
import { dynamoDbAccessDenied } from '../../local/dynamodb/dynamodb-authorization';
import { INVOKING_FUNCTION_HEADER } from '../../local/lambda/invoking-function';
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import { tableById } from '../../catalogue/table-catalogue';

const WRITER: FunctionDefinition = {
  name: 'writer',
  entry: 'none.ts',
  handler: 'handler',
  description: 'test',
  timeoutSeconds: 1,
  memoryMb: 128,
  // The audit table's UpdateItem and DeleteItem are granted, as a mistaken catalogue entry could: its
  // resource policy still denies them.
  access: { tables: { ResetSessions: ['PutItem', 'GetItem'], RateLimits: ['UpdateItem'], Audit: ['PutItem', 'UpdateItem', 'DeleteItem'] } },
};
const roles = {
  functionNamed: (name: string) => (name === WRITER.name ? WRITER : undefined),
  deployment: {
    directory: 'demo' as const,
    smsEnabled: true,
    eventBusName: 'support-desk',
    emailTemplateSuffix: '',
    auditDigestBucket: 'b',
  },
};
const SESSIONS = tableById('ResetSessions').tableName;
const LIMITS = tableById('RateLimits').tableName;
const AUDIT = tableById('Audit').tableName;

const ask = (operation: string, body: unknown, caller: string | null = WRITER.name) =>
  dynamoDbAccessDenied(
    { 'x-amz-target': `DynamoDB_20120810.${operation}`, ...(caller ? { [INVOKING_FUNCTION_HEADER]: caller } : {}) },
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    roles,
  );
const deniedAction = (answer: ReturnType<typeof ask>) =>
  answer ? /perform: (dynamodb:\w+) on resource: (\S+)/.exec(JSON.parse(answer.body).Message)?.slice(1) : undefined;

it('allows what the role grants and refuses the rest, with DynamoDB’s AccessDeniedException', () => {
  expect(ask('PutItem', { TableName: SESSIONS, Item: {} })).toBeUndefined();
  const denied = ask('DeleteItem', { TableName: SESSIONS, Key: {} });
  expect(denied).toMatchObject({ status: 400 });
  expect(JSON.parse(denied!.body).__type).toBe('com.amazon.coral.service#AccessDeniedException');
  expect(deniedAction(denied)).toEqual(['dynamodb:DeleteItem', `arn:aws:dynamodb:us-east-1:000000000000:table/${SESSIONS}`]);
});

it('checks each item of a transaction as its own action, on its own table', () => {
  const put = { Put: { TableName: SESSIONS, Item: {} } };
  const update = { Update: { TableName: LIMITS, Key: {}, UpdateExpression: 'SET a = :a' } };
  expect(ask('TransactWriteItems', { TransactItems: [put, update] })).toBeUndefined();
  const check = { ConditionCheck: { TableName: LIMITS, Key: {}, ConditionExpression: 'attribute_exists(a)' } };
  expect(deniedAction(ask('TransactWriteItems', { TransactItems: [put, check] }))?.[0]).toBe('dynamodb:ConditionCheckItem');
});

it('checks every table of a batch as the batch action', () => {
  expect(deniedAction(ask('BatchGetItem', { RequestItems: { [SESSIONS]: { Keys: [] } } }))?.[0]).toBe('dynamodb:BatchGetItem');
});

it('refuses an operation on no table (ListTables acts on *), which no role is granted', () => {
  expect(deniedAction(ask('ListTables', {}))).toEqual(['dynamodb:ListTables', 'arn:aws:dynamodb:us-east-1:000000000000:table/*']);
});

it('refuses a table outside the catalogue, and a function with no role at all', () => {
  expect(deniedAction(ask('GetItem', { TableName: 'someone-elses', Key: {} }))?.[1]).toMatch(/table\/someone-elses$/);
  expect(ask('GetItem', { TableName: SESSIONS, Key: {} }, 'unknown-function')).toBeDefined();
});

it('leaves to DynamoDB a request no function made, and one it cannot read', () => {
  expect(ask('DeleteItem', { TableName: SESSIONS, Key: {} }, null)).toBeUndefined();
  expect(ask('DeleteItem', '{not json')).toBeUndefined();
});

it('refuses what the audit table’s resource policy denies, whatever the role grants (an explicit Deny wins)', () => {
  expect(ask('PutItem', { TableName: AUDIT, Item: {} })).toBeUndefined();
  for (const operation of ['UpdateItem', 'DeleteItem']) {
    const denied = ask(operation, { TableName: AUDIT, Key: {} });
    expect(JSON.parse(denied!.body).Message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/support-desk-writer-role/support-desk-writer is not authorized to perform: dynamodb:${operation} on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${AUDIT} with an explicit deny in a resource-based policy`,
    );
  }
  // Not only on the audit table: the same grant elsewhere is a grant.
  expect(ask('UpdateItem', { TableName: LIMITS, Key: {} })).toBeUndefined();
});
