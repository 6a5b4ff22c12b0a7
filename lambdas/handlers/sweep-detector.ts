/**
 * Consumer of `ResetStarted` and `AccountLocked`: counts distinct employee IDs per caller number, per
 * agent (verifications an agent started, issue #20) and lock-outs company-wide in fixed windows (the rate-limits table, with TTL), and emits one
 * `SuspiciousActivity` per window that crosses the policy's threshold. Idempotent on the event id,
 * so a redelivered event counts once.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { documentClient } from '../aws/dynamodb-client';
import { resetEventConsumer } from '../aws/idempotent-consumer';
import { ENV, requiredEnv, tableName } from '../configuration/environment';
import { instrumented, observability } from '../observability/instrumented-handler';
import {
  agentSweepKey,
  alertMarkerKey,
  callerSweepKey,
  lockoutSurgeKey,
  sweepPolicyFromEnvironment,
  windowOf,
  type SweepWindow,
} from '../domain/sweep-detection';
import { SCHEMA_VERSION, isResetEvent, type ResetEvent, type SuspiciousActivityDetail } from '../../events/password-reset-events';
import { SECURITY_SOURCE } from '../../events/rule-catalogue';

const countersTable = tableName('RateLimits');
const busName = requiredEnv(ENV.eventBusName);
const policy = sweepPolicyFromEnvironment(process.env);
const events = new EventBridgeClient({ maxAttempts: 3 });
const tools = observability();

type Input = ResetEvent<'ResetStarted'> | ResetEvent<'AccountLocked'>;

/** Adds the employee to the window's set; returns the set as it now is. */
async function addToWindow(key: string, window: SweepWindow, employeeId: string): Promise<string[]> {
  const out = await documentClient.send(
    new UpdateCommand({
      TableName: countersTable,
      Key: { counterKey: key },
      UpdateExpression: 'ADD employeeIds :id SET #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':id': new Set([employeeId]), ':ttl': window.ttl },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return [...((out.Attributes?.employeeIds as Set<string> | undefined) ?? [])].sort();
}

/** True only for the first caller to claim this window's alert. */
async function claimAlert(key: string, window: SweepWindow): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: countersTable,
        Item: { counterKey: alertMarkerKey(key), ttl: window.ttl },
        ConditionExpression: 'attribute_not_exists(counterKey)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

async function report(detail: SuspiciousActivityDetail): Promise<void> {
  const out = await events.send(
    new PutEventsCommand({
      Entries: [{ EventBusName: busName, Source: SECURITY_SOURCE, DetailType: 'SuspiciousActivity', Detail: JSON.stringify(detail) }],
    }),
  );
  if (out.FailedEntryCount) throw new Error(`SuspiciousActivity not accepted: ${out.Entries?.[0]?.ErrorCode}`);
  tools.logger.warn('suspicious activity', { kind: detail.kind, count: detail.count, window: detail.windowStart });
}

const detect = resetEventConsumer('sweep-detector', ['ResetStarted', 'AccountLocked'], async (event: Input) => {
  const { detail } = event;
  if (isResetEvent(event, 'ResetStarted')) {
    if (detail.employeeId === '-') return { counted: false };
    // An agent's verification: counted per agent as well (a refused claim, agentId "?", never starts one).
    if (detail.actor === 'agent' && detail.agentId && detail.agentId !== '?') {
      const window = windowOf(detail.at, policy.callerWindowSeconds);
      const key = agentSweepKey(detail.agentId, window);
      const employeeIds = await addToWindow(key, window, detail.employeeId);
      if (employeeIds.length >= policy.distinctEmployeesPerAgent && (await claimAlert(key, window))) {
        await report({
          schemaVersion: SCHEMA_VERSION,
          kind: 'AGENT_SWEEP',
          windowStart: window.start,
          windowEnd: window.end,
          count: employeeIds.length,
          threshold: policy.distinctEmployeesPerAgent,
          agentId: detail.agentId,
          employeeIds,
          at: new Date().toISOString(),
        });
      }
    }
    if (!detail.callerHash || detail.callerHash === '-') return { counted: false };
    const window = windowOf(detail.at, policy.callerWindowSeconds);
    const key = callerSweepKey(detail.callerHash, window);
    const employeeIds = await addToWindow(key, window, detail.employeeId);
    if (employeeIds.length >= policy.distinctEmployeesPerCaller && (await claimAlert(key, window))) {
      await report({
        schemaVersion: SCHEMA_VERSION,
        kind: 'CALLER_SWEEP',
        windowStart: window.start,
        windowEnd: window.end,
        count: employeeIds.length,
        threshold: policy.distinctEmployeesPerCaller,
        callerHash: detail.callerHash,
        callerNumberMasked: detail.callerNumberMasked,
        employeeIds,
        at: new Date().toISOString(),
      });
    }
    return { counted: true, distinct: employeeIds.length };
  }
  const window = windowOf(detail.at, policy.lockoutWindowSeconds);
  const key = lockoutSurgeKey(window);
  const employeeIds = await addToWindow(key, window, `${detail.employeeId}`);
  if (employeeIds.length >= policy.lockoutsCompanyWide && (await claimAlert(key, window))) {
    await report({
      schemaVersion: SCHEMA_VERSION,
      kind: 'LOCKOUT_SURGE',
      windowStart: window.start,
      windowEnd: window.end,
      count: employeeIds.length,
      threshold: policy.lockoutsCompanyWide,
      employeeIds,
      at: new Date().toISOString(),
    });
  }
  return { counted: true, lockouts: employeeIds.length };
});

export const handler = instrumented(tools, detect);
