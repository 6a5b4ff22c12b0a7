/**
 * The form of a connect/tests test case that an Amazon Connect instance can run.
 *
 * The twin's inbox hook (`{{code:<mobile or e-mail>}}`, `{{not-code:<mobile or e-mail>}}`, docs/connect-testing-language.md) has
 * no counterpart on an instance: a simulated call cannot open an e-mail, and no code may be written into a
 * file. So, in the instance form, each hooked keypad entry becomes six fixed digits, and just before it the
 * verify-code invocation that entry leads to is mocked (OverrideSystemBehavior, MockResponse: used once,
 * first in, first out, https://docs.aws.amazon.com/connect/latest/adminguide/flow-testing.html) with the
 * outcome the hook stands for: RESET for the code (UNLOCKED in a file that hears the unlocked prompt: an
 * unlock call); INVALID for a wrong one, LOCKED at the last attempt.
 *
 * What each world proves: the twin runs the file as written (the real code, the real workflows); the
 * instance runs the conversation around a mocked verification (prompts, branches, the Lex bot, the
 * transfers). Files without the hook are deployed unchanged.
 */
import { DEFAULT_POLICY } from '../lambdas/domain/reset-policy';
import enUsPrompts from './prompts/password-reset/en-US.json';
import esUsPrompts from './prompts/password-reset/es-US.json';
import type { VerifyStatus } from '../lambdas/domain/reset-session';

// biome-ignore lint/suspicious/noExplicitAny: a test case is validated JSON (connect/test-case-schema.ts) walked by shape.
type Json = any;

const HOOK = /\{\{(code|not-code):[^}]+\}\}/;
/** What the keypad sends in place of the hook: any six digits do, the verification being mocked. */
const STAND_IN_CODE = '000000';
/** What the mocked RESET reads out in place of a password (none is set on the instance). */
const STAND_IN_READOUT = '<speak>This is a test call. No password was set.</speak>';

/** Whether a test case keys a code through the twin's inbox hook (its observations; a description may name the hook). */
export function usesInboxHook(document: unknown): boolean {
  return HOOK.test(JSON.stringify((document as Json)?.Observations ?? []));
}

/** What the flow says after an unlock, in each language (the prompt `prmUnlocked`, without its SSML). */
const UNLOCKED_PROMPTS = [enUsPrompts, esUsPrompts].map((p) => p.prompts.prmUnlocked.replace(/<[^>]+>/g, ''));

/** An unlock call: an observation waits for (part of) the unlocked prompt. */
function hearsUnlocked(document: Json): boolean {
  return (document?.Observations ?? []).some((o: Json) => {
    const text = o?.Event?.Properties?.Text;
    return typeof text === 'string' && text.trim() !== '' && UNLOCKED_PROMPTS.some((p) => p.includes(text));
  });
}

/** verify-code's answer (lambdas/handlers/verify-code.ts) for the nth hooked entry of the call. */
function verifyAnswer(hook: 'code' | 'not-code', wrongSoFar: number, maxCodeAttempts: number, unlock: boolean) {
  const answer = (status: VerifyStatus, attemptsLeft: string, passwordSsml = '') => ({ status, attemptsLeft, passwordSsml });
  if (hook === 'code') return unlock ? answer('UNLOCKED', '') : answer('RESET', '', STAND_IN_READOUT);
  const left = maxCodeAttempts - wrongSoFar;
  return left > 0 ? answer('INVALID', String(left)) : answer('LOCKED', '0');
}

/**
 * The instance form of a test case: a copy, the hooks replaced and verify-code mocked as above. A file that
 * keeps keying after the lock, or a hook in anything but a keypad entry, is refused: the twin would not
 * mean the same thing by it.
 */
export function instanceForm(document: unknown, maxCodeAttempts = DEFAULT_POLICY.maxCodeAttempts): Json {
  const copy = structuredClone(document) as Json;
  const unlock = hearsUnlocked(copy);
  let wrong = 0;
  let mockedAny = false;
  for (const observation of copy.Observations ?? []) {
    const actions: Json[] = [];
    const mocked = new Map<string, string>();
    for (const action of observation.Actions ?? []) {
      const value = action.Parameters?.Instruction?.Type === 'DtmfInput' ? String(action.Parameters.Instruction.Properties.Value) : '';
      const hook = HOOK.exec(value)?.[1] as 'code' | 'not-code' | undefined;
      if (!hook) {
        actions.push(action);
        continue;
      }
      if (wrong >= maxCodeAttempts) throw new Error(`${observation.Identifier}: a code keyed after the lock-out`);
      if (hook === 'not-code') wrong += 1;
      const mock = {
        Identifier: `${action.Identifier} (verification mocked on the instance)`,
        Type: 'OverrideSystemBehavior',
        Parameters: {
          ActionType: 'OverrideSystemBehavior',
          Behavior: {
            Type: 'FlowAction',
            Properties: {
              ActionType: 'InvokeLambdaFunction',
              // A placeholder CDK substitutes, as in the flow.
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not a template.
              ActionParameters: { LambdaFunctionARN: '${VerifyCodeFunctionArn}' },
              Strategy: {
                Type: 'MockResponse',
                Response: {
                  Type: 'ExecutionResult',
                  ExecutionResult: { LoadedData: JSON.stringify(verifyAnswer(hook, wrong, maxCodeAttempts, unlock)) },
                },
              },
            },
          },
        },
        Transitions: { NextAction: action.Identifier },
      };
      action.Parameters.Instruction.Properties.Value = value.replace(HOOK, STAND_IN_CODE);
      mocked.set(action.Identifier, mock.Identifier);
      mockedAny = true;
      actions.push(mock, action);
    }
    // The mock runs just before its keypad entry: what led to the entry (NextAction) now leads to the mock.
    for (const action of actions) {
      const next = action.Transitions?.NextAction;
      if (next && mocked.has(next) && ![...mocked.values()].includes(action.Identifier)) action.Transitions.NextAction = mocked.get(next);
    }
    observation.Actions = actions;
  }
  if (mockedAny) {
    const description = String(copy.Metadata?.description ?? '');
    copy.Metadata = { ...copy.Metadata, description: `${description} On the instance: verify-code mocked, no code keyed.`.trim() };
  }
  const left = JSON.stringify(copy.Observations ?? []).match(HOOK);
  if (left) throw new Error(`the hook ${left[0]} is used outside a keypad entry: it has no instance form`);
  return copy;
}
