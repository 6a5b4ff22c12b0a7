/**
 * The workflows, declared once: the twin loads each ASL file into its Step Functions endpoint and the
 * CDK workflows stack deploys it with `DefinitionBody.fromFile`, both resolving the same
 * `${...}` substitutions (table names, function ARNs, the bus name).
 */
import { TABLES } from '../catalogue/table-catalogue';
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
