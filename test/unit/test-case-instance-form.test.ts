/**
 * The instance form of a test case (connect/test-case-instance-form.ts): what CDK deploys for a file that
 * keys codes through the twin's inbox hook.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { instanceForm, usesInboxHook } from '../../connect/test-case-instance-form';
import { testCaseProblems } from '../../connect/test-case-schema';

const TESTS = resolve(__dirname, '../../connect/tests');
const read = (file: string): any => JSON.parse(readFileSync(join(TESTS, file), 'utf8'));
const mocks = (form: any) =>
  form.Observations.flatMap((o: any) => o.Actions)
    .filter((a: any) => a.Type === 'OverrideSystemBehavior')
    .map((a: any) => JSON.parse(a.Parameters.Behavior.Properties.Strategy.Response.ExecutionResult.LoadedData));

it('three wrong codes become INVALID, INVALID, LOCKED answers of verify-code, in the order keyed, and six fixed digits', () => {
  const form = instanceForm(read('three-wrong-codes.json'));
  expect(mocks(form)).toEqual([
    { status: 'INVALID', attemptsLeft: '2', passwordSsml: '' },
    { status: 'INVALID', attemptsLeft: '1', passwordSsml: '' },
    { status: 'LOCKED', attemptsLeft: '0', passwordSsml: '' },
  ]);
  const text = JSON.stringify(form.Observations);
  expect(text).not.toContain('{{');
  expect(text.match(/"Value":"000000#"/g)).toHaveLength(3);
  expect(testCaseProblems(form)).toEqual([]);
});

it('the code becomes RESET with a stand-in readout, never a password; the mock runs just before the keypad entry', () => {
  const form = instanceForm(read('wrong-then-right-code.json'));
  expect(mocks(form).map((m: { status: string }) => m.status)).toEqual(['INVALID', 'RESET']);
  expect(mocks(form)[1].passwordSsml).toMatch(/No password was set/);
  const tryAgain = form.Observations.find((o: any) => o.Identifier === 'Try again');
  const [mock, entry] = tryAgain.Actions;
  expect(mock.Type).toBe('OverrideSystemBehavior');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not a template.
  expect(mock.Parameters.Behavior.Properties.ActionParameters).toEqual({ LambdaFunctionARN: '${VerifyCodeFunctionArn}' });
  expect(mock.Transitions.NextAction).toBe(entry.Identifier);
});

it('an action that led to the keypad entry now leads to its mock', () => {
  const doc = read('keypad-reset-en.json');
  const codeSent = doc.Observations.find((o: any) => o.Identifier === 'Code sent');
  const entry = codeSent.Actions[0];
  codeSent.Actions = [
    {
      Identifier: 'note',
      Type: 'TestControl',
      Parameters: { Command: { Type: 'LogData', Properties: { Expressions: ['$.Queue.Name'] } } },
      Transitions: { NextAction: entry.Identifier },
    },
    entry,
  ];
  const form = instanceForm(doc);
  const actions = form.Observations.find((o: any) => o.Identifier === 'Code sent').Actions;
  expect(actions[0].Transitions.NextAction).toBe(actions[1].Identifier);
  expect(actions[1].Transitions.NextAction).toBe(entry.Identifier);
});

it('a file without the hook is deployed as written; one that keys after the lock-out is refused', () => {
  const plain = read('agent-request.json');
  expect(usesInboxHook(plain)).toBe(false);
  expect(instanceForm(plain)).toEqual(plain);
  const tooMany = read('three-wrong-codes.json');
  const locked = tooMany.Observations.find((o: any) => o.Identifier === 'Locked');
  locked.Actions = [
    {
      Identifier: 'one more',
      Type: 'SendInstruction',
      Parameters: {
        ActionType: 'SendInstruction',
        Actor: 'Customer',
        Instruction: { Type: 'DtmfInput', Properties: { Value: '{{code:e9000005@example.com}}#' } },
      },
      Transitions: {},
    },
  ];
  expect(() => instanceForm(tooMany)).toThrow('Locked: a code keyed after the lock-out');
});
