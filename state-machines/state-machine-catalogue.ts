/**
 * The workflows, declared once: the twin loads each ASL file into its Step Functions endpoint and the
 * CDK workflows stack deploys it with `DefinitionBody.fromFile`, both resolving the same
 * `${...}` substitutions (table names, function ARNs, the bus name).
 */
import { TABLES, type TableId } from '../catalogue/table-catalogue';
import { pascalCase } from '../catalogue/placeholders';
import type { FunctionDefinition } from '../lambdas/function-catalogue';

export interface StateMachineSpec {
  readonly name: string;
  /** ASL file, relative to the repository root. */
  readonly file: string;
  readonly type: 'EXPRESS';
  /** As in AWS: level ALL for SREs, never the execution data (it can hold a password). */
  readonly logging: { readonly level: 'ALL' | 'ERROR' | 'FATAL' | 'OFF'; readonly includeExecutionData: false };
}

export const STATE_MACHINES: readonly StateMachineSpec[] = [
  {
    name: 'password-reset-start',
    file: 'state-machines/password-reset-start.asl.json',
    type: 'EXPRESS',
    logging: { level: 'ALL', includeExecutionData: false },
  },
  {
    name: 'password-reset-verify',
    file: 'state-machines/password-reset-verify.asl.json',
    type: 'EXPRESS',
    logging: { level: 'ALL', includeExecutionData: false },
  },
];

export const START_WORKFLOW = 'password-reset-start';
export const VERIFY_WORKFLOW = 'password-reset-verify';

/** The substitution keys an ASL file may use and the values they take in one deployment. */
export function definitionSubstitutions(values: {
  tableName: (tableEnvVar: string) => string;
  functionArn: (functionName: string) => string;
  eventBusName: string;
  functions: readonly FunctionDefinition[];
}): Record<string, string> {
  const substitutions: Record<string, string> = { EventBusName: values.eventBusName };
  for (const table of TABLES) substitutions[`${table.id}Table`] = values.tableName(table.envVar);
  for (const fn of values.functions) substitutions[`${pascalCase(fn.name)}FunctionArn`] = values.functionArn(fn.name);
  return substitutions;
}

/** A DynamoDB item operation a workflow's ASL performs on a catalogue table. */
export interface TableOperation {
  table: TableId;
  /** The IAM action's name: GetItem, PutItem, UpdateItem, Query. */
  action: string;
}

/**
 * The DynamoDB operations an ASL definition performs (optimized `dynamodb:*` and `aws-sdk:dynamodb:*`
 * tasks, by their `${<Table>Table}` placeholder): CDK grants exactly these, so a new step cannot ship
 * without its permission, and none is granted that no step uses.
 */
export function tableOperationsIn(definition: string): TableOperation[] {
  const found = new Map<string, TableOperation>();
  for (const [name, state] of taskStatesIn(JSON.parse(definition) as AslStates)) {
    const op = /^arn:aws:states:::(?:aws-sdk:)?dynamodb:(\w+)$/.exec(state.Resource)?.[1];
    if (!op) continue;
    const parameters = (state.Parameters ?? {}) as { TableName?: string };
    const placeholder = /^\$\{(\w+)Table\}$/.exec(parameters.TableName ?? '')?.[1];
    const table = TABLES.find((t) => t.id === placeholder);
    if (!table) throw new Error(`${name}: a DynamoDB task on ${parameters.TableName ?? 'no table'}, not a catalogue table placeholder`);
    const action = op.charAt(0).toUpperCase() + op.slice(1);
    found.set(`${table.id}:${action}`, { table: table.id, action });
  }
  return [...found.values()];
}

/** An ASL definition (or a Parallel branch, a Map's processor): its states by name. */
export interface AslStates {
  States: Record<string, unknown>;
}

/** A Task state, as far as its resource and parameters go. */
export interface AslTaskState {
  Type: 'Task';
  Resource: string;
  Parameters?: unknown;
}

/** Every Task state of a definition, those nested in Parallel branches and Map processors included. */
export function* taskStatesIn(definition: AslStates): Generator<[string, AslTaskState]> {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    const s = state as { Type?: string; Resource?: unknown; Branches?: unknown[]; Iterator?: unknown; ItemProcessor?: unknown };
    if (s.Type === 'Task' && typeof s.Resource === 'string') yield [name, s as AslTaskState];
    for (const branch of s.Branches ?? []) yield* taskStatesIn(branch as AslStates);
    const processor = s.ItemProcessor ?? s.Iterator;
    if (processor) yield* taskStatesIn(processor as AslStates);
  }
}
