/**
 * Bad input, as properties (fast-check): whatever reaches the Lex code hook or the Connect Lambdas —
 * arbitrary strings, unicode, control characters, 100 KB values, SSML/XML injection, wrong JSON
 * types, missing fields — the answer is a valid Lex or Connect response (or, for what is not a Lex
 * event at all, a refusal Lex reports as a dependency failure), never an unhandled rejection, and
 * injected markup never reaches SSML unescaped. AWS calls are mocked (aws-sdk-client-mock): these are
 * the error paths; the twin tests cover the real calls.
 */
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { dialogCodeHookEvent, employeeIdSlot } from '../fixtures/lex/dialog-code-hook-event';

Object.assign(process.env, {
  START_WORKFLOW_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:password-reset-start',
  VERIFY_WORKFLOW_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:password-reset-verify',
  WORKFLOW_TIMEOUT_MS: '200',
  CODE_INPUT_KEY_SECRET_ID: 'support-desk/code-input-key',
  PROMPTS_TABLE: 'prompts',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_METRICS_NAMESPACE: 'SupportDesk',
  POWERTOOLS_SERVICE_NAME: 'support-desk',
});
const codeHook =
  require('../../lambdas/handlers/authentication-code-hook') as typeof import('../../lambdas/handlers/authentication-code-hook');
const verifyCode = require('../../lambdas/handlers/verify-code') as typeof import('../../lambdas/handlers/verify-code');
const getPrompts = require('../../lambdas/handlers/get-prompts') as typeof import('../../lambdas/handlers/get-prompts');

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 8000 } as unknown as Context;
let quiet: jest.SpyInstance;
beforeAll(() => {
  quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => quiet.mockRestore());
beforeEach(() => {
  sfn.reset();
  dynamo.reset();
  sfn.on(StartSyncExecutionCommand).resolves({
    status: 'SUCCEEDED',
    output: JSON.stringify({ status: 'CODE_SENT', sessionId: 's-1' }),
    executionArn: 'a',
    startDate: new Date(),
    stopDate: new Date(),
  });
  dynamo.on(GetCommand).resolves({});
});

/** Strings a caller, a misconfigured flow or an attacker might send. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '<speak><audio src="http://evil"/></speak>',
    '"/><say-as interpret-as="characters">',
    '&amp;&lt;',
    ']]><!--',
    '1234567</say-as><break/>',
    '\u0000\u0007\u202e',
    '😀🔑',
    '-1',
    '1.5e3',
    ' 1234567 ',
    '12345678',
  ),
  fc.constant('7'.repeat(100_000)),
);
const anyJson = fc.anything({
  withNullPrototype: false,
  withBigInt: false,
  withDate: false,
  withTypedArray: false,
  withSparseArray: false,
  withMap: false,
  withSet: false,
  withObjectString: false,
  withBoxedValues: false,
});

/** No markup in SSML but the tags the product itself writes. */
function onlyOwnMarkup(ssml: string): boolean {
  const stripped = ssml.replace(/<\/?(speak|say-as|break|prosody|lang)(\s+[a-z:-]+="[^"<>]*")*\s*\/?>/g, '');
  return !/[<>]/.test(stripped);
}

function validLexResult(result: unknown): void {
  const r = result as {
    sessionState: {
      dialogAction: { type: string; slotToElicit?: string };
      sessionAttributes: Record<string, unknown>;
      intent?: { state: string };
    };
    messages?: Array<{ contentType: string; content: string }>;
  };
  expect(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']).toContain(r.sessionState.dialogAction.type);
  if (r.sessionState.dialogAction.type === 'ElicitSlot')
    expect(['EmployeeId', 'EmployeeIdConfirmed', 'VerificationCode']).toContain(r.sessionState.dialogAction.slotToElicit);
  for (const v of Object.values(r.sessionState.sessionAttributes)) expect(typeof v).toBe('string');
  expect(['Failed', 'Fulfilled', 'InProgress', 'ReadyForFulfillment']).toContain(r.sessionState.intent?.state);
  for (const m of r.messages ?? []) {
    expect(['PlainText', 'SSML']).toContain(m.contentType);
    if (m.contentType === 'SSML') expect(onlyOwnMarkup(m.content)).toBe(true);
  }
}

describe('the Lex code hook', () => {
  it('answers any slot values, transcripts and attributes with a valid Lex response', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        fc.option(hostile, { nil: null }),
        fc.constantFrom('None', 'Confirmed', 'Denied') as fc.Arbitrary<'None' | 'Confirmed' | 'Denied'>,
        fc.constantFrom('DTMF', 'Speech', 'Text') as fc.Arbitrary<'DTMF' | 'Speech' | 'Text'>,
        fc.dictionary(fc.string({ maxLength: 20 }), hostile, { maxKeys: 4 }),
        fc.constantFrom('en_US', 'es_US') as fc.Arbitrary<'en_US' | 'es_US'>,
        async (id, code, confirmationState, inputMode, attributes, localeId) => {
          const event = dialogCodeHookEvent({
            inputMode,
            inputTranscript: id,
            slots: { EmployeeId: employeeIdSlot(id), VerificationCode: code === null ? null : employeeIdSlot(code) },
            confirmationState,
            sessionAttributes: attributes,
            localeId,
          });
          validLexResult(await codeHook.handler(event, context));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses what is not a Lex event with a TypeError (Lex: DependencyFailed), never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (event) => {
        try {
          validLexResult(await codeHook.handler(event as never, context));
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the Connect Lambdas', () => {
  const connectEvent = (parameters: Record<string, unknown>, attributes: Record<string, unknown> = {}) => ({
    Name: 'ContactFlowEvent',
    Details: { ContactData: { ContactId: 'c-1', Attributes: attributes, Channel: 'VOICE' }, Parameters: parameters },
  });
  const flatStrings = (out: unknown) => {
    expect(out && typeof out === 'object' && !Array.isArray(out)).toBe(true);
    for (const v of Object.values(out as object)) expect(typeof v).toBe('string');
  };

  it('verify-code answers any parameters with a flat string map and a known status', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('sessionId', 'code', 'other'), fc.oneof(hostile, anyJson)), async (parameters) => {
        sfn.on(StartSyncExecutionCommand).resolves({
          status: 'SUCCEEDED',
          output: JSON.stringify({ status: 'INVALID', attemptsLeft: 2 }),
          executionArn: 'a',
          startDate: new Date(),
          stopDate: new Date(),
        });
        const out = await verifyCode.handler(connectEvent(parameters) as never, context);
        flatStrings(out);
        expect(['RESET', 'INVALID', 'LOCKED', 'EXPIRED', 'UNAVAILABLE', 'NO_INPUT', 'NO_SESSION', 'MALFORMED']).toContain(out.status);
      }),
      { numRuns: 150 },
    );
  });

  it('verify-code survives the workflow failing or timing out', async () => {
    sfn.on(StartSyncExecutionCommand).rejects(new Error('boom'));
    expect(await verifyCode.handler(connectEvent({ sessionId: 's', code: '123456' }) as never, context)).toEqual({
      status: 'UNAVAILABLE',
      attemptsLeft: '',
      passwordSsml: '',
    });
    sfn.on(StartSyncExecutionCommand).callsFake(() => new Promise((r) => setTimeout(r, 2000).unref()));
    expect((await verifyCode.handler(connectEvent({ sessionId: 's', code: '123456' }) as never, context)).status).toBe('UNAVAILABLE');
  });

  it('get-prompts answers any parameters with a flat string map', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('FlowName', 'Locale'), fc.oneof(hostile, anyJson)),
        fc.dictionary(fc.string(), hostile, { maxKeys: 3 }),
        async (parameters, attributes) => {
          const out = await getPrompts.handler(connectEvent(parameters, attributes) as never, context);
          flatStrings(out);
          expect(['200', '400', '404']).toContain(out.statusCode);
        },
      ),
      { numRuns: 150 },
    );
  });
});
