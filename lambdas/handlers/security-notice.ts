/**
 * Consumer of `PasswordReset`, `AccountUnlocked` and `AccountLocked`: the notice to the employee's own
 * email and recovery e-mail (noticeRecipients) — when, from a number ending in which digits, and whom to call if it was not them — localized,
 * HTML + text. An unlock by phone is told like a reset (the password unchanged); a lock-out is told
 * too, with until when (security review F3, F13).
 * Idempotent on the event id (EventBridge delivers at least once).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/dynamodb-client';
import { sendTemplatedEmail } from '../aws/email-sender';
import { resetEventConsumer } from '../aws/idempotent-consumer';
import { ENV, requiredEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { noticeRecipients } from '../domain/recovery-channel';
import { accountUnlockedNotice, lockoutNotice, passwordResetNotice } from '../domain/security-notice';
import { LOCALES } from '../domain/locale';
import type { EmployeeItem } from '../domain/employee';
import {
  ACCOUNT_UNLOCKED_NOTICE_TEMPLATES,
  LOCKOUT_NOTICE_TEMPLATES,
  PASSWORD_RESET_NOTICE_TEMPLATES,
} from '../notifications/email-templates';
import { isResetEvent, type ResetEvent } from '../../events/password-reset-events';

const employeesTable = tableName('Employees');
const emailFrom = requiredEnv(ENV.emailFrom);
const securityPhone = requiredEnv(ENV.securityTeamPhone);
const tools = observability();

type NoticeEvent = ResetEvent<'PasswordReset'> | ResetEvent<'AccountUnlocked'> | ResetEvent<'AccountLocked'>;

const notify = resetEventConsumer('security-notice', ['PasswordReset', 'AccountUnlocked', 'AccountLocked'], async (event: NoticeEvent) => {
  const { detail } = event;
  const employee = (await documentClient.send(new GetCommand({ TableName: employeesTable, Key: { employeeId: detail.employeeId } })))
    .Item as EmployeeItem | undefined;
  if (!employee?.email) {
    tools.logger.warn('no email on file for a notice', { employeeId: detail.employeeId, eventId: event.id });
    return { sent: false };
  }
  const locale = LOCALES.includes(detail.locale) ? detail.locale : employee.locale;
  const common = { name: employee.name, at: detail.at, callerNumberMasked: detail.callerNumberMasked, locale, securityPhone };
  // What differs by event: the template, its data, and how it is counted and logged.
  const notice = isResetEvent(event, 'AccountLocked')
    ? {
        template: LOCKOUT_NOTICE_TEMPLATES[locale].name,
        data: lockoutNotice({ ...common, lockedUntil: event.detail.lockedUntil }),
        purpose: 'lockout-notice',
        metric: 'LockoutNoticesSent',
        log: 'lock-out notice sent',
      }
    : isResetEvent(event, 'AccountUnlocked')
      ? {
          template: ACCOUNT_UNLOCKED_NOTICE_TEMPLATES[locale].name,
          data: accountUnlockedNotice(common),
          purpose: 'account-unlocked-notice',
          metric: 'UnlockNoticesSent',
          log: 'unlock notice sent',
        }
      : {
          template: PASSWORD_RESET_NOTICE_TEMPLATES[locale].name,
          data: passwordResetNotice(common),
          purpose: 'password-reset-notice',
          metric: 'ResetNoticesSent',
          log: 'reset notice sent',
        };
  await sendTemplatedEmail({
    from: emailFrom,
    to: noticeRecipients(employee),
    template: notice.template,
    data: notice.data,
    purpose: notice.purpose,
  });
  tools.metrics.addMetric(notice.metric, MetricUnit.Count, 1);
  tools.logger.info(notice.log, { employeeId: detail.employeeId, eventId: event.id });
  return { sent: true };
});

export const handler = instrumented(tools, notify);
