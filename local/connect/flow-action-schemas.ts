/**
 * One JSON Schema per action type of the Amazon Connect Flow language (Version 2019-10-30): the
 * parameters an action may and must have, the form of each value, the error types it may (and must)
 * declare in Transitions.Errors and the conditions it supports. `flow-validator.ts` checks every
 * action of a flow against the schema of its Type with ajv, so each problem comes with a JSON path.
 *
 * Hand-written, because AWS publishes no machine-readable schema for the flow language: Connect only
 * answers `InvalidContactFlowException` when a flow is saved. Each schema is transcribed from its
 * action's page in the API Reference (https://docs.aws.amazon.com/connect/latest/APIReference/),
 * cited next to it and in its `$comment`. Where a page is silent or unclear the schema refuses and
 * its comment says so (twin rule: the twin may never be more lenient than AWS, docs/design.md, "As
 * strict as AWS"); a refusal the real service does not make costs an edit, a missed one a failed deploy.
 *
 * Besides standard JSON Schema (draft-07, as ajv compiles it) the schemas use these keywords, which
 * the validator implements:
 *   x-reason               the reason reported when a keyword of this (sub)schema fails; `{value}` is the offending value
 *   x-integer              a string holding a whole number in [minimum, maximum] (`reference: true`: or a single `$.` reference)
 *   x-atMostOneOf          object: groups of properties of which at most one may be set
 *   x-atLeastOneOf         object: groups of properties of which at least one must be set
 *   x-forbidden            object: properties that may not be set here, with the reason
 *   x-channels             this value (an action, a parameter) is supported only on these channels (or `{channels, reason}`)
 *   x-requiredErrors       Transitions: error types that must be declared
 *   x-requiredConditions   Transitions: operands that must each have an `Equals` condition
 *   x-distinct             array: no two items may have the same value at this path (`a/b/0`)
 */

/** The channels a flow can serve; some parameters (and GetParticipantInput) are for some of them only. */
export const FLOW_CHANNELS = ['VOICE', 'CHAT', 'TASK', 'EMAIL'] as const;
export type FlowChannel = (typeof FLOW_CHANNELS)[number];

/** A JSON Schema object, with the keywords listed above. */
export type ActionSchema = { readonly [keyword: string]: unknown };

const API = 'https://docs.aws.amazon.com/connect/latest/APIReference';

// ---------------------------------------------------------------------------------------------
// Value forms. "Parameter restrictions" (${API}/flow-language-actions-parameter-restrictions.html):
// "Must be defined statically" = no JSONPath at all; "statically or as a single valid JSONPath
// identifier" = the whole value is one `$.` reference; "statically or dynamically" = anything goes.
// Numbers and booleans are strings in the flow language (every example and console export writes
// "8", "True"); a JSON number or boolean is refused.
// ---------------------------------------------------------------------------------------------

/** A single `$.` reference, in the grammar `flow-language.ts#isWellFormedReference` checks further. */
export const REFERENCE = String.raw`\$\.[A-Za-z]+(?:\.[A-Za-z0-9_-]+)*`;
/** A `${Key}` placeholder (catalogue/placeholders.ts): an ARN CDK or the twin fills in before Connect sees the flow. */
const PLACEHOLDER = String.raw`\$\{[A-Za-z0-9_]+\}`;
/**
 * An ARN. Its service and resource type are not checked: Connect resolves the resource itself when
 * the flow is saved, which no offline check can do.
 */
const ARN = String.raw`arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:\S+`;
/** A Connect resource ID (queue, prompt, hours of operation, agent): a UUID. */
const RESOURCE_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A value that holds a `$.` reference somewhere ("defined dynamically"). */
const DYNAMIC = String.raw`[\s\S]*\$\.[\s\S]*`;

const whole = (pattern: string, reason: string): ActionSchema => ({ type: 'string', pattern: `^(?:${pattern})$`, 'x-reason': reason });

/** "May be defined statically or dynamically": any non-empty string. */
const TEXT: ActionSchema = { type: 'string', minLength: 1, 'x-reason': 'must be a non-empty string, got {value}' };
/** "Must be defined statically": a non-empty string without a `$.` reference. */
const STATIC_TEXT = whole(
  String.raw`(?![\s\S]*\$\.)[\s\S]+`,
  'must be set statically (a non-empty string without a $. reference), got {value}',
);
/** An ID or ARN "statically or as a single valid JSONPath identifier". */
const ID_OR_ARN = whole(
  `${ARN}|${RESOURCE_ID}|${PLACEHOLDER}|${REFERENCE}`,
  'must be an ID (UUID), an ARN, a catalogue placeholder or a single $. reference, got {value}',
);
/** An ARN "statically or dynamically". */
const ARN_OR_DYNAMIC = whole(
  `${ARN}|${PLACEHOLDER}|${DYNAMIC}`,
  'must be an ARN, a catalogue placeholder or a value with a $. reference, got {value}',
);
/** A whole number written as a string (a static value; `reference`: or a single `$.` reference). */
const integer = (minimum: number, maximum?: number, reference = false): ActionSchema => ({
  type: 'string',
  'x-integer': { minimum, ...(maximum === undefined ? {} : { maximum }), reference },
});
/** One of `values`, set statically. */
const choice = (values: readonly string[]): ActionSchema => ({
  enum: [...values],
  'x-reason': `must be ${values.map((v) => `"${v}"`).join(' or ')} (a string, set statically), got {value}`,
});
/** One of `values`, or ("statically or dynamically") a value with a `$.` reference. */
const choiceOrDynamic = (values: readonly string[]): ActionSchema =>
  whole(
    `${values.join('|')}|${DYNAMIC}`,
    `must be ${values.map((v) => `"${v}"`).join(' or ')} or a value with a $. reference, got {value}`,
  );
const TRUE_FALSE = choice(['True', 'False']);
/** A language code as Connect writes them (en-US). */
const LANGUAGE_CODE = whole('[a-z]{2,3}-[A-Z]{2}', 'must be a language code such as "en-US" (set statically), got {value}');
/** A map whose keys and values may both be static or dynamic. */
const MAP: ActionSchema = {
  type: 'object',
  propertyNames: { minLength: 1 },
  additionalProperties: { type: 'string', 'x-reason': 'must be a string (keys and values are strings), got {value}' },
};
/**
 * JSON Schema's if/then/else, built from entries: a literal `then` key trips Biome's noThenProperty,
 * which guards against objects mistaken for promises (a schema never is one).
 */
const when = (condition: ActionSchema, consequence: ActionSchema, alternative?: ActionSchema): ActionSchema =>
  Object.fromEntries([['if', condition], ['then', consequence], ...(alternative ? [['else', alternative]] : [])]);
const object = (properties: Record<string, ActionSchema>, required: readonly string[] = [], extra: ActionSchema = {}): ActionSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length ? { required: [...required] } : {}),
  ...extra,
});

// ---------------------------------------------------------------------------------------------
// The action envelope and transitions: ${API}/flow-language-actions.html
// ---------------------------------------------------------------------------------------------

/** Identifiers the Actions page forbids (it also caps them at 50 characters and bans some characters). */
const RESERVED_IDENTIFIERS = [
  '__proto__',
  'constructor',
  '__defineGetter__',
  '__defineSetter__',
  'toString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'valueOf',
];
const IDENTIFIER: ActionSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 50,
  pattern: String.raw`^[^%:()\\/=$,;\[\]{}]*$`,
  not: { enum: RESERVED_IDENTIFIERS },
  'x-reason': `must be 1 to 50 characters without % : ( \\ / ) = $ , ; [ ] { } and not one of ${RESERVED_IDENTIFIERS.join(', ')}, got {value}`,
};
const NEXT_ACTION: ActionSchema = { type: 'string', minLength: 1, 'x-reason': 'must be the Identifier of an action, got {value}' };

/** The operators of the "List of Operators"; each takes exactly one string operand. */
const OPERATORS = [
  'Equals',
  'TextStartsWith',
  'TextEndsWith',
  'TextContains',
  'NumberGreaterThan',
  'NumberGreaterOrEqualTo',
  'NumberLessThan',
  'NumberLessOrEqualTo',
] as const;
/**
 * A condition operand. The Operators table types them "String"; it does not say an operand may be
 * dynamic (only GetParticipantInput says "must be static"), so a `$.` reference is refused.
 */
const STATIC_OPERAND: ActionSchema = {
  type: 'string',
  pattern: String.raw`^(?![\s\S]*\$\.)`,
  'x-reason': 'must be a static string (the page does not allow a $. reference in an operand), got {value}',
};

/**
 * The error types an action may declare; each at most once (a second branch for one error is
 * ambiguous: refused). `channels`: errors raised only on some channels, with the reason.
 */
const errors = (
  type: string,
  allowed: readonly string[],
  context = '',
  channels: Readonly<Record<string, { channels: readonly FlowChannel[]; reason: string }>> = {},
): ActionSchema => ({
  type: 'array',
  'x-distinct': 'ErrorType',
  items: object(
    {
      NextAction: NEXT_ACTION,
      ErrorType: allowed.length
        ? { enum: [...allowed], 'x-reason': `${type}${context} may not declare the error {value} (it may declare ${allowed.join(', ')})` }
        : { not: {}, 'x-reason': `${type}${context} declares no errors, got {value}` },
    },
    ['NextAction', 'ErrorType'],
    Object.keys(channels).length
      ? {
          allOf: Object.entries(channels).map(([errorType, only]) =>
            when(
              { properties: { ErrorType: { const: errorType } }, required: ['ErrorType'] },
              { properties: { ErrorType: { 'x-channels': { channels: [...only.channels], reason: only.reason } } } },
            ),
          ),
        }
      : {},
  ),
});

/** Conditions with these operators on an operand of this form. */
const conditions = (type: string, operators: readonly string[], operand: ActionSchema, context = ''): ActionSchema => ({
  type: 'array',
  items: object(
    {
      NextAction: NEXT_ACTION,
      Condition: object(
        {
          Operator: {
            enum: [...operators],
            'x-reason': `${type}${context} supports only the operators ${operators.join(', ')}, got {value}`,
          },
          Operands: { type: 'array', minItems: 1, maxItems: 1, items: operand, 'x-reason': 'must hold exactly one operand' },
        },
        ['Operator', 'Operands'],
      ),
    },
    ['NextAction', 'Condition'],
  ),
});
const noConditions = (type: string, context = ''): ActionSchema => ({
  type: 'array',
  maxItems: 0,
  'x-reason': `${type}${context} supports no conditions`,
});

interface TransitionSpec {
  /** Error types the page lists. */
  errors: readonly string[];
  /** Of those, the ones raised only on some channels. */
  errorChannels?: Parameters<typeof errors>[3];
  /** Of those, the ones that must be declared. */
  required?: readonly string[];
  /** Conditions schema; none supported when absent. */
  conditions?: ActionSchema;
  /** Whether at least one condition is required. */
  conditionsRequired?: boolean;
  /** Operands that must each have an `Equals` condition. */
  requiredConditions?: readonly string[];
}

/** Transitions of an action that runs on: NextAction is required (every console export writes it). */
const transitions = (type: string, spec: TransitionSpec): ActionSchema =>
  object(
    {
      NextAction: NEXT_ACTION,
      Errors: errors(type, spec.errors, '', spec.errorChannels),
      Conditions: spec.conditions ?? noConditions(type),
    },
    spec.conditionsRequired ? ['NextAction', 'Conditions'] : ['NextAction'],
    {
      ...(spec.required?.length ? { 'x-requiredErrors': [...spec.required] } : {}),
      ...(spec.requiredConditions?.length ? { 'x-requiredConditions': [...spec.requiredConditions] } : {}),
    },
  );

/** "Certain Actions terminate ... Transitions must be defined as an empty object." */
const TERMINAL: ActionSchema = {
  type: 'object',
  maxProperties: 0,
  'x-reason': 'must be an empty object: this action ends the flow',
};

const action = (type: string, source: string, parameters: ActionSchema, transitionSchema: ActionSchema, extra: ActionSchema = {}) =>
  ({
    $comment: source,
    ...object({ Identifier: IDENTIFIER, Type: { const: type }, Parameters: parameters, Transitions: transitionSchema }, [
      'Identifier',
      'Type',
      'Parameters',
      'Transitions',
    ]),
    ...extra,
  }) satisfies ActionSchema;

// ---------------------------------------------------------------------------------------------
// Prompts, shared by MessageParticipant, GetParticipantInput and ConnectParticipantWithLexBot.
// ---------------------------------------------------------------------------------------------

const PROMPT = {
  Text: TEXT,
  SSML: TEXT,
  // "A prompt ID or prompt ARN ... statically or as a single valid JSONPath identifier."
  PromptId: ID_OR_ARN,
  // "Uri: Location of the message. SourceType: The only supported type is S3. MediaType: The only
  // supported type is Audio." The page marks none optional: all three are required. Whether Uri may
  // be dynamic is not said: it must be static.
  Media: object(
    {
      Uri: STATIC_TEXT,
      SourceType: { const: 'S3', 'x-reason': 'must be "S3" (the only supported source), got {value}' },
      MediaType: { const: 'Audio', 'x-reason': 'must be "Audio" (the only supported type), got {value}' },
    },
    ['Uri', 'SourceType', 'MediaType'],
  ),
} as const;
const PROMPT_KEYS = Object.keys(PROMPT);
/** "PromptId and SSML are only supported for the voice channel. All other channels support only Text." (MessageParticipant) */
const VOICE_PROMPT = {
  ...PROMPT,
  PromptId: { ...PROMPT.PromptId, 'x-channels': ['VOICE'] },
  SSML: { ...PROMPT.SSML, 'x-channels': ['VOICE'] },
};

// ---------------------------------------------------------------------------------------------
// The schemas.
// ---------------------------------------------------------------------------------------------

// ${API}/participant-actions-messageparticipant.html
// PromptId, Text, SSML and Media: "May not be specified if ... is also specified" (at most one). The
// page marks each "optional" but a message with nothing to say is not documented: one is required.
// "PromptId and SSML are only supported for the voice channel. All other channels support only Text."
// Errors: NoMatchingError. Whether it must be declared is not said: it must (every export declares it).
const MessageParticipant = action(
  'MessageParticipant',
  `${API}/participant-actions-messageparticipant.html`,
  object(VOICE_PROMPT, [], {
    'x-atMostOneOf': [PROMPT_KEYS],
    'x-atLeastOneOf': [PROMPT_KEYS],
  }),
  transitions('MessageParticipant', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/participant-actions-getparticipantinput.html
// At most one of PromptId, Text, SSML, Media ("May not be specified if ..."), all optional.
// InputTimeLimitSeconds: "Must be defined statically, and must be a valid integer larger than
// zero"; the page gives no maximum, the Get customer input block allows 1 to 180
// (https://docs.aws.amazon.com/connect/latest/adminguide/get-customer-input.html): 180 is the cap.
// StoreInput: "True" or "False", static. The page reads it as optional ("not defined or False") but
// the service has been seen to refuse a flow without it: required.
// InputValidation: "required if and only if StoreInput is True"; PhoneNumberValidation or
// CustomValidation, never both; CountryCode "must be defined" when NumberFormat is Local (and, not
// documented for E164, is refused there). InputEncryption "May only be specified if CustomValidation
// is provided". DTMFConfiguration.InputTerminationSequence: "Up to five digits" (DTMF keys 0-9 * #);
// InterdigitTimeLimitSeconds: an integer from 1 to 20.
// Results and conditions: with StoreInput "True" there is no result and conditions are not
// supported; with "False" only Equals, on "a single character - 0-9 numeric, *, or #", static.
// Errors: NoMatchingError "Must always be defined". NoMatchingCondition "Must be defined only if
// StoreInput is False", InvalidPhoneNumber "only if StoreInput is true, and PhoneNumberValidation is
// specified", InputTimeLimitExceeded "if there is no response before InputTimeLimitSeconds". With
// StoreInput "True" a timeout is not an error (the input is stored as "Timeout", admin guide, Store
// customer input) and Connect refuses a flow that declares InputTimeLimitExceeded there. Whether the
// errors a configuration may declare must also be declared is not said: they must (NoMatchingError
// and NoMatchingCondition are documented as required; InputTimeLimitExceeded and InvalidPhoneNumber
// are refused when missing for want of a statement either way).
// "This action is only supported on the voice channel."
const STORE_INPUT_TRUE = ' with StoreInput "True"';
const STORE_INPUT_FALSE = ' with StoreInput "False"';
const storeInputIs = (value: 'True' | 'False'): ActionSchema => ({
  properties: { Parameters: { properties: { StoreInput: { const: value } }, required: ['StoreInput'] } },
});
const GetParticipantInput = action(
  'GetParticipantInput',
  `${API}/participant-actions-getparticipantinput.html`,
  object(
    {
      ...PROMPT,
      InputTimeLimitSeconds: integer(1, 180),
      StoreInput: TRUE_FALSE,
      InputValidation: object(
        {
          PhoneNumberValidation: object(
            {
              NumberFormat: choice(['Local', 'E164']),
              CountryCode: whole('[A-Z]{2}', 'must be a two-letter country code such as "US", got {value}'),
            },
            ['NumberFormat'],
            when(
              { properties: { NumberFormat: { const: 'Local' } } },
              { required: ['CountryCode'], 'x-reason': 'CountryCode is required when NumberFormat is "Local"' },
              { 'x-forbidden': { CountryCode: 'CountryCode is only documented for NumberFormat "Local"' } },
            ),
          ),
          CustomValidation: object({ MaximumLength: integer(1) }, ['MaximumLength']),
        },
        [],
        {
          'x-atMostOneOf': [['PhoneNumberValidation', 'CustomValidation']],
          'x-atLeastOneOf': [['PhoneNumberValidation', 'CustomValidation']],
        },
      ),
      InputEncryption: object({ EncryptionKeyId: TEXT, Key: TEXT }, ['EncryptionKeyId', 'Key']),
      DTMFConfiguration: object({
        InputTerminationSequence: whole('[0-9*#]{1,5}', 'must be one to five DTMF keys (0-9, *, #), got {value}'),
        DisableCancelKey: TRUE_FALSE,
        InterdigitTimeLimitSeconds: integer(1, 20),
      }),
    },
    ['InputTimeLimitSeconds', 'StoreInput'],
    {
      'x-atMostOneOf': [PROMPT_KEYS],
      ...when(
        { properties: { InputValidation: { required: ['CustomValidation'] } }, required: ['InputValidation'] },
        {},
        { 'x-forbidden': { InputEncryption: 'InputEncryption may only be set with InputValidation.CustomValidation' } },
      ),
    },
  ),
  // The allowed errors and conditions depend on StoreInput: see allOf below.
  object({ NextAction: NEXT_ACTION, Errors: { type: 'array', 'x-distinct': 'ErrorType' }, Conditions: { type: 'array' } }, ['NextAction']),
  {
    'x-channels': ['VOICE'],
    ...when(
      storeInputIs('True'),
      {
        properties: {
          Parameters: { required: ['InputValidation'], 'x-reason': 'InputValidation is required when StoreInput is "True"' },
          Transitions: { properties: { Conditions: noConditions('GetParticipantInput', STORE_INPUT_TRUE) } },
        },
        ...when(
          {
            properties: {
              Parameters: { properties: { InputValidation: { required: ['PhoneNumberValidation'] } }, required: ['InputValidation'] },
            },
          },
          {
            properties: {
              Transitions: {
                properties: {
                  Errors: errors(
                    'GetParticipantInput',
                    ['NoMatchingError', 'InvalidPhoneNumber'],
                    `${STORE_INPUT_TRUE} and PhoneNumberValidation`,
                  ),
                },
                'x-requiredErrors': ['NoMatchingError', 'InvalidPhoneNumber'],
              },
            },
          },
          {
            properties: {
              Transitions: {
                properties: { Errors: errors('GetParticipantInput', ['NoMatchingError'], STORE_INPUT_TRUE) },
                'x-requiredErrors': ['NoMatchingError'],
              },
            },
          },
        ),
      },
      {
        properties: {
          Parameters: {
            'x-forbidden': {
              InputValidation: 'InputValidation may only be set when StoreInput is "True"',
              InputEncryption: 'InputEncryption may only be set when StoreInput is "True"',
            },
          },
          Transitions: {
            properties: {
              Conditions: conditions(
                'GetParticipantInput',
                ['Equals'],
                whole('[0-9*#]', 'must be a single DTMF key (0-9, *, #), static, got {value}'),
                STORE_INPUT_FALSE,
              ),
              Errors: errors(
                'GetParticipantInput',
                ['InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError'],
                STORE_INPUT_FALSE,
              ),
            },
            'x-requiredErrors': ['InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError'],
          },
        },
      },
    ),
  },
);

// ${API}/participant-actions-connectparticipantwithlexbot.html
// "Provide either LexBot or LexV2Bot": exactly one. PromptId and SSML: the page does not say on
// which channels; MessageParticipant's says they are voice-only, and so they are here. LexV2Bot.AliasArn "statically or dynamically";
// LexBot Name, Region, Alias likewise. LexSessionAttributes: keys and values static or dynamic.
// The prompt: Connect answers "At least one of [Text, SSML, PromptId, Media, LexInitializationData]
// must be set" and "Only one of these properties may be defined", so exactly one of the five.
// LexInitializationData: "Lex initialization experience is only supported for Chat channel today.
// The Voice channel is not supported." InitialMessage is "an optional string".
// LexTimeoutSeconds: the action syntax gives Text as a number, the text as "a string that defines
// the Lex timer length for chat", and no literal form is known to be accepted: refused.
// Conditions: "only the Equals operator" (on the intent name). Errors: NoMatchingCondition,
// NoMatchingError, InputTimeLimitExceeded ("no response before the configured LexTimeoutSeconds").
// The page does not say which must be declared: NoMatchingCondition and NoMatchingError must (the
// service has been seen to refuse a flow without either); InputTimeLimitExceeded is optional (the
// console's own export, test/fixtures/connect/seed-contact-flow.json, omits it) and, tied to the
// chat-only LexTimeoutSeconds, refused on the other channels (a voice bot's own no-input retries end
// in its fallback intent: no timeout reaches the flow).
const LEX_PROMPT_KEYS = [...PROMPT_KEYS, 'LexInitializationData'];
const ConnectParticipantWithLexBot = action(
  'ConnectParticipantWithLexBot',
  `${API}/participant-actions-connectparticipantwithlexbot.html`,
  object(
    {
      ...VOICE_PROMPT,
      LexV2Bot: object({ AliasArn: ARN_OR_DYNAMIC }, ['AliasArn']),
      LexBot: object({ Name: TEXT, Region: TEXT, Alias: TEXT }, ['Name', 'Region', 'Alias']),
      LexSessionAttributes: MAP,
      LexInitializationData: { ...object({ InitialMessage: TEXT }), 'x-channels': ['CHAT'] },
      LexTimeoutSeconds: {
        not: {},
        'x-reason':
          'LexTimeoutSeconds is refused: its page gives Text both as a number and as a string, and no form is known to be accepted',
      },
    },
    [],
    { 'x-atMostOneOf': [LEX_PROMPT_KEYS, ['LexV2Bot', 'LexBot']], 'x-atLeastOneOf': [LEX_PROMPT_KEYS, ['LexV2Bot', 'LexBot']] },
  ),
  transitions('ConnectParticipantWithLexBot', {
    errors: ['NoMatchingCondition', 'NoMatchingError', 'InputTimeLimitExceeded'],
    required: ['NoMatchingCondition', 'NoMatchingError'],
    errorChannels: {
      InputTimeLimitExceeded: {
        channels: ['CHAT'],
        reason:
          'InputTimeLimitExceeded is raised only when the chat-only LexTimeoutSeconds runs out (CHAT channel); this flow is checked as {channel}',
      },
    },
    conditions: conditions('ConnectParticipantWithLexBot', ['Equals'], STATIC_OPERAND),
  }),
);

// ${API}/participant-actions-disconnectparticipant.html
// "No parameters are expected." Errors: None. It ends the flow: Transitions is empty.
const DisconnectParticipant = action(
  'DisconnectParticipant',
  `${API}/participant-actions-disconnectparticipant.html`,
  object({}),
  TERMINAL,
);

// ${API}/interactions-invokelambdafunction.html
// LambdaFunctionARN "statically or dynamically". InvocationTimeLimitSeconds: "Must be greater than
// 0, no larger than 8, and an integer. Must be set statically." InvocationType: "SYNCHRONOUS" |
// "ASYNCHRONOUS". LambdaInvocationAttributes: keys and values static or dynamic. ResponseValidation.
// ResponseType: "STRING_MAP" or "JSON", static. The page calls them "a collection of optional
// parameters" without saying which may be left out: the function, the time limit and the response
// validation are required (every export writes them), InvocationType and the attributes optional.
// "Conditions are not supported." Errors: NoMatchingError, required as everywhere it is listed.
const InvokeLambdaFunction = action(
  'InvokeLambdaFunction',
  `${API}/interactions-invokelambdafunction.html`,
  object(
    {
      LambdaFunctionARN: ARN_OR_DYNAMIC,
      InvocationTimeLimitSeconds: integer(1, 8),
      InvocationType: choice(['SYNCHRONOUS', 'ASYNCHRONOUS']),
      LambdaInvocationAttributes: MAP,
      ResponseValidation: object({ ResponseType: choice(['STRING_MAP', 'JSON']) }, ['ResponseType']),
    },
    ['LambdaFunctionARN', 'InvocationTimeLimitSeconds', 'ResponseValidation'],
  ),
  transitions('InvokeLambdaFunction', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/flow-control-actions-compare.html
// ComparisonValue: "Any single JSONPath identifier that is valid for the flow data object" (the
// root and depth are checked with the other references). The result "can be used for conditions",
// with any operator of the Actions page. Errors: only NoMatchingCondition ("if no other Condition
// matches"), never NoMatchingError. A Compare without conditions or without its NoMatchingCondition
// branch is not documented: refused.
const Compare = action(
  'Compare',
  `${API}/flow-control-actions-compare.html`,
  object({ ComparisonValue: whole(REFERENCE, 'must be a single $. reference, got {value}') }, ['ComparisonValue']),
  transitions('Compare', {
    errors: ['NoMatchingCondition'],
    required: ['NoMatchingCondition'],
    conditions: { ...conditions('Compare', OPERATORS, STATIC_OPERAND), minItems: 1, 'x-reason': 'Compare needs at least one condition' },
    conditionsRequired: true,
  }),
);

// ${API}/contact-actions-updatecontactattributes.html
// Attributes: "Both the key and value may be defined statically or dynamically"; keys are contact
// attribute names (alphanumeric, dash, underscore: API_UpdateContactAttributes.html) or a `$.`
// reference. An empty set is not documented: refused. TargetContact: "Current" or "Related", static;
// not marked optional: required. Errors: NoMatchingError.
const UpdateContactAttributes = action(
  'UpdateContactAttributes',
  `${API}/contact-actions-updatecontactattributes.html`,
  object(
    {
      Attributes: {
        ...MAP,
        minProperties: 1,
        propertyNames: whole(
          `[A-Za-z0-9_-]+|${REFERENCE}`,
          'attribute names are letters, digits, - and _ (or a $. reference), got {value}',
        ),
      },
      TargetContact: choice(['Current', 'Related']),
    },
    ['Attributes', 'TargetContact'],
  ),
  transitions('UpdateContactAttributes', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/contact-actions-updatecontactdata.html
// Every parameter [Optional] but TargetContact [Required] ("Current" or "Related"); setting nothing
// is not documented: at least one is required. Only Name "May be set statically or dynamically";
// the page says nothing of the others, so they must be static. The Is* flags: "TRUE" and "FALSE"
// are the only valid values. VoiceAuthenticationThreshold and FraudDetectionThreshold: 0 to 100;
// VoiceAuthenticationResponseTime: 5 to 10. WatchlistId is described as an identifier that "must be
// between 0 and 100": contradictory, refused. Errors: NoMatchingError.
const CONTACT_DATA = {
  Name: TEXT,
  Description: STATIC_TEXT,
  LanguageCode: LANGUAGE_CODE,
  CustomerId: STATIC_TEXT,
  References: MAP,
  IsVoiceIdStreamingEnabled: choice(['TRUE', 'FALSE']),
  IsVoiceAuthenticationEnabled: choice(['TRUE', 'FALSE']),
  IsFraudDetectionEnabled: choice(['TRUE', 'FALSE']),
  VoiceAuthenticationThreshold: integer(0, 100),
  VoiceAuthenticationResponseTime: integer(5, 10),
  FraudDetectionThreshold: integer(0, 100),
  WatchlistId: { not: {}, 'x-reason': 'WatchlistId is refused: its page describes it both as an identifier and as a number from 0 to 100' },
  WisdomSessionArn: whole(`${ARN}|${PLACEHOLDER}`, 'must be an ARN or a catalogue placeholder (set statically), got {value}'),
};
const UpdateContactData = action(
  'UpdateContactData',
  `${API}/contact-actions-updatecontactdata.html`,
  object({ ...CONTACT_DATA, TargetContact: choice(['Current', 'Related']) }, ['TargetContact'], {
    'x-atLeastOneOf': [Object.keys(CONTACT_DATA)],
  }),
  transitions('UpdateContactData', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/contact-actions-updatecontacttexttospeechvoice.html
// TextToSpeechVoice: "the name of an Amazon Polly voice", static or dynamic; nothing is marked
// required but a Set voice block without a voice is not documented: required. TextToSpeechEngine:
// "The engine associated with the Amazon Polly voice", static or dynamic; the page lists no values:
// the engines of the Set voice block as the console writes them (Standard, Neural, Generative).
// TextToSpeechStyle: "None, Coversational, or Newscaster" (sic; the Set voice block spells
// Conversational, which is the accepted one here). Errors: NoMatchingError, "Must always be defined".
const UpdateContactTextToSpeechVoice = action(
  'UpdateContactTextToSpeechVoice',
  `${API}/contact-actions-updatecontacttexttospeechvoice.html`,
  object(
    {
      TextToSpeechVoice: TEXT,
      TextToSpeechEngine: choiceOrDynamic(['Standard', 'Neural', 'Generative']),
      TextToSpeechStyle: choiceOrDynamic(['None', 'Conversational', 'Newscaster']),
    },
    ['TextToSpeechVoice'],
  ),
  transitions('UpdateContactTextToSpeechVoice', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/flow-control-actions-loop.html
// LoopCount: "between 0 and 100 (inclusive). Must either be fully static or fully dynamic."
// "There must be a Condition provided for Equals ContinueLooping and for Equals DoneLooping, and no
// other Conditions can be specified." Errors: None.
const Loop = action(
  'Loop',
  `${API}/flow-control-actions-loop.html`,
  object({ LoopCount: integer(0, 100, true) }, ['LoopCount']),
  transitions('Loop', {
    errors: [],
    conditions: {
      ...conditions('Loop', ['Equals'], choice(['ContinueLooping', 'DoneLooping'])),
      'x-distinct': 'Condition/Operands/0',
    },
    requiredConditions: ['ContinueLooping', 'DoneLooping'],
  }),
);

// ${API}/contact-actions-updatecontacttargetqueue.html
// QueueId or AgentId: each "[Optional]", "If AgentId is specified, this may not be specified", fully
// static or a single JSONPath identifier. With neither the action sets nothing, which the page does
// not describe: exactly one is required. Errors: NoMatchingError.
const UpdateContactTargetQueue = action(
  'UpdateContactTargetQueue',
  `${API}/contact-actions-updatecontacttargetqueue.html`,
  object({ QueueId: ID_OR_ARN, AgentId: ID_OR_ARN }, [], {
    'x-atMostOneOf': [['QueueId', 'AgentId']],
    'x-atLeastOneOf': [['QueueId', 'AgentId']],
  }),
  transitions('UpdateContactTargetQueue', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/contact-actions-updatecontacteventhooks.html
// EventHooks: "an Object that holds the event hooks to be set. Only one entry may be present in this
// map"; the key is the event type, one of AgentHold, AgentWhisper, CustomerHold, CustomerQueue,
// CustomerRemaining, CustomerWhisper, DefaultAgentUI, DisconnectAgentUI, PauseContact, ResumeContact,
// "Keys must be defined statically"; the value is "the flow ID or ARN to run when that event occurs"
// (the page says no more of its form: an ID, an ARN or one reference, as other flow IDs). Errors:
// NoMatchingError. "This is supported in all types of flows." The twin runs CustomerRemaining (the
// disconnect flow, issue #20) and keeps the others without running them.
const EVENT_HOOKS = [
  'AgentHold',
  'AgentWhisper',
  'CustomerHold',
  'CustomerQueue',
  'CustomerRemaining',
  'CustomerWhisper',
  'DefaultAgentUI',
  'DisconnectAgentUI',
  'PauseContact',
  'ResumeContact',
] as const;
const UpdateContactEventHooks = action(
  'UpdateContactEventHooks',
  `${API}/contact-actions-updatecontacteventhooks.html`,
  object(
    {
      EventHooks: {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        propertyNames: { enum: [...EVENT_HOOKS] },
        additionalProperties: ID_OR_ARN,
        'x-reason': `must hold exactly one event hook, keyed by one of ${EVENT_HOOKS.join(', ')} (statically), got {value}`,
      },
    },
    ['EventHooks'],
  ),
  transitions('UpdateContactEventHooks', { errors: ['NoMatchingError'], required: ['NoMatchingError'] }),
);

// ${API}/contact-actions-transfercontacttoqueue.html
// "No parameters are expected." Errors: QueueAtCapacity and NoMatchingError; not said to be
// optional, so both must be declared (the console's export declares both).
const TransferContactToQueue = action(
  'TransferContactToQueue',
  `${API}/contact-actions-transfercontacttoqueue.html`,
  object({}),
  transitions('TransferContactToQueue', {
    errors: ['QueueAtCapacity', 'NoMatchingError'],
    required: ['QueueAtCapacity', 'NoMatchingError'],
  }),
);

// ${API}/flow-control-actions-endflowexecution.html
// Parameters `{}`. "None. This is always a terminal action." (The page adds that it is available only
// in whisper and customer queue flows; the flow type is not part of the flow document.)
const EndFlowExecution = action('EndFlowExecution', `${API}/flow-control-actions-endflowexecution.html`, object({}), TERMINAL);

// ${API}/flow-control-actions-updateflowloggingbehavior.html
// FlowLoggingBehavior: "One of [Enabled,Disabled]. Dynamic values are not supported". No conditions;
// Errors: None.
const UpdateFlowLoggingBehavior = action(
  'UpdateFlowLoggingBehavior',
  `${API}/flow-control-actions-updateflowloggingbehavior.html`,
  object({ FlowLoggingBehavior: choice(['Enabled', 'Disabled']) }, ['FlowLoggingBehavior']),
  transitions('UpdateFlowLoggingBehavior', { errors: [] }),
);

// ${API}/contact-actions-updatecontactrecordingbehavior.html
// RecordingBehavior: RecordedParticipants, "a list of participants to record, chosen from Agent and
// Customer. An empty list disables recording. Must be set statically"; ScreenRecordedParticipants
// "can only include Agent"; IVRRecordingBehavior "Enabled" or "Disabled". The service refuses a flow
// without RecordingBehavior, and RecordedParticipants is its one unqualified field: both required.
// AnalyticsBehavior: "Can only be set if the RecordedParticipants contains both Agent and Customer";
// "Analytics is only supported by the voice channel". Its fields as the page lists them; the page
// says "Can be set to RealTime and PostContact" of the voice modes without saying both at once: one.
// Errors: None.
const REDACTION_ENTITIES = [
  'BANK_ACCOUNT_NUMBER',
  'BANK_ROUTING',
  'CREDIT_DEBIT_NUMBER',
  'CREDIT_DEBIT_CVV',
  'CREDIT_DEBIT_EXPIRY',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  'PIN',
  'SWIFT_CODE',
  'CA_HEALTH_NUMBER',
  'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
  'CA_SOCIAL_INSURANCE_NUMBER',
  'SSN',
  'UK_NATIONAL_INSURANCE_NUMBER',
  'PASSPORT_NUMBER',
  'DRIVER_ID',
  'IN_AADHAAR',
  'NAME',
  'AGE',
  'EMAIL',
  'PHONE',
  'ADDRESS',
  'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  'IN_PERMANENT_ACCOUNT_NUMBER',
  'IN_NREGA',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'PASSWORD',
  'URL',
  'USERNAME',
  'LICENSE_PLATE',
  'VEHICLE_IDENTIFICATION_NUMBER',
  'IN_VOTER_NUMBER',
  'DATE_TIME',
  'AGENT_DISPLAY_NAME',
  'CUSTOMER_DISPLAY_NAME',
  'ATTACHMENT_NAME',
];
const modes = (values: readonly string[]): ActionSchema =>
  object({ AnalyticsModes: { type: 'array', maxItems: 1, uniqueItems: true, items: choice(values) } }, ['AnalyticsModes']);
const UpdateContactRecordingBehavior = action(
  'UpdateContactRecordingBehavior',
  `${API}/contact-actions-updatecontactrecordingbehavior.html`,
  object(
    {
      RecordingBehavior: object(
        {
          RecordedParticipants: { type: 'array', uniqueItems: true, items: choice(['Agent', 'Customer']) },
          ScreenRecordedParticipants: { type: 'array', uniqueItems: true, items: choice(['Agent']) },
          IVRRecordingBehavior: choice(['Enabled', 'Disabled']),
        },
        ['RecordedParticipants'],
      ),
      AnalyticsBehavior: {
        ...object(
          {
            Enabled: TRUE_FALSE,
            AnalyticsLanguage: LANGUAGE_CODE,
            AnalyticsRedactionBehavior: choice(['Enabled', 'Disabled']),
            // "Can be set dynamically."
            AnalyticsRedactionResults: choiceOrDynamic(['RedactedAndOriginal', 'RedactedOnly']),
            AnalyticsRedactionMaskMode: choice(['EntityType', 'PII']),
            // "An empty array is not allowed."
            AnalyticsRedactionEntities: { type: 'array', minItems: 1, uniqueItems: true, items: choice(REDACTION_ENTITIES) },
            ChannelConfiguration: object({ Chat: modes(['ContactLens']), Voice: modes(['RealTime', 'PostContact']) }),
            SummaryConfiguration: object({ SummaryModes: { type: 'array', maxItems: 1, items: choice(['PostContact']) } }, [
              'SummaryModes',
            ]),
            SentimentConfiguration: object({ Enabled: TRUE_FALSE }, ['Enabled']),
          },
          ['Enabled'],
        ),
        'x-channels': ['VOICE'],
      },
    },
    ['RecordingBehavior'],
    when(
      { required: ['AnalyticsBehavior'] },
      {
        properties: {
          RecordingBehavior: {
            properties: {
              RecordedParticipants: {
                allOf: ['Agent', 'Customer'].map((participant) => ({
                  contains: { const: participant },
                  'x-reason': `must list ${participant}: AnalyticsBehavior can only be set when both Agent and Customer are recorded`,
                })),
              },
            },
          },
        },
      },
    ),
  ),
  transitions('UpdateContactRecordingBehavior', { errors: [] }),
);

// ${API}/flow-control-actions-checkhoursofoperation.html
// HoursOfOperationId: "[Optional] An hours of operation ID or hours of operation ARN. Must be either
// fully static or fully dynamic" (without it, the target queue's hours). "There must be a Condition
// provided for Equals True and a Condition for Equals False, and no other conditions." Errors:
// NoMatchingError, required as everywhere it is listed.
const CheckHoursOfOperation = action(
  'CheckHoursOfOperation',
  `${API}/flow-control-actions-checkhoursofoperation.html`,
  object({ HoursOfOperationId: ID_OR_ARN }),
  transitions('CheckHoursOfOperation', {
    errors: ['NoMatchingError'],
    required: ['NoMatchingError'],
    conditions: { ...conditions('CheckHoursOfOperation', ['Equals'], choice(['True', 'False'])), 'x-distinct': 'Condition/Operands/0' },
    requiredConditions: ['True', 'False'],
  }),
);

/** The schema of each action type the twin knows; a type absent here is refused ("has no schema"). */
export const ACTION_SCHEMAS: Readonly<Record<string, ActionSchema>> = Object.freeze({
  MessageParticipant,
  GetParticipantInput,
  ConnectParticipantWithLexBot,
  DisconnectParticipant,
  InvokeLambdaFunction,
  Compare,
  UpdateContactAttributes,
  UpdateContactData,
  UpdateContactTextToSpeechVoice,
  Loop,
  UpdateContactTargetQueue,
  UpdateContactEventHooks,
  TransferContactToQueue,
  EndFlowExecution,
  UpdateFlowLoggingBehavior,
  UpdateContactRecordingBehavior,
  CheckHoursOfOperation,
});

/** "A single Flow may have no more than 250 Actions defined." (${API}/flow-language-example.html) */
export const MAX_ACTIONS = 250;
