/**
 * Dialog code hook of `employee-authentication-bot` (Lex V2). Thin: validates the event shape,
 * runs the dialog turn (domain), starts `password-reset-start` synchronously when the ID is confirmed.
 */
import type { Context, LexV2Event, LexV2Result } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { callTimeoutMs, executionName, runWorkflow } from '../aws/step-functions-client';
import { ENV, requiredEnv, positiveIntegerEnv } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { authenticationTurn, AUTH_ATTRIBUTES } from '../domain/authentication-dialog';
import type { StartResetOutput } from '../domain/reset-session';
import { TIME_BUDGET } from '../configuration/time-budget';

const startWorkflowArn = requiredEnv(ENV.startWorkflowArn);
const workflowTimeoutMs = positiveIntegerEnv(ENV.workflowTimeoutMs, TIME_BUDGET.startWorkflowCallMs);
const tools = observability();
const { logger, metrics } = tools;
// X-Ray without Powertools Tracer: the function's active tracing records the turn, and the SDK passes the
// invocation's trace header on to StartSyncExecution (its recursion-detection middleware), so the Express
// execution (tracing enabled) joins the same trace; StartWorkflowLatency and the log line below carry what the
// Tracer's subsegment and annotations did. The Tracer (aws-xray-sdk-core) cost this caller-path function ~15–26 ms
// of init and ~120 KB of bundle (BENCHMARKS.md, #21); verify-code never had one.

export const handler = instrumented(tools, async (event: LexV2Event, context: Context): Promise<LexV2Result> => {
  if (!event?.sessionState?.intent || !event.bot?.localeId) {
    // Not a Lex V2 event: Lex reports an invalid Lambda response, never a stack trace.
    throw new TypeError('expected a Lex V2 dialog code hook event');
  }
  const result = await authenticationTurn(event, {
    startReset: async (input) => {
      const started = performance.now();
      try {
        // Never past this Lambda's own timeout (Lex's limit), less the margin (timing budget).
        const waitMs = callTimeoutMs(workflowTimeoutMs, context.getRemainingTimeInMillis(), TIME_BUDGET.responseMarginMs);
        return await runWorkflow<StartResetOutput>(startWorkflowArn, input, waitMs, executionName('start', context.awsRequestId));
      } finally {
        metrics.addMetric('StartWorkflowLatency', MetricUnit.Milliseconds, performance.now() - started);
      }
    },
  });
  const outcome = result.sessionState.sessionAttributes?.[AUTH_ATTRIBUTES.outcome];
  logger.info('dialog turn', {
    invocationSource: event.invocationSource,
    inputMode: event.inputMode,
    localeId: event.bot.localeId,
    dialogAction: result.sessionState.dialogAction.type,
    intentState: result.sessionState.intent?.state,
    outcome,
  });
  // Counted once per call: on the turn that settles the outcome.
  if (outcome && outcome !== event.sessionState.sessionAttributes?.[AUTH_ATTRIBUTES.outcome]) {
    metrics.addDimension('outcome', outcome);
    metrics.addMetric('AuthenticationOutcome', MetricUnit.Count, 1);
  }
  return result;
});
