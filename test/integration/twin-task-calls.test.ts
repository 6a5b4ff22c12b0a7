/**
 * Issue #21's shortcuts keep the emulators' behaviour: dynalite's table descriptions held in memory
 * follow table deletes and re-creates, and the workflows' AWS JSON client sends a request dynalite
 * accepts and reads its errors with the SDK's names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDb, waitForTable, type DynamoDbEmulator } from '../../local/dynamodb/dynamodb-emulator';
import { FaultInjector } from '../../local/faults/fault-injector';
import { localClientConfig } from '../../local/local-credentials';
import { AwsJsonClient, AwsJsonServiceError } from '../../local/stepfunctions/aws-json-client';

let dir: string;
let dynamodb: DynamoDbEmulator;
let sdk: DynamoDBClient;
let client: AwsJsonClient;
const faults = new FaultInjector();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-task-calls-'));
  dynamodb = await startDynamoDb({ path: join(dir, 'dynamodb'), faults });
  sdk = new DynamoDBClient({ ...localClientConfig(dynamodb.url), maxAttempts: 1 });
  client = new AwsJsonClient({
    endpoint: dynamodb.url,
    targetPrefix: 'DynamoDB_20120810',
    contentType: 'application/x-amz-json-1.0',
    signingName: 'dynamodb',
  });
});

afterAll(async () => {
  client.destroy();
  sdk.destroy();
  await dynamodb.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A table, once ACTIVE: as on AWS, a CREATING table refuses its items. */
async function createTable(name: string, key: string): Promise<void> {
  await sdk.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    }),
  );
  await waitForTable(sdk, name, 'ACTIVE');
}

it('follows a table deleted and created again with another key', async () => {
  await createTable('cache-t', 'a');
  await client.send('PutItem', { TableName: 'cache-t', Item: { a: { S: '1' } } });
  expect((await sdk.send(new DescribeTableCommand({ TableName: 'cache-t' }))).Table?.KeySchema?.[0]?.AttributeName).toBe('a');
  await sdk.send(new DeleteTableCommand({ TableName: 'cache-t' }));
  await expect(client.send('GetItem', { TableName: 'cache-t', Key: { a: { S: '1' } } })).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
  await waitForTable(sdk, 'cache-t', 'GONE');
  await createTable('cache-t', 'b');
  expect((await sdk.send(new DescribeTableCommand({ TableName: 'cache-t' }))).Table?.KeySchema?.[0]?.AttributeName).toBe('b');
  // The old key no longer validates: dynalite checks the item against the new description.
  await expect(client.send('PutItem', { TableName: 'cache-t', Item: { a: { S: '1' } } })).rejects.toMatchObject({
    name: 'ValidationException',
  });
  await client.send('PutItem', { TableName: 'cache-t', Item: { b: { S: '2' } } });
  expect(await client.send('GetItem', { TableName: 'cache-t', Key: { b: { S: '2' } } })).toEqual({ Item: { b: { S: '2' } } });
});

it('answers errors with the SDK names and $metadata, and injected faults reach it', async () => {
  await createTable('errors-t', 'k');
  const conditional = client.send('PutItem', {
    TableName: 'errors-t',
    Item: { k: { S: 'x' } },
    ConditionExpression: 'attribute_exists(k)',
  });
  await expect(conditional).rejects.toBeInstanceOf(AwsJsonServiceError);
  await expect(conditional).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } });
  faults.inject({
    service: 'dynamodb',
    operation: 'GetItem',
    errorCode: 'ProvisionedThroughputExceededException',
    httpStatus: 400,
    count: 1,
  });
  await expect(client.send('GetItem', { TableName: 'errors-t', Key: { k: { S: 'x' } } })).rejects.toMatchObject({
    name: 'ProvisionedThroughputExceededException',
  });
  faults.inject({ service: 'dynamodb', operation: 'GetItem', drop: true, count: 1 });
  const dropped = await client.send('GetItem', { TableName: 'errors-t', Key: { k: { S: 'x' } } }).catch((e: unknown) => e);
  expect(dropped).not.toHaveProperty('$metadata');
  expect(await client.send('GetItem', { TableName: 'errors-t', Key: { k: { S: 'x' } } })).toEqual({});
});
