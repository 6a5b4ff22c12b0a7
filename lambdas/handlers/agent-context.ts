/**
 * Connect Lambda `agent-context`: just before a call is transferred to the agent queue, what the agent
 * should see (lambdas/domain/agent-context.ts) as a flat string map for `$.External`, which the flow
 * copies into contact attributes. Reads the contact's own attributes (transfer reason, last verify
 * status) from the event, the confirmed ID and the bot's outcome from its parameters; returns only
 * allow-listed values, never a code or a password. Needs no AWS access.
 */
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { agentContext, agentContextAttributes } from '../domain/agent-context';
import { policyFromEnvironment } from '../domain/reset-policy';
import { instrumented, observability } from '../observability/instrumented-handler';

const policy = policyFromEnvironment(process.env);
const tools = observability();

/** Connect sends strings; anything else (or nothing) is unknown. */
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export const handler = instrumented(tools, async (event: ConnectContactFlowEvent, _context: Context): Promise<ConnectContactFlowResult> => {
  const contact = event?.Details?.ContactData;
  const attributes = (contact?.Attributes ?? {}) as Record<string, unknown>;
  const params = (event?.Details?.Parameters ?? {}) as Record<string, unknown>;
  const context = agentContext(
    {
      transferReason: text(attributes.transferReason),
      verifyStatus: text(attributes.verifyStatus),
      attemptsLeft: text(attributes.attemptsLeft),
      locale: text(attributes.locale),
      confirmedEmployeeId: text(params.confirmedEmployeeId),
      authOutcome: text(params.authOutcome),
      callerNumber: text(contact?.CustomerEndpoint?.Address),
    },
    policy.maxCodeAttempts,
  );
  tools.logger.info('agent context', {
    contactId: contact?.ContactId,
    verificationState: context.verificationState,
    transferReason: context.transferReason,
  });
  return agentContextAttributes(context);
});
