/**
 * DynamoDB on a worker thread (issue #21, local/dynamodb/dynalite-thread.ts) answers as dynalite did on
 * the main thread: dynalite's own headers and statuses (413 past its size limit), CORS stripped by the
 * loopback guard, data kept across a restart on the same folder, a folder another emulator holds
 * refused at start with LevelDB's reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDb, type DynamoDbEmulator } from '../../local/dynamodb/dynamodb-emulator';
import { FaultInjector } from '../../local/faults/fault-injector';
import { localClientConfig } from '../../local/local-credentials';
import { TABLES } from '../../catalogue/table-catalogue';

let dir: string;
let dynamodb: DynamoDbEmulator | undefined;
const faults = new FaultInjector();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dynamodb-thread-'));
});

afterAll(async () => {
  await dynamodb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const start = () => startDynamoDb({ path: join(dir, 'dynamodb'), faults });

it("answers with dynalite's headers, statuses and errors, without CORS headers", async () => {
  dynamodb = await start();
  const health = await fetch(dynamodb.url);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe('healthy: dynamodb.us-east-1.amazonaws.com ');
  expect(health.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
  expect(health.headers.get('x-amz-crc32')).toBe('3128867991');

  const unsigned = await fetch(dynamodb.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', origin: dynamodb.url },
    body: '{}',
  });
  expect(unsigned.status).toBe(400);
  expect(unsigned.headers.get('content-type')).toBe('application/x-amz-json-1.0');
  expect(unsigned.headers.get('access-control-allow-origin')).toBeNull();
  expect(await unsigned.json()).toEqual({
    __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
    message: 'Request is missing Authentication Token',
  });

  const tooLarge = await fetch(dynamodb.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20),
  });
  expect(tooLarge.status).toBe(413);
});

it('keeps its data across a restart on the same folder, and refuses a folder another emulator holds', async () => {
  const table = TABLES[0]!;
  const value = (type: 'S' | 'N'): AttributeValue => (type === 'S' ? { S: 'kept' } : { N: '1' });
  const item: Record<string, AttributeValue> = { [table.partitionKey.name]: value(table.partitionKey.type) };
  if (table.sortKey) item[table.sortKey.name] = value(table.sortKey.type);
  let sdk = new DynamoDBClient({ ...localClientConfig(dynamodb!.url), maxAttempts: 1 });
  await sdk.send(new PutItemCommand({ TableName: table.tableName, Item: item }));
  sdk.destroy();

  await expect(start()).rejects.toThrow(/LevelDB at .* did not open: .*lock/);

  await dynamodb!.stop();
  dynamodb = await start();
  sdk = new DynamoDBClient({ ...localClientConfig(dynamodb.url), maxAttempts: 1 });
  const got = await sdk.send(new GetItemCommand({ TableName: table.tableName, Key: item }));
  sdk.destroy();
  expect(got.Item).toEqual(item);
});
