/**
 * The flow check against the AWS flow language reference (local/connect/flow-action-schemas.ts via
 * local/connect/flow-validator.ts): a copy of the project flow with planted defects is refused, each
 * defect named by its action and its JSON path; the console's own export passes; a documented
 * example of every modelled action passes; and one test per rule family.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ACTION_SCHEMAS } from '../../local/connect/flow-action-schemas';
import { RUNNER_ACTION_TYPES } from '../../local/connect/flow-language';
import { checkFlow, describeProblem, jsonPath, validateFlow, type FlowProblem } from '../../local/connect/flow-validator';

const ROOT = resolve(__dirname, '../..');
const read = (file: string) => JSON.parse(readFileSync(resolve(ROOT, file), 'utf8'));
const byId = (flow: any, id: string) => flow.Actions.find((a: { Identifier: string }) => a.Identifier === id);

/** A flow of one action `a` whose transitions all lead to a disconnect (when it has any). */
const flowOf = (action: Record<string, unknown>) => ({
  Version: '2019-10-30',
  StartAction: 'a',
  Actions: [
    { Identifier: 'a', ...action },
    ...(Object.keys(action.Transitions ?? {}).length
      ? [{ Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }]
      : []),
  ],
});
const error = (ErrorType: string) => ({ NextAction: 'end', ErrorType });
const equals = (operand: string) => ({ NextAction: 'end', Condition: { Operator: 'Equals', Operands: [operand] } });
const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:lookup';
const BOT_ALIAS_ARN = 'arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/TSTALIASID';

/** A documented, valid example of every modelled action type. */
const VALID: Record<string, Record<string, unknown>> = {
  MessageParticipant: { Parameters: { Text: 'Hello' }, Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] } },
  GetParticipantInput: {
    Parameters: {
      Text: 'Key in your phone number.',
      InputTimeLimitSeconds: '5',
      StoreInput: 'True',
      InputValidation: { PhoneNumberValidation: { NumberFormat: 'Local', CountryCode: 'US' } },
      DTMFConfiguration: { InputTerminationSequence: '#', DisableCancelKey: 'False', InterdigitTimeLimitSeconds: '3' },
    },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError'), error('InvalidPhoneNumber')] },
  },
  ConnectParticipantWithLexBot: {
    Parameters: {
      SSML: '<speak>How can I help?</speak>',
      LexV2Bot: { AliasArn: BOT_ALIAS_ARN },
      LexSessionAttributes: { caller: '$.CustomerEndpoint.Address' },
    },
    Transitions: { NextAction: 'end', Conditions: [equals('Agent')], Errors: [error('NoMatchingCondition'), error('NoMatchingError')] },
  },
  DisconnectParticipant: { Parameters: {}, Transitions: {} },
  InvokeLambdaFunction: {
    Parameters: {
      LambdaFunctionARN: LAMBDA_ARN,
      InvocationTimeLimitSeconds: '8',
      InvocationType: 'SYNCHRONOUS',
      LambdaInvocationAttributes: { id: '$.Attributes.id' },
      ResponseValidation: { ResponseType: 'JSON' },
    },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
  },
  Compare: {
    Parameters: { ComparisonValue: '$.External.status' },
    Transitions: {
      NextAction: 'end',
      Conditions: [equals('OK'), { NextAction: 'end', Condition: { Operator: 'NumberGreaterThan', Operands: ['3'] } }],
      Errors: [error('NoMatchingCondition')],
    },
  },
  UpdateContactAttributes: {
    Parameters: { Attributes: { status: '$.External.status', fixed: 'yes' }, TargetContact: 'Related' },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
  },
  UpdateContactData: {
    Parameters: {
      LanguageCode: 'es-US',
      Name: 'Call from $.CustomerEndpoint.Address',
      IsVoiceIdStreamingEnabled: 'TRUE',
      VoiceAuthenticationThreshold: '90',
      TargetContact: 'Current',
    },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
  },
  UpdateContactTextToSpeechVoice: {
    Parameters: { TextToSpeechVoice: 'Lupe', TextToSpeechEngine: 'Generative', TextToSpeechStyle: 'Conversational' },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
  },
  Loop: {
    Parameters: { LoopCount: '$.Attributes.tries' },
    Transitions: { NextAction: 'end', Conditions: [equals('ContinueLooping'), equals('DoneLooping')] },
  },
  UpdateContactTargetQueue: {
    Parameters: { AgentId: '6f3b2c1a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
  },
  UpdateContactEventHooks: {
    Parameters: { EventHooks: { CustomerRemaining: 'arn:aws:connect:us-east-1:123456789012:instance/1/contact-flow/2' } },
    Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
  },
  TransferContactToQueue: {
    Parameters: {},
    Transitions: { NextAction: 'end', Errors: [error('QueueAtCapacity'), error('NoMatchingError')] },
  },
  EndFlowExecution: { Parameters: {}, Transitions: {} },
  UpdateFlowLoggingBehavior: { Parameters: { FlowLoggingBehavior: 'Disabled' }, Transitions: { NextAction: 'end' } },
  UpdateContactRecordingBehavior: {
    Parameters: {
      RecordingBehavior: {
        RecordedParticipants: ['Agent', 'Customer'],
        ScreenRecordedParticipants: ['Agent'],
        IVRRecordingBehavior: 'Enabled',
      },
      AnalyticsBehavior: {
        Enabled: 'True',
        AnalyticsLanguage: 'en-US',
        AnalyticsRedactionBehavior: 'Enabled',
        AnalyticsRedactionResults: 'RedactedOnly',
        AnalyticsRedactionEntities: ['PIN', 'PASSWORD'],
        ChannelConfiguration: { Voice: { AnalyticsModes: ['PostContact'] } },
        SentimentConfiguration: { Enabled: 'False' },
      },
    },
    Transitions: { NextAction: 'end' },
  },
  CheckHoursOfOperation: {
    Parameters: { HoursOfOperationId: 'arn:aws:connect:us-east-1:123456789012:instance/abc/operating-hours/def' },
    Transitions: { NextAction: 'end', Conditions: [equals('True'), equals('False')], Errors: [error('NoMatchingError')] },
  },
};
const valid = (type: string) => ({ Type: type, ...structuredClone(VALID[type]!) }) as any;

describe('the project flow with seven planted defects', () => {
  it('is refused, each defect named by its action and where in the action', () => {
    const baseline = validateFlow(read('connect/flows/password-reset.json'));
    const flow = read('connect/flows/password-reset.json');
    byId(flow, 'verify').Parameters.InvocationTimeLimitSeconds = '30';
    byId(flow, 'get-prompts').Parameters.ResponseValidation.ResponseType = 'XML';
    byId(flow, 'greeting').Parameters.Text = 'Welcome.';
    byId(flow, 'language-preset').Transitions.Errors.push({ NextAction: 'language-menu', ErrorType: 'NoMatchingError' });
    for (const prompt of ['Text', 'SSML', 'PromptId', 'Media', 'LexInitializationData']) delete byId(flow, 'menu').Parameters[prompt];
    byId(flow, 'logging-on').Parameters.FlowLoggingBehavior = 'Off';
    byId(flow, 'repeat-offer').Parameters.StoreInput = 'Yes';

    // Whatever the project flow holds today, the defects are what the copy adds, one problem each.
    const same = (a: FlowProblem, b: FlowProblem) => a.identifier === b.identifier && a.path === b.path && a.reason === b.reason;
    const added = validateFlow(flow).filter((p) => !baseline.some((b) => same(p, b)));
    expect(added).toEqual(
      expect.arrayContaining([
        { identifier: 'verify', path: 'Parameters.InvocationTimeLimitSeconds', reason: expect.stringMatching(/from 1 to 8.*"30"/) },
        {
          identifier: 'get-prompts',
          path: 'Parameters.ResponseValidation.ResponseType',
          reason: expect.stringMatching(/"STRING_MAP" or "JSON".*"XML"/),
        },
        {
          identifier: 'greeting',
          path: 'Parameters.SSML',
          reason: expect.stringContaining('only one of these properties may be defined: [Text, SSML]'),
        },
        {
          identifier: 'language-preset',
          path: `Transitions.Errors[${byId(flow, 'language-preset').Transitions.Errors.length - 1}].ErrorType`,
          reason: expect.stringContaining('Compare may not declare the error "NoMatchingError"'),
        },
        {
          identifier: 'menu',
          path: 'Parameters',
          reason: 'At least one of [Text, SSML, PromptId, Media, LexInitializationData] must be set',
        },
        {
          identifier: 'logging-on',
          path: 'Parameters.FlowLoggingBehavior',
          reason: expect.stringMatching(/"Enabled" or "Disabled".*"Off"/),
        },
        { identifier: 'repeat-offer', path: 'Parameters.StoreInput', reason: expect.stringMatching(/"True" or "False".*"Yes"/) },
      ]),
    );
    expect(added).toHaveLength(7);
  });

  it('reports them as flow:check prints them: <Identifier> <path>: <reason>', () => {
    expect(describeProblem({ identifier: 'verify', path: 'Parameters.InvocationTimeLimitSeconds', reason: 'too long' })).toBe(
      'verify Parameters.InvocationTimeLimitSeconds: too long',
    );
    expect(describeProblem({ identifier: 'orphan', reason: 'unreachable from StartAction' })).toBe('orphan: unreachable from StartAction');
    expect(jsonPath('/Transitions/Errors/1/ErrorType')).toBe('Transitions.Errors[1].ErrorType');
    expect(jsonPath('/Parameters/LexSessionAttributes/x-amz-lex:dtmf:max-length:*:*')).toBe(
      'Parameters.LexSessionAttributes["x-amz-lex:dtmf:max-length:*:*"]',
    );
  });
});

describe('flows that AWS accepts', () => {
  it('passes the seed flow exported from a real Connect instance', () => {
    expect(checkFlow(read('test/fixtures/connect/seed-contact-flow.json'))).toEqual({ errors: [], warnings: [] });
  });

  it.each(Object.keys(VALID))('passes a documented %s', (type) => {
    expect(validateFlow(flowOf(valid(type)))).toEqual([]);
  });

  it('has a schema, and an example, for every action type the runner runs', () => {
    for (const type of RUNNER_ACTION_TYPES) expect(Object.keys(ACTION_SCHEMAS)).toContain(type);
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(ACTION_SCHEMAS).sort());
  });
});

describe('rule families', () => {
  it('refuses a parameter its page does not list, and names the documented one it resembles', () => {
    const lex = valid('ConnectParticipantWithLexBot');
    lex.Parameters.LexInitilizationData = { InitialMessage: 'hi' };
    lex.Comment = 'not part of an action';
    expect(validateFlow(flowOf(lex))).toEqual([
      { identifier: 'a', path: 'Comment', reason: 'unknown property Comment' },
      {
        identifier: 'a',
        path: 'Parameters.LexInitilizationData',
        reason: 'unknown parameter LexInitilizationData for ConnectParticipantWithLexBot (did you mean LexInitializationData?)',
      },
    ]);
    const transfer = valid('TransferContactToQueue');
    transfer.Parameters.QueueId = 'arn:aws:connect:us-east-1:123456789012:instance/i/queue/q';
    expect(validateFlow(flowOf(transfer))).toEqual([
      { identifier: 'a', path: 'Parameters.QueueId', reason: 'unknown parameter QueueId for TransferContactToQueue' },
    ]);
  });

  it('sets exactly one event hook, of a documented event, to a flow ID, ARN or one reference', () => {
    const hooks = (EventHooks: unknown) => {
      const action = valid('UpdateContactEventHooks');
      action.Parameters.EventHooks = EventHooks;
      return validateFlow(flowOf(action)).map((p) => p.path);
    };
    expect(hooks({ CustomerRemaining: '$.Attributes.readoutFlow' })).toEqual([]);
    expect(hooks({})).not.toEqual([]);
    expect(hooks({ CustomerRemaining: 'arn:aws:connect:us-east-1:123456789012:instance/1/contact-flow/2', CustomerHold: 'x' })).not.toEqual(
      [],
    );
    expect(hooks({ AgentDisconnect: 'arn:aws:connect:us-east-1:123456789012:instance/1/contact-flow/2' })).not.toEqual([]);
    expect(hooks({ CustomerRemaining: 'not a flow' })).not.toEqual([]);
  });

  it('allows at most one of Text, SSML, PromptId and Media, and requires one where the message is the point', () => {
    const message = valid('MessageParticipant');
    message.Parameters.SSML = '<speak>Hello</speak>';
    expect(validateFlow(flowOf(message))).toEqual([
      {
        identifier: 'a',
        path: 'Parameters.SSML',
        reason: expect.stringContaining('only one of these properties may be defined: [Text, SSML]'),
      },
    ]);
    const input = valid('GetParticipantInput');
    input.Parameters.PromptId = '$.Attributes.promptId';
    expect(validateFlow(flowOf(input))).toEqual([
      { identifier: 'a', path: 'Parameters.PromptId', reason: expect.stringContaining('[Text, PromptId]') },
    ]);
    const silent = valid('MessageParticipant');
    delete silent.Parameters.Text;
    expect(validateFlow(flowOf(silent))).toEqual([
      { identifier: 'a', path: 'Parameters', reason: 'At least one of [Text, SSML, PromptId, Media] must be set' },
    ]);
    const lex = valid('ConnectParticipantWithLexBot');
    lex.Parameters.LexInitializationData = { InitialMessage: 'I forgot my password' };
    expect(validateFlow(flowOf(lex), { channel: 'CHAT' })).toEqual([
      { identifier: 'a', path: 'Parameters.LexInitializationData', reason: expect.stringContaining('[SSML, LexInitializationData]') },
      // and SSML is for voice
      { identifier: 'a', path: 'Parameters.SSML', reason: 'SSML is only supported on the VOICE channel; this flow is checked as CHAT' },
    ]);
  });

  it('lets each action declare only the errors its page lists, each once, and the ones it must', () => {
    const compare = valid('Compare');
    compare.Transitions.Errors.push(error('NoMatchingError'));
    expect(validateFlow(flowOf(compare))).toEqual([
      {
        identifier: 'a',
        path: 'Transitions.Errors[1].ErrorType',
        reason: 'Compare may not declare the error "NoMatchingError" (it may declare NoMatchingCondition)',
      },
    ]);
    for (const type of ['UpdateFlowLoggingBehavior', 'UpdateContactRecordingBehavior']) {
      const action = valid(type);
      action.Transitions.Errors = [error('NoMatchingError')];
      expect(validateFlow(flowOf(action))).toEqual([
        { identifier: 'a', path: 'Transitions.Errors[0].ErrorType', reason: `${type} declares no errors, got "NoMatchingError"` },
      ]);
    }
    const lambda = valid('InvokeLambdaFunction');
    lambda.Transitions.Errors = [];
    lambda.Transitions.Conditions = [equals('200')];
    expect(validateFlow(flowOf(lambda))).toEqual([
      { identifier: 'a', path: 'Transitions.Conditions', reason: 'InvokeLambdaFunction supports no conditions' },
      { identifier: 'a', path: 'Transitions.Errors', reason: 'must declare the error NoMatchingError' },
    ]);
    const queue = valid('TransferContactToQueue');
    queue.Transitions.Errors.push(error('QueueAtCapacity'));
    expect(validateFlow(flowOf(queue))).toEqual([
      { identifier: 'a', path: 'Transitions.Errors[2].ErrorType', reason: '"QueueAtCapacity" is declared twice' },
    ]);
    const loop = valid('Loop');
    loop.Transitions.Conditions = [equals('ContinueLooping'), equals('Done')];
    expect(validateFlow(flowOf(loop))).toEqual([
      { identifier: 'a', path: 'Transitions.Conditions', reason: 'must have a condition Equals "DoneLooping"' },
      { identifier: 'a', path: 'Transitions.Conditions[1].Condition.Operands[0]', reason: expect.stringContaining('got "Done"') },
    ]);
  });

  describe('GetParticipantInput, whose errors and conditions depend on StoreInput', () => {
    const menu = () => ({
      Type: 'GetParticipantInput',
      Parameters: { Text: 'Press 1 or 2.', InputTimeLimitSeconds: '5', StoreInput: 'False' },
      Transitions: {
        NextAction: 'end',
        Conditions: [equals('1'), equals('2')],
        Errors: [error('InputTimeLimitExceeded'), error('NoMatchingCondition'), error('NoMatchingError')],
      },
    });
    const store = () => ({
      Type: 'GetParticipantInput',
      Parameters: {
        Text: 'Key in your code.',
        InputTimeLimitSeconds: '10',
        StoreInput: 'True',
        InputValidation: { CustomValidation: { MaximumLength: '7' } },
      },
      Transitions: { NextAction: 'end', Errors: [error('NoMatchingError')] },
    });

    it('passes a menu (StoreInput "False") and a stored input (StoreInput "True") as documented', () => {
      expect(validateFlow(flowOf(menu()))).toEqual([]);
      expect(validateFlow(flowOf(store()))).toEqual([]);
    });

    it('refuses InputTimeLimitExceeded, NoMatchingCondition and conditions with StoreInput "True"', () => {
      const action = store() as any;
      action.Transitions.Errors.push(error('InputTimeLimitExceeded'), error('NoMatchingCondition'));
      action.Transitions.Conditions = [equals('1')];
      expect(validateFlow(flowOf(action))).toEqual([
        { identifier: 'a', path: 'Transitions.Conditions', reason: 'GetParticipantInput with StoreInput "True" supports no conditions' },
        {
          identifier: 'a',
          path: 'Transitions.Errors[1].ErrorType',
          reason:
            'GetParticipantInput with StoreInput "True" may not declare the error "InputTimeLimitExceeded" (it may declare NoMatchingError)',
        },
        {
          identifier: 'a',
          path: 'Transitions.Errors[2].ErrorType',
          reason:
            'GetParticipantInput with StoreInput "True" may not declare the error "NoMatchingCondition" (it may declare NoMatchingError)',
        },
      ]);
    });

    it('requires InputValidation with StoreInput "True", and InvalidPhoneNumber with a phone number validation', () => {
      const bare = store() as any;
      delete bare.Parameters.InputValidation;
      expect(validateFlow(flowOf(bare))).toEqual([
        { identifier: 'a', path: 'Parameters.InputValidation', reason: 'InputValidation is required when StoreInput is "True"' },
      ]);
      const phone = store() as any;
      phone.Parameters.InputValidation = { PhoneNumberValidation: { NumberFormat: 'E164' } };
      expect(validateFlow(flowOf(phone))).toEqual([
        { identifier: 'a', path: 'Transitions.Errors', reason: 'must declare the error InvalidPhoneNumber' },
      ]);
    });

    it('with StoreInput "False", requires all three errors, refuses InputValidation and compares single keys', () => {
      const action = menu() as any;
      action.Transitions.Errors = [error('NoMatchingError')];
      action.Transitions.Conditions.push(equals('12'));
      action.Parameters.InputValidation = { CustomValidation: { MaximumLength: '2' } };
      expect(validateFlow(flowOf(action))).toEqual([
        { identifier: 'a', path: 'Parameters.InputValidation', reason: 'InputValidation may only be set when StoreInput is "True"' },
        {
          identifier: 'a',
          path: 'Transitions.Conditions[2].Condition.Operands[0]',
          reason: 'must be a single DTMF key (0-9, *, #), static, got "12"',
        },
        { identifier: 'a', path: 'Transitions.Errors', reason: 'must declare the error InputTimeLimitExceeded' },
        { identifier: 'a', path: 'Transitions.Errors', reason: 'must declare the error NoMatchingCondition' },
      ]);
    });

    it('refuses a StoreInput that is not the string "True" or "False", and numbers that are not strings', () => {
      const action = menu() as any;
      action.Parameters.StoreInput = 'true';
      action.Parameters.InputTimeLimitSeconds = 5;
      expect(validateFlow(flowOf(action))).toEqual([
        {
          identifier: 'a',
          path: 'Parameters.InputTimeLimitSeconds',
          reason: 'must be a string, got 5 (the flow language writes numbers and booleans as strings)',
        },
        { identifier: 'a', path: 'Parameters.StoreInput', reason: 'must be "True" or "False" (a string, set statically), got "true"' },
      ]);
    });
  });

  it('refuses LexInitializationData on a voice flow (the default), and accepts it on chat', () => {
    const lex = valid('ConnectParticipantWithLexBot');
    delete lex.Parameters.SSML;
    lex.Parameters.LexInitializationData = { InitialMessage: 'I forgot my password' };
    expect(validateFlow(flowOf(lex))).toEqual([
      {
        identifier: 'a',
        path: 'Parameters.LexInitializationData',
        reason: 'LexInitializationData is only supported on the CHAT channel; this flow is checked as VOICE',
      },
    ]);
    expect(validateFlow(flowOf(lex), { channel: 'VOICE' })).toEqual(validateFlow(flowOf(lex)));
    expect(validateFlow(flowOf(lex), { channel: 'CHAT' })).toEqual([]);
  });

  it('refuses an action type without a schema, and only warns with allowUnknownTypes (flow:check --allow-unknown)', () => {
    const jingle = { Type: 'PlayJingle', Parameters: {}, Transitions: { NextAction: 'end' } };
    const noSchema = { identifier: 'a', path: 'Type', reason: 'action type PlayJingle has no schema' };
    const notRunnable = { identifier: 'a', reason: 'action type PlayJingle is not supported by the runner' };
    expect(checkFlow(flowOf(jingle))).toEqual({ errors: [notRunnable, noSchema], warnings: [] });
    expect(checkFlow(flowOf(jingle), { allowUnknownTypes: true })).toEqual({ errors: [notRunnable], warnings: [noSchema] });
    // A flow meant for AWS only (flow:check --allow-unknown --no-runner).
    expect(checkFlow(flowOf(jingle), { allowUnknownTypes: true, requireRunnable: false })).toEqual({ errors: [], warnings: [noSchema] });
    expect(checkFlow(flowOf({ ...jingle, Type: 'MessageParticipants' })).errors).toContainEqual({
      identifier: 'a',
      path: 'Type',
      reason: 'action type MessageParticipants has no schema (did you mean MessageParticipant?)',
    });
  });

  it('checks the flow envelope: identifiers, terminal actions, the number of actions', () => {
    const flow = flowOf({ Type: 'EndFlowExecution', Parameters: {}, Transitions: { NextAction: 'the end: goodbye' } }) as any;
    flow.Actions[1].Identifier = 'the end: goodbye';
    expect(validateFlow(flow)).toEqual([
      { identifier: 'a', path: 'Transitions', reason: 'must be an empty object: this action ends the flow' },
      { identifier: 'the end: goodbye', path: 'Identifier', reason: expect.stringContaining('without % : ( \\ / ) = $ , ; [ ] { }') },
    ]);
    const big = flowOf(valid('UpdateFlowLoggingBehavior')) as any;
    for (let i = 0; i < 250; i += 1) big.Actions.push({ Identifier: `x${i}`, Type: 'EndFlowExecution', Parameters: {}, Transitions: {} });
    expect(validateFlow(big)).toContainEqual({
      identifier: '(flow)',
      path: 'Actions',
      reason: 'a flow may have no more than 250 actions, got 252',
    });
  });
});
