/**
 * The one table catalogue: every DynamoDB table the product uses, declared once.
 * The twin creates these tables in dynalite at start; the CDK data stack creates them in AWS.
 * Plain data (no CDK import) so the twin and the Lambdas can load it without aws-cdk-lib.
 */

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalSecondaryIndex {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** Logical id: the key used in code, CDK construct ids and `${...Table}` ASL substitutions. */
  readonly id: TableId;
  /** Physical name in the twin (CDK may prefix it per stage). */
  readonly tableName: string;
  /** Environment variable through which handlers learn the physical name. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  readonly timeToLiveAttribute?: string;
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** Holds state that must survive a stack deletion (RETAIN, deletion protection in AWS). */
  readonly stateful: boolean;
  /**
   * Records are only ever added: on AWS a table resource policy denies every principal the operations
   * that change or remove an item (an IAM grant cannot outweigh an explicit Deny).
   */
  readonly appendOnly?: boolean;
}

export type TableId = 'Employees' | 'ResetSessions' | 'RateLimits' | 'Prompts' | 'Audit' | 'Idempotency';

export const TABLES: readonly TableDefinition[] = [
  {
    id: 'Employees',
    tableName: 'support-desk-employees',
    envVar: 'EMPLOYEES_TABLE',
    partitionKey: { name: 'employeeId', type: 'S' },
    stateful: true,
  },
  {
    id: 'ResetSessions',
    tableName: 'support-desk-reset-sessions',
    envVar: 'RESET_SESSIONS_TABLE',
    partitionKey: { name: 'sessionId', type: 'S' },
    timeToLiveAttribute: 'ttl',
    stateful: false,
  },
  {
    id: 'RateLimits',
    tableName: 'support-desk-rate-limits',
    envVar: 'RATE_LIMITS_TABLE',
    // counterKey = "<scope>#<subject>#<window start>", e.g. "employee#1234567#2026-11-25T20".
    partitionKey: { name: 'counterKey', type: 'S' },
    timeToLiveAttribute: 'ttl',
    stateful: false,
  },
  {
    id: 'Prompts',
    tableName: 'support-desk-prompts',
    envVar: 'PROMPTS_TABLE',
    partitionKey: { name: 'flow', type: 'S' },
    sortKey: { name: 'locale', type: 'S' },
    stateful: true,
  },
  {
    id: 'Audit',
    tableName: 'support-desk-audit',
    envVar: 'AUDIT_TABLE',
    // "By employee, newest first": pk = employeeId, sk = seq, the position in the employee's hash chain
    // (a conditional put on the next seq serializes writers and never overwrites).
    partitionKey: { name: 'employeeId', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    globalSecondaryIndexes: [
      // "By time range": one partition per UTC day keeps range queries to a handful of partitions.
      { indexName: 'by-day', partitionKey: { name: 'day', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
    ],
    stream: 'NEW_IMAGE',
    stateful: true,
    appendOnly: true,
  },
  {
    id: 'Idempotency',
    tableName: 'support-desk-idempotency',
    envVar: 'IDEMPOTENCY_TABLE',
    // The layout Powertools' DynamoDBPersistenceLayer expects by default.
    partitionKey: { name: 'id', type: 'S' },
    timeToLiveAttribute: 'expiration',
    stateful: false,
  },
];

/**
 * What no one may do to an append-only table's items, whatever their IAM grants: an explicit Deny in the
 * table's resource policy wins (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html).
 * PutItem stays possible for the writers; the workflows' conditional put is what keeps it from
 * overwriting (cfn-asl-iam row 10), and the hash chain shows any record changed anyway. The data stack
 * writes the policy from it; the twin refuses its actions to every function and workflow
 * (lambdas/function-role.ts `dynamoDbRequestAllowed`).
 */
export const APPEND_ONLY_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
];

/** Whether the table's resource policy denies `action` (a `dynamodb:` action) to every principal. */
export function deniedByTablePolicy(id: TableId, action: string): boolean {
  return tableById(id).appendOnly === true && APPEND_ONLY_DENIED_ACTIONS.includes(action);
}

export function tableById(id: TableId): TableDefinition {
  const table = TABLES.find((t) => t.id === id);
  if (!table) throw new Error(`unknown table ${id}`);
  return table;
}

/** Environment variables naming every table, as CDK and the twin both set them. */
export function tableEnvironment(nameOf: (t: TableDefinition) => string = (t) => t.tableName): Record<string, string> {
  return Object.fromEntries(TABLES.map((t) => [t.envVar, nameOf(t)]));
}
