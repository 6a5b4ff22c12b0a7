/**
 * The authentication bot's dialog code hook, with events shaped as AWS documents them. The reset
 * start is the real handler talking to a mocked Step Functions client (aws-sdk-client-mock): these
 * are the unit tests of its error paths; the conversation tests run it against the twin.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context, LexV2Result } from 'aws-lambda';
import { dialogCodeHookEvent, employeeIdSlot } from '../fixtures/lex/dialog-code-hook-event';

process.env.START_WORKFLOW_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:password-reset-start';
process.env.WORKFLOW_TIMEOUT_MS = '200';
process.env.AWS_REGION = 'us-east-1';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'SupportDesk';
const { handler } =
  require('../../lambdas/handlers/authentication-code-hook') as typeof import('../../lambdas/handlers/authentication-code-hook');

const sfn = mockClient(SFNClient);
const context = {
  functionName: 'authentication-code-hook',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 8000,
} as unknown as Context;
const silence = () => jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

beforeEach(() => sfn.reset());

const slots = (
  employeeId: string | null,
  code: string | null = null,
  confirmed: 'yes' | 'no' | null = null,
  channel: 'text' | 'email' | null = null,
) => ({
  EmployeeId: employeeId === null ? null : employeeIdSlot(employeeId),
  EmployeeIdConfirmed: confirmed === null ? null : employeeIdSlot(confirmed),
  CodeChannel: channel === null ? null : employeeIdSlot(channel),
  VerificationCode: code === null ? null : employeeIdSlot(code),
});

async function turn(event: ReturnType<typeof dialogCodeHookEvent>): Promise<LexV2Result> {
  const quiet = silence();
  try {
    return await handler(event, context);
  } finally {
    quiet.mockRestore();
  }
}

it('initialization: delegates to Lex to elicit the employee ID', async () => {
  const result = await turn(
    dialogCodeHookEvent({ inputMode: 'Text', inputTranscript: 'authenticate', slots: slots(null), proposedSlot: 'EmployeeId' }),
  );
  expect(result).toEqual({
    sessionState: {
      sessionAttributes: { callerNumber: '+15555550100' },
      dialogAction: { type: 'Delegate' },
      intent: { name: 'Authenticate', state: 'InProgress', slots: slots(null), confirmationState: 'None' },
    },
  });
});

it('speech: reads the ID back digit by digit and elicits the yes/no confirmation slot', async () => {
  const result = await turn(
    dialogCodeHookEvent({ inputMode: 'Speech', inputTranscript: 'one two three four five six seven', slots: slots('1234567') }),
  );
  expect(result).toEqual({
    sessionState: {
      sessionAttributes: { callerNumber: '+15555550100' },
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'EmployeeIdConfirmed' },
      intent: { name: 'Authenticate', state: 'InProgress', slots: slots('1234567'), confirmationState: 'None' },
    },
    messages: [
      {
        contentType: 'SSML',
        content:
          '<speak>I heard <say-as interpret-as="digits">1234567</say-as>. Is that right? Say yes or press 1. Say no or press 2.</speak>',
      },
    ],
  });
});

it('DTMF: a malformed ID is re-elicited with a retry prompt', async () => {
  const result = await turn(dialogCodeHookEvent({ inputMode: 'DTMF', inputTranscript: '12345#', slots: slots('12345') }));
  expect(result.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'EmployeeId' });
  expect(result.sessionState.intent).toEqual({ name: 'Authenticate', state: 'InProgress', slots: slots(null), confirmationState: 'None' });
  expect(result.messages?.[0]).toMatchObject({ contentType: 'SSML', content: expect.stringContaining('seven-digit employee ID') });
});

it('denied: clears the ID and asks again; the third denial fails the intent', async () => {
  const denied = await turn(dialogCodeHookEvent({ inputMode: 'Speech', inputTranscript: 'no', slots: slots('1234567', null, 'no') }));
  expect(denied.sessionState).toMatchObject({
    dialogAction: { type: 'ElicitSlot', slotToElicit: 'EmployeeId' },
    intent: { slots: { EmployeeId: null, EmployeeIdConfirmed: null }, confirmationState: 'None' },
    sessionAttributes: { employeeIdDenials: '1' },
  });
  const third = await turn(
    dialogCodeHookEvent({
      inputMode: 'Speech',
      inputTranscript: 'no',
      slots: slots('1234567', null, 'no'),
      sessionAttributes: { employeeIdDenials: '2' },
    }),
  );
  expect(third.sessionState).toMatchObject({
    dialogAction: { type: 'Close' },
    intent: { state: 'Failed' },
    sessionAttributes: { authOutcome: 'ID_NOT_CONFIRMED' },
  });
});

it('confirmed: starts password-reset-start synchronously and elicits the code, keeping only the session id and the confirmed ID', async () => {
  sfn.on(StartSyncExecutionCommand).resolves({
    status: 'SUCCEEDED',
    output: JSON.stringify({ status: 'CODE_SENT', sessionId: 'sess-42' }),
    executionArn: 'arn',
    startDate: new Date(),
    stopDate: new Date(),
  });
  const result = await turn(
    dialogCodeHookEvent({
      inputMode: 'DTMF',
      inputTranscript: '1',
      slots: slots('1234567', null, 'yes', 'text'),
      localeId: 'es_US',
    }),
  );
  const call = sfn.commandCalls(StartSyncExecutionCommand)[0]!.args[0].input;
  expect(call.stateMachineArn).toBe(process.env.START_WORKFLOW_ARN);
  // Named after the request that started it.
  expect(call.name).toBe('start-req-1');
  expect(JSON.parse(call.input!)).toEqual({
    contactId: 'b6c7f2a4-0a43-4b7e-9c51-1d8f2a3e5c10',
    employeeId: '1234567',
    callerNumber: '+15555550100',
    locale: 'es-US',
    action: 'RESET',
    channelPreference: 'SMS',
  });
  expect(result).toEqual({
    sessionState: {
      // The confirmed ID too (for an agent, if the call is transferred): not a secret.
      sessionAttributes: {
        callerNumber: '+15555550100',
        confirmedEmployeeId: '1234567',
        resetSessionId: 'sess-42',
        authOutcome: 'CODE_SENT',
      },
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'VerificationCode' },
      intent: { name: 'Authenticate', state: 'InProgress', slots: slots('1234567', null, 'yes', 'text'), confirmationState: 'None' },
    },
    messages: [{ contentType: 'SSML', content: expect.stringContaining('código de seis dígitos') }],
  });
});

it('confirmed: asks every caller where the code should go (text or email) before anything starts', async () => {
  const result = await turn(dialogCodeHookEvent({ inputMode: 'DTMF', inputTranscript: '1', slots: slots('1234567', null, 'yes') }));
  expect(sfn.commandCalls(StartSyncExecutionCommand)).toHaveLength(0);
  expect(result.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'CodeChannel' });
  expect(result.messages).toEqual([
    {
      contentType: 'SSML',
      content: '<speak>Should we send your code by text or by email? Say text or press 1. Say email or press 2.</speak>',
    },
  ]);
});

it('email chosen, on an unlock call: the start carries the action from the flow and the channel asked for', async () => {
  sfn
    .on(StartSyncExecutionCommand)
    .resolves({ status: 'SUCCEEDED', output: JSON.stringify({ status: 'CODE_SENT', sessionId: 'sess-43' }) });
  const event = dialogCodeHookEvent({ inputMode: 'DTMF', inputTranscript: '2', slots: slots('1234567', null, 'yes', 'email') });
  event.sessionState.sessionAttributes = { ...event.sessionState.sessionAttributes, resetAction: 'UNLOCK' };
  const result = await turn(event);
  expect(JSON.parse(sfn.commandCalls(StartSyncExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({
    action: 'UNLOCK',
    channelPreference: 'EMAIL',
  });
  expect(result.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'VerificationCode' });
  // The same words whatever the channel: never which channels an ID has.
  expect(JSON.stringify(result.messages)).toContain('the phone or email registered for recovery');
});

it('an action the flow did not set, or set to anything else, starts a reset', async () => {
  sfn
    .on(StartSyncExecutionCommand)
    .resolves({ status: 'SUCCEEDED', output: JSON.stringify({ status: 'CODE_SENT', sessionId: 'sess-44' }) });
  const event = dialogCodeHookEvent({ inputMode: 'DTMF', inputTranscript: '1', slots: slots('1234567', null, 'yes', 'text') });
  event.sessionState.sessionAttributes = { ...event.sessionState.sessionAttributes, resetAction: 'DELETE' };
  await turn(event);
  expect(JSON.parse(sfn.commandCalls(StartSyncExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({ action: 'RESET' });
});

it('code keyed: closes the intent as Fulfilled so the flow verifies it, and never copies the code', async () => {
  const attrs = { callerNumber: '+15555550100', resetSessionId: 'sess-42', authOutcome: 'CODE_SENT' };
  const result = await turn(
    dialogCodeHookEvent({
      inputMode: 'DTMF',
      inputTranscript: '654321#',
      slots: slots('1234567', '654321', 'yes', 'text'),
      sessionAttributes: attrs,
    }),
  );
  expect(result).toEqual({
    sessionState: {
      sessionAttributes: attrs,
      dialogAction: { type: 'Close' },
      intent: { name: 'Authenticate', state: 'Fulfilled', slots: slots('1234567', '654321', 'yes', 'text'), confirmationState: 'None' },
    },
  });
  expect(JSON.stringify(result.sessionState.sessionAttributes)).not.toContain('654321');
});

it('fulfillment: closes as Fulfilled once the code is collected, Failed otherwise', async () => {
  const attrs = { callerNumber: '+15555550100', resetSessionId: 'sess-42', authOutcome: 'CODE_SENT' };
  const fulfilled = await turn(
    dialogCodeHookEvent({
      invocationSource: 'FulfillmentCodeHook',
      inputMode: 'Speech',
      inputTranscript: 'six five four three two one',
      slots: slots('1234567', '654321', 'yes', 'text'),
      sessionAttributes: attrs,
    }),
  );
  expect(fulfilled).toEqual({
    sessionState: {
      sessionAttributes: attrs,
      dialogAction: { type: 'Close' },
      intent: { name: 'Authenticate', state: 'Fulfilled', slots: slots('1234567', '654321', 'yes', 'text'), confirmationState: 'None' },
    },
  });
  const early = await turn(
    dialogCodeHookEvent({ invocationSource: 'FulfillmentCodeHook', inputMode: 'Speech', inputTranscript: 'x', slots: slots('1234567') }),
  );
  expect(early.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { state: 'Failed' } });
  expect(sfn.commandCalls(StartSyncExecutionCommand)).toHaveLength(0);
});

it.each([
  [
    'rate limited',
    { status: 'SUCCEEDED', output: JSON.stringify({ status: 'RATE_LIMITED', sessionId: 's' }) },
    'RATE_LIMITED',
    "can't start a password reset",
  ],
  [
    'unavailable',
    { status: 'SUCCEEDED', output: JSON.stringify({ status: 'UNAVAILABLE', sessionId: 's' }) },
    'UNAVAILABLE',
    'having trouble',
  ],
  ['workflow failed', { status: 'FAILED', error: 'States.Runtime' }, 'UNAVAILABLE', 'having trouble'],
])('%s: closes as Failed with a clear prompt for the agent route', async (_name, output, outcome, words) => {
  sfn.on(StartSyncExecutionCommand).resolves(output as never);
  const result = await turn(
    dialogCodeHookEvent({ inputMode: 'Speech', inputTranscript: 'yes', slots: slots('1234567', null, 'yes', 'text') }),
  );
  expect(result.sessionState).toMatchObject({
    dialogAction: { type: 'Close' },
    intent: { state: 'Failed' },
    sessionAttributes: { authOutcome: outcome },
  });
  expect(result.sessionState.sessionAttributes).not.toHaveProperty('resetSessionId');
  expect(result.messages?.[0]).toMatchObject({ contentType: 'SSML', content: expect.stringContaining(words) });
});

it('a workflow timeout closes as Failed (UNAVAILABLE) within the configured time', async () => {
  // The workflow answers ten times later than WORKFLOW_TIMEOUT_MS: the turn must have closed before it did.
  let workflowAnswered = false;
  sfn.on(StartSyncExecutionCommand).callsFake(
    () =>
      new Promise((resolve) =>
        setTimeout(() => {
          workflowAnswered = true;
          resolve({ status: 'SUCCEEDED', output: '{}' });
        }, 10 * Number(process.env.WORKFLOW_TIMEOUT_MS)).unref(),
      ),
  );
  const result = await turn(
    dialogCodeHookEvent({ inputMode: 'Speech', inputTranscript: 'yes', slots: slots('1234567', null, 'yes', 'text') }),
  );
  expect(result.sessionState).toMatchObject({ intent: { state: 'Failed' }, sessionAttributes: { authOutcome: 'UNAVAILABLE' } });
  expect(workflowAnswered).toBe(false);
});

it('rejects an event that is not a Lex V2 event without leaking a stack to Lex', async () => {
  await expect(turn({} as never)).rejects.toThrow('expected a Lex V2 dialog code hook event');
});
