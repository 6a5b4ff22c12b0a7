/**
 * The DynamoDB actions a function's role allows, read from its catalogue `access` exactly as the CDK
 * workflows stack writes them (infra/stacks/workflows-stack.ts `grantAccess`): each `tables` entry on the
 * table's ARN only, never an index; the audit digest writer's Query on the audit table and its by-day
 * index; a directory writer's UpdateItem (and, to unlock, GetItem) on the employees table when the
 * deployment's directory is the demo one (the employees table is that directory). The twin refuses a
 * Lambda's DynamoDB call outside these, as IAM would (local/dynamodb/dynamodb-authorization.ts);
 * test/infra/cdk-app.test.ts holds the synthesized roles to them.
 * Plain data, no AWS import.
 */
import type { TableId } from '../catalogue/table-catalogue';
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
