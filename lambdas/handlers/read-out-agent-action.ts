/**
 * Connect Lambda `read-out-agent-action` (issue #20), in the agent-readout flow: the caller is back with
 * the desk after an agent verified them and asked for a reset or an unlock (lambdas/domain/agent-desk.ts).
 * It runs password-reset-verify's readout form with what the agent API noted on the contact (the VERIFY
 * session, the action, the agent) and returns a flat string map for `$.External`: status and, on RESET,
 * passwordSsml, which the flow speaks to the caller alone and never stores (security rule 2,
 * docs/design.md); this function never logs it. The workflow decides: it acts only for a VERIFY session
 * that agent completed on this contact, once; anything else is NOT_AUTHORIZED (or EXPIRED).
 * NO_REQUEST: nothing was asked for (the agent only ended the call), so no workflow runs.
 */
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { callTimeoutMs, executionName, runWorkflow } from '../aws/step-functions-client';
import { ENV, positiveIntegerEnv, requiredEnv } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import type { AgentReadoutInput, VerifyCodeOutput } from '../domain/reset-session';
import { AGENT_READOUT_ACTIONS } from '../domain/reset-session';
import { isAgentId } from '../domain/actor';
import { respondBy } from '../domain/deadline';
import { TIME_BUDGET } from '../configuration/time-budget';

const verifyWorkflowArn = requiredEnv(ENV.verifyWorkflowArn);
const workflowTimeoutMs = positiveIntegerEnv(ENV.workflowTimeoutMs, TIME_BUDGET.verifyWorkflowCallMs);
const tools = observability();
const { logger } = tools;

const answer = (status: string, passwordSsml = ''): ConnectContactFlowResult => ({ status, passwordSsml });

export const handler = instrumented(tools, async (event: ConnectContactFlowEvent, context: Context): Promise<ConnectContactFlowResult> => {
  const params = event?.Details?.Parameters ?? {};
  const contactId = event?.Details?.ContactData?.ContactId ?? 'unknown';
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const sessionId = text(params.sessionId).slice(0, 128);
  const action = text(params.action);
  const agentId = text(params.agentId);
  if (!sessionId && !action) return answer('NO_REQUEST');
  if (!sessionId || !AGENT_READOUT_ACTIONS.includes(action as AgentReadoutInput['readout']) || !isAgentId(agentId))
    return answer('NOT_AUTHORIZED');
  let outcome: VerifyCodeOutput;
  try {
    // As verify-code: the workflow sets no password it could not report before this call gives up.
    const waitMs = callTimeoutMs(workflowTimeoutMs, context.getRemainingTimeInMillis(), TIME_BUDGET.responseMarginMs);
    const input: AgentReadoutInput = {
      sessionId,
      contactId,
      actor: 'agent',
      agentId,
      readout: action as AgentReadoutInput['readout'],
      respondBy: respondBy(waitMs, TIME_BUDGET.responseMarginMs, Date.now()),
    };
    outcome = await runWorkflow<VerifyCodeOutput>(verifyWorkflowArn, input, waitMs, executionName('readout', context.awsRequestId));
  } catch (error) {
    logger.error('readout workflow failed', { contactId, sessionId, errorName: (error as Error).name });
    return answer('UNAVAILABLE');
  }
  logger.info('agent readout', { contactId, sessionId, status: outcome.status });
  return answer(outcome.status, outcome.status === 'RESET' ? (outcome.passwordSsml ?? '') : '');
});
