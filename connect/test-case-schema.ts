/**
 * The Amazon Connect Testing language (test cases for `CreateTestCase` / `AWS::Connect::TestCase`) as a
 * JSON Schema, from the AWS reference (docs/connect-testing-language.md names the pages and the points
 * where they disagree). Applied before a test case runs in the twin and at synth. Written here because
 * AWS publishes no schema for it. What the pages leave unclear is refused as "unsupported: …" rather
 * than guessed (the twin may never be more lenient than the service).
 */
import Ajv, { type ErrorObject } from 'ajv';

/** Both appear in AWS's pages (API Reference and Developer Guide); this project writes the first. */
export const TEST_CASE_VERSIONS = ['2025-06-21', '2019-10-30'] as const;

const text = { type: 'string', minLength: 1 } as const;
const id = { type: 'string', minLength: 1 } as const;
const nextAction = { type: 'object', additionalProperties: false, properties: { NextAction: { type: 'string' } } } as const;

const matchingCriteria = { enum: ['Inclusion', 'Similarity'] } as const;

const event = {
  type: 'object',
  required: ['Type', 'Actor', 'Properties'],
  properties: { Identifier: id, Actor: { const: 'System' } },
  oneOf: [
    { properties: { Type: { enum: ['TestInitiated', 'TestCompleted'] }, Properties: { type: 'object', maxProperties: 0 } } },
    {
      properties: {
        Type: { const: 'MessageReceived' },
        Properties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            Text: text,
            SSML: text,
            PromptId: text,
            Media: { type: 'object' },
            MatchingCriteria: { type: 'object', additionalProperties: false, required: ['Type'], properties: { Type: matchingCriteria } },
          },
          // One message to match.
          oneOf: [{ required: ['Text'] }, { required: ['SSML'] }, { required: ['PromptId'] }, { required: ['Media'] }],
        },
        // The older example's form: a bare string beside Properties.
        MatchingCriteria: matchingCriteria,
      },
    },
    {
      properties: {
        Type: { const: 'FlowActionStarted' },
        Properties: {
          type: 'object',
          additionalProperties: false,
          required: ['ActionType', 'ActionParameters'],
          properties: {
            ActionType: {
              enum: ['InvokeLambdaFunction', 'CheckHoursOfOperation', 'TransferContactToQueue', 'ConnectParticipantWithLexBot'],
            },
            ActionParameters: { type: 'object' },
          },
        },
      },
    },
  ],
} as const;

const instruction = {
  type: 'object',
  required: ['Type'],
  oneOf: [
    {
      properties: {
        Type: { const: 'DtmfInput' },
        Properties: {
          type: 'object',
          required: ['Value'],
          additionalProperties: false,
          // Keys, or the twin's secret hook (local/connect/test-case-runner.ts): `{{code:<mobile or e-mail>}}`, `{{not-code:<mobile or e-mail>}}`.
          properties: { Value: { type: ['string', 'number'], pattern: '^([0-9*#]+|\\{\\{(code|not-code):[^}]+\\}\\}#?)$' } },
        },
      },
      required: ['Properties'],
    },
    {
      properties: {
        Type: { enum: ['TextUtterance', 'Utterance'] },
        Properties: {
          type: 'object',
          additionalProperties: false,
          properties: { Text: text, SSML: text, Value: text, LanguageCode: text },
          oneOf: [{ required: ['Text'] }, { required: ['SSML'] }, { required: ['Value'] }],
        },
      },
      required: ['Properties'],
    },
    { properties: { Type: { const: 'Disconnect' } } },
  ],
} as const;

const strategy = {
  type: 'object',
  required: ['Type'],
  oneOf: [
    { properties: { Type: { const: 'SubstituteResource' }, SubstituteArn: text }, required: ['SubstituteArn'] },
    {
      properties: {
        Type: { const: 'MockResponse' },
        Response: {
          type: 'object',
          required: ['Type'],
          oneOf: [
            { properties: { Type: { const: 'ExecutionResult' }, ExecutionResult: { type: 'object' } }, required: ['ExecutionResult'] },
            {
              properties: {
                Type: { const: 'Error' },
                Error: {
                  type: 'object',
                  required: ['Value'],
                  properties: {
                    Value: { enum: ['TimeLimitExceeded', 'NoMatchingError', 'QueueAtCapacity'] },
                    DelaySeconds: { type: 'number', minimum: 0 },
                  },
                },
              },
              required: ['Error'],
            },
          ],
        },
      },
      required: ['Response'],
    },
  ],
} as const;

const action = {
  type: 'object',
  required: ['Identifier', 'Type', 'Parameters'],
  properties: { Identifier: id, Transitions: nextAction },
  oneOf: [
    {
      properties: {
        Type: { const: 'SendInstruction' },
        Parameters: {
          type: 'object',
          additionalProperties: false,
          required: ['ActionType', 'Actor', 'Instruction'],
          properties: { ActionType: { const: 'SendInstruction' }, Actor: { const: 'Customer' }, Instruction: instruction },
        },
      },
    },
    {
      properties: {
        Type: { const: 'OverrideSystemBehavior' },
        Parameters: {
          type: 'object',
          additionalProperties: false,
          required: ['ActionType', 'Behavior'],
          properties: {
            ActionType: { const: 'OverrideSystemBehavior' },
            Behavior: {
              type: 'object',
              required: ['Type', 'Properties'],
              properties: {
                Type: { const: 'FlowAction' },
                Properties: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['ActionType', 'ActionParameters', 'Strategy'],
                  properties: {
                    ActionType: {
                      enum: [
                        'InvokeLambdaFunction',
                        'CheckHoursOfOperation',
                        'ConnectParticipantWithLexBot',
                        'TransferContactToQueue',
                        'DequeueAndTransferToQueue',
                      ],
                    },
                    ActionParameters: { type: 'object' },
                    Strategy: strategy,
                  },
                },
              },
            },
          },
        },
      },
    },
    {
      properties: {
        Type: { const: 'Assert' },
        Parameters: {
          type: 'object',
          additionalProperties: false,
          required: ['Namespace', 'Operator', 'Operand'],
          properties: {
            Namespace: { type: 'string', pattern: '^\\$\\.' },
            // Exists is documented but reported refused by the service and absent from the designer: not accepted.
            Operator: {
              enum: [
                'Equals',
                'TextStartsWith',
                'TextEndsWith',
                'TextContains',
                'NumberGreaterThan',
                'NumberGreaterOrEqualTo',
                'NumberLessThan',
                'NumberLessOrEqualTo',
              ],
            },
            Operand: { type: ['string', 'number'] },
          },
        },
      },
    },
    {
      properties: {
        Type: { const: 'TestControl' },
        Parameters: {
          type: 'object',
          additionalProperties: false,
          required: ['ActionType', 'Command'],
          properties: {
            ActionType: { const: 'TestControl' },
            Command: {
              type: 'object',
              required: ['Type'],
              oneOf: [
                { properties: { Type: { const: 'EndTest' } } },
                {
                  properties: {
                    Type: { const: 'LogData' },
                    Properties: {
                      type: 'object',
                      required: ['Expressions'],
                      properties: { Expressions: { type: 'object', additionalProperties: { type: 'string' } } },
                    },
                  },
                  required: ['Properties'],
                },
              ],
            },
          },
        },
      },
    },
  ],
} as const;

export const TEST_CASE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Amazon Connect test case (Testing language)',
  type: 'object',
  additionalProperties: false,
  required: ['Version', 'Observations'],
  properties: {
    Version: { enum: [...TEST_CASE_VERSIONS] },
    Metadata: { type: 'object' },
    Observations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['Identifier', 'Event', 'Actions'],
        properties: {
          Identifier: id,
          Event: event,
          Actions: { type: 'array', items: action },
          // Only "exactly once" is supported by the designer; the other documented forms are not accepted.
          Usage: {
            type: 'object',
            additionalProperties: false,
            required: ['Type'],
            properties: { Type: {}, Times: {} },
            oneOf: [
              { properties: { Type: { const: 'EXACTLY' } } },
              { properties: { Type: { const: 'Exactly' }, Times: { const: 1 } }, required: ['Times'] },
            ],
          },
          Transitions: {
            type: 'object',
            additionalProperties: false,
            properties: { NextObservations: { type: 'array', items: id } },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validate = ajv.compile(TEST_CASE_SCHEMA);

export interface TestCaseProblem {
  path: string;
  message: string;
}

/**
 * The schema's findings, then what a schema cannot say: identifiers unique, transitions naming existing
 * observations and actions.
 */
export function testCaseProblems(document: unknown): TestCaseProblem[] {
  if (!validate(document)) return simplify(validate.errors ?? []);
  const problems: TestCaseProblem[] = [];
  const doc = document as {
    Observations: Array<{
      Identifier: string;
      Actions: Array<{ Identifier: string; Transitions?: { NextAction?: string } }>;
      Transitions?: { NextObservations?: string[] };
    }>;
  };
  const ids = new Set<string>();
  doc.Observations.forEach((o, i) => {
    if (ids.has(o.Identifier)) problems.push({ path: `/Observations/${i}/Identifier`, message: `duplicate observation ${o.Identifier}` });
    ids.add(o.Identifier);
  });
  doc.Observations.forEach((o, i) => {
    for (const next of o.Transitions?.NextObservations ?? [])
      if (!ids.has(next)) problems.push({ path: `/Observations/${i}/Transitions`, message: `no observation ${next}` });
    const actionIds = new Set(o.Actions.map((a) => a.Identifier));
    if (actionIds.size !== o.Actions.length) problems.push({ path: `/Observations/${i}/Actions`, message: 'duplicate action identifiers' });
    o.Actions.forEach((a, j) => {
      const next = a.Transitions?.NextAction;
      if (next && !actionIds.has(next))
        problems.push({ path: `/Observations/${i}/Actions/${j}/Transitions`, message: `no action ${next}` });
    });
  });
  return problems;
}

/**
 * One line per place. Of a oneOf's branches, the one that got deepest into the document is what the
 * author meant: only the errors at the deepest place are kept.
 */
function simplify(all: readonly ErrorObject[]): TestCaseProblem[] {
  const depth = (e: ErrorObject) => (e.instancePath.match(/\//g) ?? []).length;
  const deepest = Math.max(...all.filter((e) => e.keyword !== 'oneOf').map(depth));
  const errors = all.filter((e) => e.keyword !== 'oneOf' && depth(e) === deepest);
  const byPath = new Map<string, string[]>();
  for (const e of errors) {
    const message =
      e.keyword === 'enum' || e.keyword === 'const'
        ? `unsupported: ${JSON.stringify((e as { data?: unknown }).data ?? '')} (${e.message}${'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : ''})`
        : e.keyword === 'additionalProperties'
          ? `unsupported: ${String((e.params as { additionalProperty: string }).additionalProperty)}`
          : (e.message ?? e.keyword);
    byPath.set(e.instancePath || '/', [...(byPath.get(e.instancePath || '/') ?? []), message]);
  }
  return [...byPath].map(([path, messages]) => ({ path, message: [...new Set(messages)].join('; ') }));
}
