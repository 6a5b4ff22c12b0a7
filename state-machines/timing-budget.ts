/**
 * The timing budget, checked from the real numbers (docs/design.md, "Timing budget"): the contact
 * flow's Lambda limits, the function catalogue's timeouts, the callers' wait (TIME_BUDGET) and each
 * workflow's worst case (state-machines/worst-case.ts). `timingBudgetFindings` lists every place a worst
 * case no longer fits its deadline; the timing-budget test wants none, and catches a planted one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUNCTIONS, type FunctionDefinition } from '../lambdas/function-catalogue';
import { TIME_BUDGET } from '../lambdas/configuration/time-budget';
import { pascalCase } from '../catalogue/placeholders';
import { STATE_MACHINES, START_WORKFLOW, VERIFY_WORKFLOW } from './state-machine-catalogue';
import { type AslDefinition, type AslState, UnboundedError, tailAfterSeconds, worstCaseSeconds } from './worst-case';

/** Express workflows run at most five minutes (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html). */
export const EXPRESS_MAX_SECONDS = 300;
/** Connect's synchronous Lambda limit (https://docs.aws.amazon.com/connect/latest/devguide/interactions-invokelambdafunction.html). */
export const CONNECT_SYNC_LAMBDA_MAX_SECONDS = 8;

export interface BudgetInputs {
  workflows: Record<string, AslDefinition>;
  functions: readonly FunctionDefinition[];
  budget: typeof TIME_BUDGET;
  /** The flow's InvokeLambdaFunction blocks: which function, with which limit. */
  connectLambdaLimits: ReadonlyArray<{ functionName: string; seconds: number }>;
}

export function loadBudgetInputs(repoRoot: string): BudgetInputs {
  const workflows: Record<string, AslDefinition> = {};
  for (const machine of STATE_MACHINES)
    workflows[machine.name] = JSON.parse(readFileSync(resolve(repoRoot, machine.file), 'utf8')) as AslDefinition;
  const flow = JSON.parse(readFileSync(resolve(repoRoot, 'connect/flows/password-reset.json'), 'utf8')) as {
    Actions: Array<{ Type: string; Parameters: { LambdaFunctionARN?: string; InvocationTimeLimitSeconds?: string } }>;
  };
  const connectLambdaLimits = flow.Actions.filter((a) => a.Type === 'InvokeLambdaFunction').map((a) => ({
    functionName: functionNameOf(a.Parameters.LambdaFunctionARN ?? '', FUNCTIONS) ?? String(a.Parameters.LambdaFunctionARN),
    seconds: Number(a.Parameters.InvocationTimeLimitSeconds),
  }));
  return { workflows, functions: FUNCTIONS, budget: TIME_BUDGET, connectLambdaLimits };
}

function functionNameOf(resource: string, functions: readonly FunctionDefinition[]): string | undefined {
  return functions.find((fn) => resource === `\${${pascalCase(fn.name)}FunctionArn}`)?.name;
}

/** What `$.result` is when the workflow reaches `task`: the Choice rule that leads there, on `$.result.<field>`. */
function authorizedAs(definition: AslDefinition, task: string): Record<string, string> | undefined {
  for (const state of Object.values(definition.States))
    for (const rule of state.Choices ?? []) {
      const expected = (rule as { StringEquals?: unknown }).StringEquals;
      if (rule.Next === task && rule.Variable?.startsWith('$.result.') && typeof expected === 'string')
        return { [rule.Variable.slice('$.result.'.length)]: expected };
    }
  return undefined;
}

export interface IrreversibleStepBudget {
  workflow: string;
  task: string;
  functionName: string;
  /** The caller's wait for the workflow, less the response margin: when the execution must have ended. */
  respondWithinMs: number;
  /** The most the irreversible call may take. */
  stepMs: number;
  /** What the ASL reserves after it, and the worst case of the states after it. */
  reserveSeconds: number;
  tailSeconds: number;
  /** The latest the step may start after the caller's call began; earlier states must fit before it. */
  latestStartMs: number;
}

export interface TimingBudget {
  workflows: Array<{ name: string; worstCaseSeconds: number; timeoutSeconds: number | undefined }>;
  steps: IrreversibleStepBudget[];
  findings: string[];
}

const CALLER_WAIT: Record<string, keyof typeof TIME_BUDGET> = {
  [START_WORKFLOW]: 'startWorkflowCallMs',
  [VERIFY_WORKFLOW]: 'verifyWorkflowCallMs',
};

export function timingBudget(inputs: BudgetInputs): TimingBudget {
  const { budget, functions } = inputs;
  const findings: string[] = [];
  const workflows: TimingBudget['workflows'] = [];
  const steps: IrreversibleStepBudget[] = [];
  const fn = (name: string) => functions.find((f) => f.name === name);

  for (const [name, definition] of Object.entries(inputs.workflows)) {
    // Every path, all retries and the bounded audit loop included, ends before the execution times out:
    // an execution timeout cannot be caught, so it would end a path unaudited.
    let worst = Number.POSITIVE_INFINITY;
    try {
      worst = worstCaseSeconds(definition);
    } catch (error) {
      if (!(error instanceof UnboundedError)) throw error;
      findings.push(`${name}: ${error.message}`);
    }
    workflows.push({ name, worstCaseSeconds: worst, timeoutSeconds: definition.TimeoutSeconds });
    if (definition.TimeoutSeconds === undefined || definition.TimeoutSeconds > EXPRESS_MAX_SECONDS)
      findings.push(`${name}: TimeoutSeconds must be set and at most ${EXPRESS_MAX_SECONDS} (Express)`);
    else if (worst > definition.TimeoutSeconds)
      findings.push(`${name}: worst case ${worst} s exceeds the execution's TimeoutSeconds ${definition.TimeoutSeconds}`);

    for (const [taskName, state] of Object.entries(definition.States) as Array<[string, AslState]>) {
      if (state.Type !== 'Task') continue;
      const functionName = functionNameOf(state.Resource ?? '', functions);
      if (!functionName) continue;
      const definitionOfFn = fn(functionName)!;
      // A function that outlives its state would act after the workflow moved on (and told the caller).
      if (state.TimeoutSeconds !== undefined && state.TimeoutSeconds < definitionOfFn.timeoutSeconds)
        findings.push(
          `${name}.${taskName}: TimeoutSeconds ${state.TimeoutSeconds} is shorter than ${functionName}'s timeout ${definitionOfFn.timeoutSeconds} s`,
        );
      if (!definitionOfFn.irreversible) continue;
      const params = state.Parameters ?? {};
      const reserve = params.reserveSeconds;
      const waitKey = CALLER_WAIT[name];
      if (params['respondBy.$'] === undefined || typeof reserve !== 'number' || !waitKey) {
        findings.push(`${name}.${taskName}: an irreversible step needs respondBy.$ and reserveSeconds, and a caller with a deadline`);
        continue;
      }
      let tail = Number.POSITIVE_INFINITY;
      try {
        tail = tailAfterSeconds(definition, taskName, authorizedAs(definition, taskName));
      } catch (error) {
        if (!(error instanceof UnboundedError)) throw error;
        findings.push(`${name}.${taskName}: ${error.message}`);
      }
      const respondWithinMs = budget[waitKey] - budget.responseMarginMs;
      const stepMs = budget[definitionOfFn.irreversible];
      const latestStartMs = respondWithinMs - reserve * 1000 - stepMs;
      steps.push({
        workflow: name,
        task: taskName,
        functionName,
        respondWithinMs,
        stepMs,
        reserveSeconds: reserve,
        tailSeconds: tail,
        latestStartMs,
      });
      if (tail > reserve)
        findings.push(`${name}.${taskName}: the states after it can take ${tail} s, more than its reserveSeconds ${reserve}`);
      if (latestStartMs < budget.stepsBeforeMs)
        findings.push(
          `${name}.${taskName}: it must start within ${latestStartMs} ms of the call, less than the ${budget.stepsBeforeMs} ms the states before it need`,
        );
    }
  }

  // The callers: each waits less than whoever waits for it.
  const verify = fn('verify-code');
  const hook = fn('authentication-code-hook');
  if (verify && budget.verifyWorkflowCallMs + budget.responseMarginMs > verify.timeoutSeconds * 1000)
    findings.push(`verify-code: waits ${budget.verifyWorkflowCallMs} ms + margin, longer than its own ${verify.timeoutSeconds} s timeout`);
  if (hook && budget.startWorkflowCallMs + budget.responseMarginMs > hook.timeoutSeconds * 1000)
    findings.push(
      `authentication-code-hook: waits ${budget.startWorkflowCallMs} ms + margin, longer than its own ${hook.timeoutSeconds} s timeout (Lex's limit)`,
    );
  for (const block of inputs.connectLambdaLimits) {
    const target = fn(block.functionName);
    if (!target || !(block.seconds > 0) || block.seconds > CONNECT_SYNC_LAMBDA_MAX_SECONDS) {
      findings.push(`flow: ${block.functionName} with InvocationTimeLimitSeconds ${block.seconds}`);
      continue;
    }
    if (target.timeoutSeconds > block.seconds)
      findings.push(`flow: ${block.functionName} may run ${target.timeoutSeconds} s, longer than Connect waits (${block.seconds} s)`);
    if (block.functionName === 'verify-code') {
      const needed = budget.verifyWorkflowCallMs + budget.responseMarginMs + budget.invocationOverheadMs;
      if (needed > block.seconds * 1000)
        findings.push(`flow: verify-code needs ${needed} ms (wait, margin, invocation), more than Connect's ${block.seconds} s`);
    }
  }
  return { workflows, steps, findings };
}
