/**
 * DynamoDB in the twin: dynalite (LevelDB-backed, persisted in the data folder) on a worker thread
 * (dynalite-thread.ts), behind an endpoint bound to 127.0.0.1, with the tables of the one table
 * catalogue created at start.
 */
import { type AwsUsageMeter, dynamoDbUsage, meterServer } from '../metering/aws-usage-meter';
import { chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  type AttributeDefinition,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDefinition } from '../../catalogue/table-catalogue';
import { jsonProtocolOperation, type FaultInjector } from '../faults/fault-injector';
import { localClientConfig } from '../local-credentials';
import { dynamoDbAccessDenied } from './dynamodb-authorization';
import type { LambdaRoles } from '../lambda/lambda-roles';
import { guardLoopbackServer } from '../http/loopback-guard';
import { startDynaliteThread } from './dynalite-thread';

export interface DynamoDbEmulator {
  readonly url: string;
  stop(): Promise<void>;
  /** The system's id of dynalite's thread (Linux; GET /api/threads). */
  osThreadId(): number | undefined;
}

export async function startDynamoDb(options: {
  path: string;
  port?: number;
  faults: FaultInjector;
  /** Meters every request with its request units (bench:cost). */
  meter?: AwsUsageMeter;
  /** The functions' roles, for IAM on the Lambdas' calls (dynamodb-authorization.ts). */
  roles?: LambdaRoles;
}): Promise<DynamoDbEmulator> {
  // LevelDB creates its folder with the process umask: make it private first, like the data folder.
  mkdirSync(options.path, { recursive: true, mode: 0o700 });
  chmodSync(options.path, 0o700);
  const roles = options.roles;
  const dynalite = await startDynaliteThread(
    { path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    roles ? { refuse: (headers, body) => dynamoDbAccessDenied(headers, body, roles) } : {},
  );
  const server = createServer(dynalite.handle);
  options.faults.guard(server, 'dynamodb', jsonProtocolOperation);
  if (options.meter) meterServer(server, 'dynamodb', jsonProtocolOperation, options.meter, dynamoDbUsage);
  // dynalite answers CORS `*` and accepts any signature: only loopback, same-origin callers reach it.
  guardLoopbackServer(server);
  let url: string;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await createCatalogueTables(url);
  } catch (error) {
    // The thread holds LevelDB's lock: a twin that failed to start must not keep it.
    server.close();
    await dynalite.stop();
    throw error;
  }
  return {
    url,
    osThreadId: dynalite.osThreadId,
    // Requests in flight are answered first; then LevelDB is closed and the thread ends.
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dynalite.stop();
    },
  };
}

export function createTableInput(table: TableDefinition): CreateTableCommandInput {
  const attributes = new Map<string, AttributeDefinition>();
  const define = (k?: { name: string; type: 'S' | 'N' }) => {
    if (k) attributes.set(k.name, { AttributeName: k.name, AttributeType: k.type });
  };
  define(table.partitionKey);
  define(table.sortKey);
  for (const gsi of table.globalSecondaryIndexes ?? []) {
    define(gsi.partitionKey);
    define(gsi.sortKey);
  }
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: table.tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    GlobalSecondaryIndexes: table.globalSecondaryIndexes?.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: keySchema(gsi.partitionKey, gsi.sortKey),
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: table.stream ? { StreamEnabled: true, StreamViewType: table.stream } : undefined,
  };
}

async function createCatalogueTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const table of TABLES) {
      if (!existing.has(table.tableName)) await client.send(new CreateTableCommand(createTableInput(table)));
    }
    // As on AWS, a table answers only once ACTIVE (dynalite refuses a CREATING one with ResourceNotFound).
    for (const table of TABLES) await waitForTable(client, table.tableName, 'ACTIVE');
  } finally {
    client.destroy();
  }
}

/**
 * Waits until a table is ACTIVE, or gone. CreateTable and DeleteTable return at once, the table CREATING or
 * DELETING, and until it settles DynamoDB refuses its items (ResourceNotFoundException) and a new table of
 * its name (ResourceInUseException); the SDK's waiters poll every 20 s at least, too slow for an emulator
 * that settles in milliseconds.
 */
export async function waitForTable(client: DynamoDBClient, tableName: string, state: 'ACTIVE' | 'GONE', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (state === 'ACTIVE' && Table?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      if (state === 'GONE') return;
    }
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ${state} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
