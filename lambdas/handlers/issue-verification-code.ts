/**
 * `password-reset-start`: issues the verification code and e-mails it (security rule 1 (docs/design.md)). The code
 * exists in plain text only here and in the email; the workflow receives its HMAC. Sending is irreversible: it
 * starts only if it can end, with the rest of the workflow, by the caller's `respondBy` (timing budget).
 */
import type { Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/dynamodb-client';
import { sendTemplatedEmail } from '../aws/email-sender';
import { codePepper } from '../aws/code-pepper';
import { ENV, requiredEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { hashCode, issueCode } from '../domain/verification-code';
import { maskEmail } from '../domain/masking';
import { escapeXml } from '../domain/ssml';
import { LOCALES, type Locale } from '../domain/locale';
import type { EmployeeItem } from '../domain/employee';
import { timeForIrreversibleStep, within, type IrreversibleStep } from '../domain/deadline';
import { TIME_BUDGET } from '../configuration/time-budget';
import { VERIFICATION_CODE_TEMPLATES, type VerificationCodeTemplateData } from '../notifications/email-templates';

const employeesTable = tableName('Employees');
const pepperSecretId = requiredEnv(ENV.codePepperSecretId);
const emailFrom = requiredEnv(ENV.emailFrom);
const tools = observability();
const { logger } = tools;

export interface IssueCodeInput extends IrreversibleStep {
  sessionId: string;
  employeeId: string;
  locale: Locale;
  codeTtlMinutes: string;
}
export interface IssueCodeOutput {
  codeHash: string;
  destinationMasked: string;
}

/** The workflow catches this name and answers UNAVAILABLE. */
export class CodeDeliveryFailed extends Error {
  override name = 'CodeDeliveryFailed';
}

export const handler = instrumented(tools, async (event: IssueCodeInput, _context: Context): Promise<IssueCodeOutput> => {
  const { sessionId, employeeId } = event;
  const employee = (await documentClient.send(new GetCommand({ TableName: employeesTable, Key: { employeeId } }))).Item as
    | EmployeeItem
    | undefined;
  if (!employee?.email) throw new CodeDeliveryFailed('no email address on file');

  const locale = LOCALES.includes(event.locale) ? event.locale : employee.locale;
  const code = issueCode();
  const pepper = await codePepper(pepperSecretId);
  const data: VerificationCodeTemplateData = { name: escapeXml(employee.name.split(' ')[0] ?? ''), code, minutes: event.codeTtlMinutes };
  // Throws DeadlineExceededError (the workflow answers UNAVAILABLE) when the caller might no longer hear "code sent".
  const budgetMs = timeForIrreversibleStep(event, TIME_BUDGET.codeDeliveryMs, Date.now());
  try {
    // The SDK's standard retries (exponential backoff with jitter) cover throttling and transient errors, within the budget.
    await within(
      budgetMs,
      (abortSignal) =>
        sendTemplatedEmail(
          { from: emailFrom, to: employee.email, template: VERIFICATION_CODE_TEMPLATES[locale].name, data, purpose: 'verification-code' },
          abortSignal,
        ),
      () => Object.assign(new Error(`no answer from SES within ${budgetMs} ms`), { name: 'TimeoutError' }),
    );
  } catch (error) {
    logger.error('verification code delivery failed', { sessionId, errorName: (error as Error).name });
    tools.metrics.addMetric('CodeEmailFailures', MetricUnit.Count, 1);
    throw new CodeDeliveryFailed(`email delivery failed: ${(error as Error).name}`);
  }
  logger.info('verification code sent', { sessionId, locale });
  tools.metrics.addMetric('CodeEmailsSent', MetricUnit.Count, 1);
  return { codeHash: hashCode(code, sessionId, pepper), destinationMasked: maskEmail(employee.email) };
});
