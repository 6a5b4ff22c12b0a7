/**
 * `password-reset-verify`, for a session whose action is UNLOCK ("unlock my account", issue #19): clears
 * the lock-out the directory keeps after failed logons, and nothing else — no password is generated or
 * set, so nothing secret passes through here. Thin: the directory adapters do the work
 * (Directory.unlock). Unlocking is irreversible as setting a password is: it starts only if it can end,
 * with the rest of the workflow, by the caller's `respondBy` (timing budget), and the directory call is
 * given up at its budget.
 *
 * Typed errors reach the workflow by name: UnlockUnsupportedError (a directory with no lock to clear,
 * Cognito: nothing is called), DirectoryUnavailableError, EmployeeNotFoundError, DeadlineExceededError.
 */
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented, observability } from '../observability/instrumented-handler';
import { directoryFromEnvironment } from '../directory/directory-from-environment';
import { timeForIrreversibleStep, within, type IrreversibleStep } from '../domain/deadline';
import { DirectoryUnavailableError, UnlockUnsupportedError } from '../directory/directory';
import { TIME_BUDGET } from '../configuration/time-budget';

const directory = directoryFromEnvironment();
const tools = observability();

export interface UnlockAccountInput extends IrreversibleStep {
  sessionId: string;
  employeeId: string;
}
export interface UnlockAccountOutput {
  unlocked: true;
  directory: 'demo' | 'ldap' | 'cognito';
}

export const handler = instrumented(tools, async (event: UnlockAccountInput, _context: Context): Promise<UnlockAccountOutput> => {
  const target = await directory();
  const employee = { employeeId: event.employeeId };
  if (!target.canUnlock) {
    // Known before anything is attempted, and the same whatever the deadline: there is nothing to unlock here.
    tools.metrics.addMetric('UnlockUnsupported', MetricUnit.Count, 1);
    await target.unlock(employee);
    throw new UnlockUnsupportedError(`the ${target.kind} directory cannot unlock accounts`);
  }
  // Throws DeadlineExceededError (the workflow reopens the session, answers UNAVAILABLE) when the caller might not hear it.
  const budgetMs = timeForIrreversibleStep(event, TIME_BUDGET.accountUnlockMs, Date.now());
  await within(
    budgetMs,
    () => target.unlock(employee),
    () => new DirectoryUnavailableError(`no answer from the directory within ${budgetMs} ms`),
  );
  tools.metrics.addMetric('AccountsUnlocked', MetricUnit.Count, 1);
  tools.logger.info('account unlocked', { sessionId: event.sessionId, directory: target.kind });
  return { unlocked: true, directory: target.kind };
});
