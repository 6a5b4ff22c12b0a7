/**
 * InvokeLambdaFunction: the contact's data and the block's parameters go to the function; its answer
 * becomes $.External, replaced on each invocation and empty when it fails. Connect gives a Lambda block
 * at most 8 s, and checks the answer: a flat map of strings (STRING_MAP, the default) or any object (JSON).
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import type { TimerHandle } from '../../time/clock';
import { withDerived } from '../flow-mapping';
import type { FlowAction } from '../flow-language';
import { NEXT, NO_MATCHING_ERROR, type Block, type BlockContext, type Step } from './block';

/** Connect's ceiling on a Lambda block. */
const MAX_LAMBDA_SECONDS = 8;

export const invokeLambdaFunction: Block = {
  run: (block) => invoke(block, block.action),

  observed: ({ contact, params }) => ({ LambdaFunctionARN: contact.resolve(params.LambdaFunctionARN) ?? '' }),

  override(block, override) {
    if (override.kind === 'external') {
      block.contact.external = Object.fromEntries(
        Object.entries(override.loadedData).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      );
      return NEXT;
    }
    // A test case's substitute function runs in the block's place, as the block would run it.
    if (override.kind === 'substitute')
      return invoke(block, { ...block.action, Parameters: { ...block.params, LambdaFunctionARN: override.arn } });
    return undefined;
  },
};

async function invoke(block: BlockContext, action: FlowAction): Promise<Step> {
  const { contact, deps } = block;
  const params = action.Parameters ?? {};
  const foreignArn = contact.resolve(params.LambdaFunctionARN) ?? '';
  const mapped = deps.mapping?.lambdas?.[foreignArn];
  const arn = mapped ? deps.lambdaHost.arnOf(mapped.function) : foreignArn;
  const limitSeconds = Math.min(
    MAX_LAMBDA_SECONDS,
    Number(contact.resolve(params.InvocationTimeLimitSeconds) ?? MAX_LAMBDA_SECONDS) || MAX_LAMBDA_SECONDS,
  );
  const invocationParameters: Record<string, string> = {};
  const attributes = { ...(params.LambdaInvocationAttributes as Record<string, unknown> | undefined), ...mapped?.parameters };
  for (const [key, raw] of Object.entries(attributes)) {
    const value = contact.resolve(raw);
    if (value !== undefined) invocationParameters[key] = value;
  }
  const event: ConnectContactFlowEvent = {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: { ...contact.attributes },
        Channel: 'VOICE',
        ContactId: contact.contactId,
        CustomerEndpoint: { Address: contact.customerNumber, Type: 'TELEPHONE_NUMBER' },
        InitialContactId: contact.contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: deps.instanceArn,
        PreviousContactId: contact.contactId,
        Queue: contact.targetQueue ? { ARN: contact.targetQueue.arn, Name: contact.targetQueue.name } : null,
        SystemEndpoint: { Address: contact.systemNumber, Type: 'TELEPHONE_NUMBER' },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: invocationParameters,
    },
  };
  // $.External is replaced by each invocation, and empty when it fails.
  contact.external = {};
  let timer: TimerHandle | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = deps.clock.setTimeout(() => resolve('timeout'), limitSeconds * 1000);
  });
  const result = await Promise.race([deps.lambdaHost.invoke(arn, event), timeout]);
  deps.clock.clearTimeout(timer);
  let step: Step = NO_MATCHING_ERROR;
  let failure: string | undefined;
  if (result === 'timeout') failure = `Lambda did not answer within ${limitSeconds} s`;
  else if (!result.ok) failure = `${result.error.errorType}: ${result.error.errorMessage}`;
  else if (
    !validResponse(result.payload, (params.ResponseValidation as { ResponseType?: string } | undefined)?.ResponseType ?? 'STRING_MAP')
  )
    failure = 'response failed validation';
  else {
    contact.external = withDerived(result.payload as Record<string, unknown>, mapped?.results);
    step = NEXT;
  }
  block.log(
    { FunctionArn: arn, Parameters: invocationParameters, TimeLimit: String(limitSeconds * 1000) },
    failure ? { Error: failure } : { ExternalResults: contact.external },
  );
  return step;
}

/** STRING_MAP: a flat object of strings. JSON: any object. */
function validResponse(payload: unknown, type: string): boolean {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return false;
  if (type === 'JSON') return true;
  return Object.values(payload).every((v) => typeof v === 'string');
}
