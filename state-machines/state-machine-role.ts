/**
 * What a workflow's role allows, read from its ASL: CDK's workflows stack grants exactly this
 * (infra/stacks/workflows-stack.ts `grantStateMachines`), and the twin refuses a task's call outside it,
 * as IAM does when Step Functions calls a service with the state machine's role
 * (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html).
 *
 * - DynamoDB: the item operations its `dynamodb:*` / `aws-sdk:dynamodb:*` tasks perform, on each task's
 *   table ARN only (`tableOperationsIn`): an index is its own resource, and no grant names one;
 * - EventBridge: PutEvents on the product's bus, when a task puts events;
 * - Lambda: InvokeFunction on the functions whose `${<Name>FunctionArn}` placeholder it holds.
 * Anything else (another service through `aws-sdk:*`, a table or function chosen at run time) is granted
 * nothing. Plain data, no AWS import.
 */
import { functionsNamedIn } from '../catalogue/placeholders';
import type { TableId } from '../catalogue/table-catalogue';
import { dynamoDbRequestAllowed, type DynamoDbGrant, type DynamoDbRequest } from '../lambdas/function-role';
import { tableOperationsIn, taskStatesIn, type AslStates } from './state-machine-catalogue';

export interface StateMachineRole {
  readonly dynamoDb: readonly DynamoDbGrant[];
  /** events:PutEvents on the product's bus. */
  readonly putEvents: boolean;
  /** lambda:InvokeFunction, by function name. */
  readonly invokes: readonly string[];
}

const PUT_EVENTS = new Set(['arn:aws:states:::events:putEvents', 'arn:aws:states:::aws-sdk:eventbridge:putEvents']);

/** The role CDK writes for an ASL definition (with its `${...}` placeholders, before substitution). */
export function stateMachineRole(definition: string, functionNames: readonly string[]): StateMachineRole {
  const byTable = new Map<TableId, string[]>();
  for (const { table, action } of tableOperationsIn(definition)) byTable.set(table, [...(byTable.get(table) ?? []), action]);
  return {
    dynamoDb: [...byTable].map(([table, actions]) => ({ table, actions: actions.sort() })),
    putEvents: [...taskStatesIn(JSON.parse(definition) as AslStates)].some(([, state]) => PUT_EVENTS.has(state.Resource)),
    invokes: functionsNamedIn(definition, functionNames),
  };
}

/** A call a task makes, as IAM sees it. */
export type WorkflowRequest =
  | DynamoDbRequest
  | { action: 'events:PutEvents'; eventBus: string }
  | { action: 'lambda:InvokeFunction'; functionName: string | undefined }
  /** Any other service's action: no workflow is granted one. */
  | { action: string; other: true };

export function stateMachineAllows(role: StateMachineRole, eventBusName: string, request: WorkflowRequest): boolean {
  if ('other' in request) return false;
  if ('table' in request) return dynamoDbRequestAllowed(role.dynamoDb, request);
  if ('eventBus' in request) return role.putEvents && request.eventBus === eventBusName;
  return request.functionName !== undefined && role.invokes.includes(request.functionName);
}
