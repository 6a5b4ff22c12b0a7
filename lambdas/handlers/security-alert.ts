/**
 * Consumer of `AccountLocked`, `SuspiciousActivity` and `AuditWriteFailed`: alerts the security team by email and,
 * when configured, by SMS (AWS End User Messaging SMS). Idempotent on the event id.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sendTemplatedEmail } from '../aws/email-sender';
import { sendTextMessage } from '../aws/sms-sender';
import { resetEventConsumer } from '../aws/idempotent-consumer';
import { ENV, optionalEnv, requiredEnv } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { accountLockedAlert, auditWriteFailedAlert, suspiciousActivityAlert } from '../domain/security-alert';
import { SECURITY_ALERT_TEMPLATE } from '../notifications/email-templates';
import { escapeXml } from '../domain/ssml';
import { isResetEvent, type ResetEvent } from '../../events/password-reset-events';

const emailFrom = requiredEnv(ENV.emailFrom);
const securityTeamEmail = requiredEnv(ENV.securityTeamEmail);
const smsNumber = optionalEnv(ENV.securityAlertSmsNumber);
const smsOrigination = optionalEnv(ENV.smsOriginationIdentity);
const tools = observability();

type AlertEvent = ResetEvent<'AccountLocked'> | ResetEvent<'SuspiciousActivity'> | ResetEvent<'AuditWriteFailed'>;

const alert = resetEventConsumer(
  'security-alert',
  ['AccountLocked', 'SuspiciousActivity', 'AuditWriteFailed'],
  async (event: AlertEvent) => {
    const content = isResetEvent(event, 'AccountLocked')
      ? accountLockedAlert(event.detail)
      : isResetEvent(event, 'AuditWriteFailed')
        ? auditWriteFailedAlert(event.detail)
        : suspiciousActivityAlert((event as ResetEvent<'SuspiciousActivity'>).detail);
    await sendTemplatedEmail({
      from: emailFrom,
      to: securityTeamEmail,
      template: SECURITY_ALERT_TEMPLATE.name,
      data: { title: escapeXml(content.title), summary: escapeXml(content.summary), details: escapeXml(content.details) },
      purpose: 'security-alert',
    });
    let sms = false;
    if (smsNumber && smsOrigination) {
      await sendTextMessage({ to: smsNumber, originationIdentity: smsOrigination, body: content.sms });
      sms = true;
    }
    tools.metrics.addMetric('SecurityAlertsSent', MetricUnit.Count, 1);
    tools.logger.info('security alert sent', { eventId: event.id, detailType: event['detail-type'], sms });
    return { email: true, sms };
  },
);

export const handler = instrumented(tools, alert);
