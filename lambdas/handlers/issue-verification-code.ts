/**
 * Consumer of `VerificationCodeRequested`: issues the verification code and sends it to a channel
 * registered for recovery (lambdas/domain/recovery-channel.ts: the mobile by text, else the recovery
 * e-mail; the corporate mailbox only if CODE_TO_CORPORATE_EMAIL allows it) (security rule 1
 * (docs/design.md)), off the caller's path: the start workflow has already answered CODE_SENT, the same
 * way and in the same time for every ID (security rule 5), so how long delivery takes, whether it fails,
 * or whether the ID has a recovery channel at all tells a caller nothing. The code exists in plain text
 * only here and in the message; the session gets its HMAC. Then `VerificationCodeSent` or
 * `VerificationCodeDeliveryFailed` (NO_RECOVERY_CHANNEL when there is nowhere to send it).
 *
 * The channels are the employee item's; for an item with none, an LDAP/AD or Cognito deployment also
 * asks the directory (`Directory.recoveryChannels`: `mobile`, or a verified `phone_number`).
 *
 * The HMAC is written before the message goes out, on condition that the session still waits for its
 * code and no code was delivered: a redelivered event after a failed send issues a fresh code (only the
 * newest works), one after a delivered code issues nothing.
 */
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { documentClient } from '../aws/dynamodb-client';
import { sendTemplatedEmail } from '../aws/email-sender';
import { sendTextMessage } from '../aws/sms-sender';
import { appendAuditRecord } from '../aws/audit-appender';
import { parseActor, type ActorIdentity } from '../domain/actor';
import { codePepper } from '../aws/code-pepper';
import { resetEventConsumer } from '../aws/idempotent-consumer';
import { ENV, optionalEnv, requiredEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import { hashCode, issueCode } from '../domain/verification-code';
import { maskEmail, maskPhoneNumber } from '../domain/masking';
import {
  asksDirectoryForChannels,
  parseChannelPreference,
  recoveryDestination,
  withDirectoryChannels,
  type DeliveryChannel,
  type RecoveryChannels,
} from '../domain/recovery-channel';
import { directoryKind } from '../directory/directory-kind';
import { directoryFromEnvironment } from '../directory/directory-from-environment';
import type { Directory } from '../directory/directory';
import { verificationCodeText } from '../notifications/sms-texts';
import { escapeXml } from '../domain/ssml';
import { LOCALES } from '../domain/locale';
import { policyFromEnvironment } from '../domain/reset-policy';
import type { EmployeeItem } from '../domain/employee';
import { VERIFICATION_CODE_TEMPLATES, type VerificationCodeTemplateData } from '../notifications/email-templates';
import { EVENT_SOURCE } from '../../events/rule-catalogue';
import type { ResetEvent, ResetEventDetails } from '../../events/password-reset-events';

const employeesTable = tableName('Employees');
const sessionsTable = tableName('ResetSessions');
const auditTable = tableName('Audit');
const pepperSecretId = requiredEnv(ENV.codePepperSecretId);
const emailFrom = requiredEnv(ENV.emailFrom);
const busName = requiredEnv(ENV.eventBusName);
const securityPhone = requiredEnv(ENV.securityTeamPhone);
const policy = policyFromEnvironment(process.env);
/** Texts go out only where the deployment has an origination identity (SMS on). */
const smsOrigination = optionalEnv(ENV.smsOriginationIdentity);
const corporateEmailAllowed = optionalEnv(ENV.codeToCorporateEmail) === 'true';
/** The deployment's directory, asked for recovery channels the employees table lacks, unless the deployment turned that off. */
const directory = directoryKind();
const readsDirectory = optionalEnv(ENV.recoveryChannelsFromDirectory) !== 'false';
let openDirectory: (() => Promise<Directory>) | undefined;
const events = new EventBridgeClient({ maxAttempts: 3 });
const tools = observability();
const { logger } = tools;

async function emit<T extends 'VerificationCodeSent' | 'VerificationCodeDeliveryFailed' | 'AuditWriteFailed'>(
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

/** The audit's actor fields of a parsed actor (an invalid claim is UNVERIFIED_AGENT, never the caller). */
function actorOf({ actor, agentId }: ActorIdentity): ActorIdentity {
  return { actor, agentId };
}

/** The DELIVER record of a code that did not go out (lambdas/aws/audit-appender.ts); a failure to write it is raised, never swallowed. */
async function auditUndelivered(event: ResetEvent<'VerificationCodeRequested'>, context: Context, reason: string): Promise<void> {
  const { detail } = event;
  const entry = {
    employeeId: detail.employeeId,
    eventId: event.id,
    at: new Date().toISOString(),
    workflow: 'issue-verification-code',
    step: 'DELIVER',
    outcome: 'NOT_DELIVERED',
    reason,
    sessionId: detail.sessionId,
    contactId: detail.contactId,
    callerNumberMasked: detail.callerNumberMasked,
    locale: detail.locale,
    executionId: context.awsRequestId,
    // Who started the reset: the caller unless the event names an agent (an older event names no one: the caller).
    ...actorOf(parseActor(detail)),
  };
  try {
    await appendAuditRecord(auditTable, entry);
  } catch (error) {
    logger.error('audit record not written', { sessionId: detail.sessionId, errorName: (error as Error).name });
    await emit('AuditWriteFailed', { ...detail, step: 'DELIVER', outcome: entry.outcome, reason });
  }
}

/**
 * The employee with the directory's recovery channels where the employees table has none
 * (recovery-channel.ts: the table's values win). A directory that cannot answer gives none: the
 * table's, if any, still count, and a warning and RecoveryChannelLookupFailures say so — with the
 * error's name only, never a number, an address or the directory's message (it may name the entry).
 */
async function withChannelsFromDirectory(
  employee: EmployeeItem,
  sessionId: string,
): Promise<{ employee: EmployeeItem; lookupFailed?: boolean }> {
  if (!readsDirectory || !asksDirectoryForChannels(employee, directory)) return { employee };
  let channels: RecoveryChannels;
  try {
    // Opened on first use (a demo deployment never opens it). Imported statically, not require()d: in the
    // ES module bundle a require() of it kept every command of the SDK clients it reaches (no tree-shaking),
    // +137 KB and a slower cold start than evaluating the unused adapters (#21, bench:cold-start).
    openDirectory ??= directoryFromEnvironment();
    channels = await (await openDirectory()).recoveryChannels(employee.employeeId);
  } catch (error) {
    logger.warn('recovery channels not read from the directory', { sessionId, directory, errorName: (error as Error).name });
    tools.metrics.addMetric('RecoveryChannelLookupFailures', MetricUnit.Count, 1);
    return { employee, lookupFailed: true };
  }
  const merged = withDirectoryChannels(employee, channels);
  if (merged.mobile || merged.recoveryEmail) tools.metrics.addMetric('RecoveryChannelsFromDirectory', MetricUnit.Count, 1);
  return { employee: merged };
}

const deliver = resetEventConsumer(
  'issue-verification-code',
  ['VerificationCodeRequested'],
  async (event: ResetEvent<'VerificationCodeRequested'>, context: Context) => {
    const { detail } = event;
    const { sessionId } = detail;
    // Audited as well as raised: the caller heard "we just sent a code" either way, so the trail and
    // the security team's metrics are where "why not" lives.
    const failed = async (channel: DeliveryChannel | 'NONE', reason: string) => {
      await auditUndelivered(event, context, reason);
      await emit('VerificationCodeDeliveryFailed', { ...detail, channel, reason });
    };
    const stored = (await documentClient.send(new GetCommand({ TableName: employeesTable, Key: { employeeId: detail.employeeId } })))
      .Item as EmployeeItem | undefined;
    const looked = stored && (await withChannelsFromDirectory(stored, sessionId));
    const employee = looked?.employee;
    const destination =
      employee &&
      recoveryDestination(employee, {
        preferred: parseChannelPreference(detail.channelPreference),
        smsAvailable: smsOrigination !== undefined,
        corporateEmailAllowed,
      });
    if (!employee || !destination) {
      // The caller heard what every caller hears; the security team's metrics and the audit say why:
      // no channel registered, or the directory that holds them could not be asked.
      if (looked?.lookupFailed) {
        await failed('NONE', 'DIRECTORY_UNAVAILABLE');
      } else {
        tools.metrics.addMetric('CodeNoRecoveryChannel', MetricUnit.Count, 1);
        await failed('NONE', 'NO_RECOVERY_CHANNEL');
      }
      return { sent: false };
    }
    const locale = LOCALES.includes(detail.locale) ? detail.locale : employee.locale;
    const code = issueCode();
    const pepper = await codePepper(pepperSecretId);
    if (!(await storeCodeHash(sessionId, hashCode(code, sessionId, pepper)))) {
      logger.info('no code issued: the session no longer waits for one', { sessionId });
      return { sent: false };
    }
    const minutes = String(Math.round(policy.codeTtlSeconds / 60));
    try {
      // The SDKs' standard retries (exponential backoff with jitter) cover throttling and transient errors.
      if (destination.channel === 'SMS') {
        await sendTextMessage({
          to: destination.to,
          originationIdentity: smsOrigination!,
          body: verificationCodeText(locale, { code, minutes, securityPhone }),
        });
      } else {
        const data: VerificationCodeTemplateData = {
          name: escapeXml(employee.name.split(' ')[0] ?? ''),
          code,
          minutes,
          securityPhone: escapeXml(securityPhone),
        };
        await sendTemplatedEmail({
          from: emailFrom,
          to: destination.to,
          template: VERIFICATION_CODE_TEMPLATES[locale].name,
          data,
          purpose: 'verification-code',
        });
      }
    } catch (error) {
      logger.error('verification code delivery failed', { sessionId, channel: destination.channel, errorName: (error as Error).name });
      tools.metrics.addMetric(destination.channel === 'SMS' ? 'CodeTextFailures' : 'CodeEmailFailures', MetricUnit.Count, 1);
      await failed(destination.channel, 'DELIVERY_FAILED');
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
    logger.info('verification code sent', { sessionId, locale, channel: destination.channel });
    tools.metrics.addMetric(destination.channel === 'SMS' ? 'CodeTextsSent' : 'CodeEmailsSent', MetricUnit.Count, 1);
    await emit('VerificationCodeSent', {
      ...detail,
      channel: destination.channel,
      destinationMasked: destination.channel === 'SMS' ? maskPhoneNumber(destination.to) : maskEmail(destination.to),
    });
    return { sent: true };
  },
);

export const handler = instrumented(tools, deliver);
