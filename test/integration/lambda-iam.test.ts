/**
 * IAM on the Lambdas' DynamoDB calls in the twin: a handler's request is answered AccessDeniedException,
 * as DynamoDB answers a role that does not allow it, unless its catalogue `access` grants the action on
 * that table (the table's ARN only, never an index: lambdas/function-role.ts, as CDK writes the role).
 * The same request from outside any invocation (a test) is not a role's; the workflows' own calls are checked
 * against their machines' roles in the task that makes them (workflow-iam.test.ts).
 * The other endpoints a handler calls (Step Functions, EventBridge, Secrets Manager, SMS, KMS, SES, S3, Connect) check the
 * role the same way (lambdas/function-role.ts `roleAllows`).
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { localClient, startTestTwin } from '../support/test-twin';
import { AWS_CALLER_FUNCTION, TABLE_READER_FUNCTION } from '../fixtures/fixture-functions';
import { CODE_INPUT_KEY_SECRET_NAME, CODE_PEPPER_SECRET_NAME } from '../../catalogue/secret-catalogue';
import { EVENT_BUS_NAME } from '../../events/rule-catalogue';
import { AUDIT_DIGEST_KEY_ALIAS } from '../../local/kms/kms-endpoint';
import { AUDIT_DIGEST_BUCKET } from '../../local/s3/audit-digest-bucket';
import { INSTANCE_ID } from '../../local/connect/call-center';
import { ENV } from '../../lambdas/configuration/environment';
import { tableById } from '../../catalogue/table-catalogue';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let lambda: LambdaClient;
const EMPLOYEES = tableById('Employees').tableName;
const AUDIT = tableById('Audit').tableName;
const SESSIONS = tableById('ResetSessions').tableName;

beforeAll(async () => {
  twin = await startTestTwin({ functions: [TABLE_READER_FUNCTION, AWS_CALLER_FUNCTION] });
  lambda = new LambdaClient({ ...localClient(twin.endpoints.lambda), maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await twin.cleanup();
});

const read = async (event: { operation: 'GetItem' | 'Query'; table: string; index?: string }) => {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: TABLE_READER_FUNCTION.name, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  return JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as { name: string; message?: string };
};

it('lets a function do what its role allows', async () => {
  expect(await read({ operation: 'GetItem', table: EMPLOYEES })).toEqual({ name: 'none' });
  expect(await read({ operation: 'Query', table: AUDIT })).toEqual({ name: 'none' });
});

it('refuses another action on a granted table, as DynamoDB refuses the role', async () => {
  const answer = await read({ operation: 'Query', table: EMPLOYEES });
  expect(answer.name).toBe('AccessDeniedException');
  expect(answer.message).toBe(
    `User: arn:aws:sts::000000000000:assumed-role/support-desk-test-table-reader-role/support-desk-test-table-reader is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${EMPLOYEES} because no identity-based policy allows the dynamodb:Query action`,
  );
});

it('refuses a table the function is not granted', async () => {
  expect(await read({ operation: 'GetItem', table: SESSIONS })).toMatchObject({
    name: 'AccessDeniedException',
    message: expect.stringContaining(`dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${SESSIONS} `),
  });
});

it('refuses an index of a granted table: the grant is on the table ARN only', async () => {
  expect(await read({ operation: 'Query', table: AUDIT, index: 'by-day' })).toMatchObject({
    name: 'AccessDeniedException',
    message: expect.stringContaining(`table/${AUDIT}/index/by-day because`),
  });
});

it('does not apply a role to a request no function made', async () => {
  const dynamodb = new DynamoDBClient({ ...localClient(twin.endpoints.dynamodb), maxAttempts: 1 });
  try {
    await expect(dynamodb.send(new GetItemCommand({ TableName: SESSIONS, Key: { sessionId: { S: 'none' } } }))).resolves.toBeDefined();
  } finally {
    dynamodb.destroy();
  }
});

describe('the other services a handler calls', () => {
  const caller = async (event: Record<string, unknown>) => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: AWS_CALLER_FUNCTION.name, Payload: Buffer.from(JSON.stringify(event)) }),
    );
    return JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as { name: string; message?: string };
  };
  const denied = (action: string) => ({
    name: 'AccessDeniedException',
    message: expect.stringContaining(`is not authorized to perform: ${action} on resource: `),
  });

  it('allows what the role grants: the code pepper, events on the product bus, its e-mail template', async () => {
    expect(await caller({ kind: 'read-secret', secretId: CODE_PEPPER_SECRET_NAME })).toEqual({ name: 'none' });
    expect(await caller({ kind: 'put-events', bus: EVENT_BUS_NAME })).toEqual({ name: 'none' });
    expect(await caller({ kind: 'email', template: 'support-desk-verification-code-en-US-local' })).toEqual({ name: 'none' });
  });

  it('refuses a secret, a bus, a workflow, a text and a signature it is not granted', async () => {
    expect(await caller({ kind: 'read-secret', secretId: CODE_INPUT_KEY_SECRET_NAME })).toMatchObject(
      denied('secretsmanager:GetSecretValue'),
    );
    expect(await caller({ kind: 'put-events', bus: 'default' })).toMatchObject(denied('events:PutEvents'));
    expect(await caller({ kind: 'start-workflow', arn: process.env[ENV.startWorkflowArn] })).toMatchObject(
      denied('states:StartSyncExecution'),
    );
    expect(await caller({ kind: 'describe-workflow', arn: process.env[ENV.startWorkflowArn] })).toMatchObject(
      denied('states:DescribeStateMachine'),
    );
    expect(await caller({ kind: 'text' })).toMatchObject(denied('sms-voice:SendTextMessage'));
    expect(await caller({ kind: 'sign', keyId: AUDIT_DIGEST_KEY_ALIAS, messageType: 'DIGEST' })).toMatchObject(denied('kms:Sign'));
    expect(await caller({ kind: 'email', template: 'support-desk-security-alert-local' })).toMatchObject(denied('ses:SendEmail'));
    // S3 names its refusal AccessDenied (403), not AccessDeniedException.
    expect(await caller({ kind: 'put-object', bucket: AUDIT_DIGEST_BUCKET, key: 'digests/forged.json' })).toMatchObject({
      ...denied('s3:PutObject'),
      name: 'AccessDenied',
    });
    expect(await caller({ kind: 'describe-contact', instanceId: INSTANCE_ID })).toMatchObject(denied('connect:DescribeContact'));
  });
});
