/**
 * `password-reset-verify`: generates the temporary password and sets it in the directory
 * (must change at next logon, short expiry). The password leaves only in this function's result,
 * which becomes the synchronous workflow output (security rule 2 (docs/design.md)). Setting it is
 * irreversible: it starts only if it can end, with the rest of the workflow, by the caller's
 * `respondBy` (timing budget), and the directory call is given up at its budget.
 */
import type { Context } from 'aws-lambda';
import { policyFromEnvironment } from '../domain/reset-policy';
import { instrumented, observability } from '../observability/instrumented-handler';
import { directoryFromEnvironment } from '../directory/directory-from-environment';
import { generateTemporaryPassword } from '../domain/temporary-password';
import { passwordReadoutSsml } from '../domain/password-readout';
import { LOCALES, type Locale } from '../domain/locale';
import { timeForIrreversibleStep, within, type IrreversibleStep } from '../domain/deadline';
import { DirectoryUnavailableError } from '../directory/directory';
import { TIME_BUDGET } from '../configuration/time-budget';

const policy = policyFromEnvironment(process.env);
const directory = directoryFromEnvironment();
const tools = observability();

export interface SetPasswordInput extends IrreversibleStep {
  sessionId: string;
  employeeId: string;
  locale: Locale;
}
export interface SetPasswordOutput {
  password: string;
  passwordSsml: string;
  passwordExpiresAt: string;
}

export const handler = instrumented(tools, async (event: SetPasswordInput, _context: Context): Promise<SetPasswordOutput> => {
  const password = generateTemporaryPassword(policy.temporaryPasswordLength);
  const passwordExpiresAt = new Date(Date.now() + policy.temporaryPasswordTtlSeconds * 1000).toISOString();
  // Typed directory errors (unavailable, policy, not found) reach the workflow by name.
  const target = await directory();
  // Throws DeadlineExceededError (the workflow reopens the session, answers UNAVAILABLE) when the caller might not hear it.
  const budgetMs = timeForIrreversibleStep(event, TIME_BUDGET.passwordSetMs, Date.now());
  await within(
    budgetMs,
    () => target.setTemporaryPassword({ employeeId: event.employeeId }, password, { mustChange: true, expiresAt: passwordExpiresAt }),
    () => new DirectoryUnavailableError(`no answer from the directory within ${budgetMs} ms`),
  );
  // Reported, not assumed: a directory that does not expire it at passwordExpiresAt says so here.
  tools.logger.info('temporary password set', {
    sessionId: event.sessionId,
    directory: target.kind,
    passwordExpiresAt,
    guarantees: target.guarantees,
  });
  const locale = LOCALES.includes(event.locale) ? event.locale : 'en-US';
  return { password, passwordSsml: passwordReadoutSsml(password, locale), passwordExpiresAt };
});
