/**
 * Consumer of `VerificationCodeRequested`: issues the verification code and e-mails it (security rule 1
 * (docs/design.md)), off the caller's path: the start workflow has already answered CODE_SENT, the same
 * way and in the same time for every ID (security rule 5), so how long SES takes, or whether it fails,
 * tells a caller nothing. The code exists in plain text only here and in the e-mail; the session gets its
 * HMAC. Then `VerificationCodeSent` or `VerificationCodeDeliveryFailed`.
 *
 * The HMAC is written before the e-mail goes out, on condition that the session still waits for its
 * code and no code was delivered: a redelivered event after a failed send issues a fresh code (only the
 * newest works), one after a delivered code issues nothing.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { documentClient } from '../aws/dynamodb-client';
import { sendTemplatedEmail } from '../aws/email-sender';
import { codePepper } from '../aws/code-pepper';
import { resetEventConsumer } from '../aws/idempotent-consumer';
import { ENV, requiredEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { hashCode, issueCode } from '../domain/verification-code';
import { maskEmail } from '../domain/masking';
import { escapeXml } from '../domain/ssml';
import { LOCALES } from '../domain/locale';
import { policyFromEnvironment } from '../domain/reset-policy';
import type { EmployeeItem } from '../domain/employee';
import { VERIFICATION_CODE_TEMPLATES, type VerificationCodeTemplateData } from '../notifications/email-templates';
import { EVENT_SOURCE } from '../../events/rule-catalogue';
import type { ResetEvent, ResetEventDetails } from '../../events/password-reset-events';

const employeesTable = tableName('Employees');
const sessionsTable = tableName('ResetSessions');
const pepperSecretId = requiredEnv(ENV.codePepperSecretId);
const emailFrom = requiredEnv(ENV.emailFrom);
const busName = requiredEnv(ENV.eventBusName);
const securityPhone = requiredEnv(ENV.securityTeamPhone);
const policy = policyFromEnvironment(process.env);
const events = new EventBridgeClient({ maxAttempts: 3 });
const tools = observability();
const { logger } = tools;

async function emit<T extends 'VerificationCodeSent' | 'VerificationCodeDeliveryFailed'>(
  type: T,
  detail: ResetEventDetails[T],
): Promise<void> {
  const out = await events.send(
    new PutEventsCommand({ Entries: [{ EventBusName: busName, Source: EVENT_SOURCE, DetailType: type, Detail: JSON.stringify(detail) }] }),
  );
  if (out.FailedEntryCount) throw new Error(`${type} not accepted: ${out.Entries?.[0]?.ErrorCode}`);
}

/** Stores the code's HMAC unless the session no longer waits for a code, or one was delivered. */
async function storeCodeHash(sessionId: string, codeHash: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: sessionsTable,
        Key: { sessionId },
        UpdateExpression: 'SET codeHash = :hash',
        ConditionExpression: '#state = :awaiting AND attribute_not_exists(codeSentAt)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':hash': codeHash, ':awaiting': 'AWAITING_CODE' },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

const deliver = resetEventConsumer(
  'issue-verification-code',
  ['VerificationCodeRequested'],
  async (event: ResetEvent<'VerificationCodeRequested'>) => {
    const { detail } = event;
    const { sessionId } = detail;
    const failed = (reason: string) => emit('VerificationCodeDeliveryFailed', { ...detail, channel: 'EMAIL', reason });
    const employee = (await documentClient.send(new GetCommand({ TableName: employeesTable, Key: { employeeId: detail.employeeId } })))
      .Item as EmployeeItem | undefined;
    if (!employee?.email) {
      await failed('NO_EMAIL_ON_FILE');
      return { sent: false };
    }
    const locale = LOCALES.includes(detail.locale) ? detail.locale : employee.locale;
    const code = issueCode();
    const pepper = await codePepper(pepperSecretId);
    if (!(await storeCodeHash(sessionId, hashCode(code, sessionId, pepper)))) {
      logger.info('no code issued: the session no longer waits for one', { sessionId });
      return { sent: false };
    }
    const data: VerificationCodeTemplateData = {
      name: escapeXml(employee.name.split(' ')[0] ?? ''),
      code,
      minutes: String(Math.round(policy.codeTtlSeconds / 60)),
      securityPhone: escapeXml(securityPhone),
    };
    try {
      // The SDK's standard retries (exponential backoff with jitter) cover throttling and transient errors.
      await sendTemplatedEmail({
        from: emailFrom,
        to: employee.email,
        template: VERIFICATION_CODE_TEMPLATES[locale].name,
        data,
        purpose: 'verification-code',
      });
    } catch (error) {
      logger.error('verification code delivery failed', { sessionId, errorName: (error as Error).name });
      tools.metrics.addMetric('CodeEmailFailures', MetricUnit.Count, 1);
      await failed('DELIVERY_FAILED');
      return { sent: false };
    }
    await documentClient.send(
      new UpdateCommand({
        TableName: sessionsTable,
        Key: { sessionId },
        UpdateExpression: 'SET codeSentAt = :now',
        ConditionExpression: 'attribute_exists(sessionId)',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
    logger.info('verification code sent', { sessionId, locale });
    tools.metrics.addMetric('CodeEmailsSent', MetricUnit.Count, 1);
    await emit('VerificationCodeSent', { ...detail, channel: 'EMAIL', destinationMasked: maskEmail(employee.email) });
    return { sent: true };
  },
);

export const handler = instrumented(tools, deliver);
