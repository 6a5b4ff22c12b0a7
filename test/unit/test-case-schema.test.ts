/**
 * The Testing-language check (connect/test-case-schema.ts): the project's test cases and the example
 * test case of AWS's Developer Guide pass (as published, and with the API Reference's Version); each
 * planted error is caught and named, and what the AWS pages leave unclear is refused as unsupported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { testCaseProblems } from '../../connect/test-case-schema';

const ROOT = resolve(__dirname, '../..');
const TESTS = join(ROOT, 'connect/tests');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
const awsExample = () => read(join(ROOT, 'test/fixtures/connect/aws-example-test-case.json'));

it.each(readdirSync(TESTS).filter((f) => f.endsWith('.json')))('connect/tests/%s passes', (file) => {
  expect(testCaseProblems(read(join(TESTS, file)))).toEqual([]);
});

it("the Developer Guide's example passes unchanged, and with the API Reference's Version", () => {
  expect(testCaseProblems(awsExample())).toEqual([]);
  expect(testCaseProblems({ ...awsExample(), Version: '2025-06-21' })).toEqual([]);
});

describe('planted errors', () => {
  const problemsAfter = (change: (doc: Record<string, any>) => void) => {
    const doc = awsExample();
    change(doc);
    return testCaseProblems(doc)
      .map((p) => `${p.path}: ${p.message}`)
      .join('\n');
  };

  it.each([
    ['an unknown Version', (d: any) => (d.Version = '2024-01-01'), /\/Version: unsupported: "2024-01-01"/],
    ['an event type that does not exist', (d: any) => (d.Observations[0].Event.Type = 'CallAnswered'), /\/Observations\/0\/Event/],
    ['an event not from the System', (d: any) => (d.Observations[0].Event.Actor = 'Customer'), /\/Observations\/0\/Event\/Actor/],
    ['letters keyed as DTMF', (d: any) => (d.Observations[1].Actions[0].Parameters.Instruction.Properties.Value = 'one'), /Instruction/],
    [
      'the Exists operator (refused by the service)',
      (d: any) => (d.Observations[2].Actions[0].Parameters.Operator = 'Exists'),
      /unsupported: "Exists"/,
    ],
    ['Usage other than exactly once', (d: any) => (d.Observations[0].Usage = { Type: 'AtLeast', Times: 2 }), /\/Observations\/0\/Usage/],
    [
      'a transition to no observation',
      (d: any) => (d.Observations[0].Transitions.NextObservations = ['Nowhere']),
      /no observation Nowhere/,
    ],
    [
      'a next action that does not exist',
      (d: any) => (d.Observations[2].Actions[0].Transitions.NextAction = 'nothing'),
      /no action nothing/,
    ],
    ['an unknown property', (d: any) => (d.Observations[0].Retries = 3), /unsupported: Retries/],
  ])('%s', (_name, change, expected) => {
    expect(problemsAfter(change as (d: Record<string, any>) => void)).toMatch(expected);
  });
});
