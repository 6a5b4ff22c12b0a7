/**
 * Connect Lambda `verify-code`: runs `password-reset-verify` synchronously with the reset session id
 * and the code the caller keyed, and returns the outcome as a flat string map for `$.External`:
 * status, attemptsLeft and, on RESET, passwordSsml. The flow speaks it and never stores it
 * (security rule 2 (docs/design.md)); this function never logs it. An UNLOCK session's outcomes pass
 * through as they are, with no password: UNLOCKED (the directory's lock-out cleared, the password
 * unchanged) or UNLOCK_UNSUPPORTED (the directory has no lock to clear: the flow offers a reset).
 */
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { callTimeoutMs, executionName, runWorkflow } from '../aws/step-functions-client';
import { ENV, positiveIntegerEnv, requiredEnv } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import type { VerifyCodeOutput } from '../domain/reset-session';
import { CODE_PATTERN } from '../domain/verification-code';
import { respondBy } from '../domain/deadline';
import { TIME_BUDGET } from '../configuration/time-budget';

const verifyWorkflowArn = requiredEnv(ENV.verifyWorkflowArn);
const codeInputKeySecretId = requiredEnv(ENV.codeInputKeySecretId);
const workflowTimeoutMs = positiveIntegerEnv(ENV.workflowTimeoutMs, TIME_BUDGET.verifyWorkflowCallMs);
const tools = observability();
const { logger } = tools;

type StoredInputDecryption = typeof import('../aws/stored-input-decryption');

async function decrypted(ciphertext: string): Promise<string> {
  if (ciphertext === '' || ciphertext === 'Timeout') return ciphertext;
  try {
    // Loaded on first use: the Encryption SDK is most of this bundle, and only a retried code needs it.
    const { codeInputKey, decryptStoredInput } = require('../aws/stored-input-decryption') as StoredInputDecryption;
    return await decryptStoredInput(ciphertext, await codeInputKey(codeInputKeySecretId));
  } catch (error) {
    logger.warn('stored input did not decrypt', { errorName: (error as Error).name });
    return 'undecryptable';
  }
}

export const handler = instrumented(tools, async (event: ConnectContactFlowEvent, context: Context): Promise<ConnectContactFlowResult> => {
  const params = event?.Details?.Parameters ?? {};
  const contactId = event?.Details?.ContactData?.ContactId ?? 'unknown';
  // Connect sends strings; anything else is treated as absent.
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const sessionId = text(params.sessionId).trim().slice(0, 128);
  // The retry blocks store the keyed code encrypted (InputEncryption, security review F12): only this
  // function can read it. Silence ("Timeout", plain or encrypted) and what does not decrypt are no code.
  const keyed = params.encrypted === 'true' ? await decrypted(text(params.code)) : text(params.code);
  const code = keyed === 'Timeout' ? '' : keyed.replace(/[\s#]/g, '').slice(0, 64);
  if (!sessionId) return { status: 'NO_SESSION', attemptsLeft: '', passwordSsml: '' };
  // No attempt is spent on what cannot be a code: silence, Connect's "Timeout" (Store customer input
  // when nothing was keyed), or the wrong number of digits.
  if (!code) return { status: 'NO_INPUT', attemptsLeft: '', passwordSsml: '' };
  if (!CODE_PATTERN.test(code)) return { status: 'MALFORMED', attemptsLeft: '', passwordSsml: '' };
  let outcome: VerifyCodeOutput;
  try {
    // The workflow sets no password it could not report before this call gives up (timing budget).
    const waitMs = callTimeoutMs(workflowTimeoutMs, context.getRemainingTimeInMillis(), TIME_BUDGET.responseMarginMs);
    const input = { sessionId, code, contactId, respondBy: respondBy(waitMs, TIME_BUDGET.responseMarginMs, Date.now()) };
    outcome = await runWorkflow<VerifyCodeOutput>(verifyWorkflowArn, input, waitMs, executionName('verify', context.awsRequestId));
  } catch (error) {
    logger.error('verify workflow failed', { contactId, sessionId, errorName: (error as Error).name });
    return { status: 'UNAVAILABLE', attemptsLeft: '', passwordSsml: '' };
  }
  logger.info('code verified', { contactId, sessionId, status: outcome.status });
  return {
    status: outcome.status,
    attemptsLeft: outcome.attemptsLeft === undefined ? '' : String(outcome.attemptsLeft),
    passwordSsml: outcome.status === 'RESET' ? (outcome.passwordSsml ?? '') : '',
  };
});
