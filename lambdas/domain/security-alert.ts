/**
 * What the security team is told about a lock-out or suspicious activity: a title, a summary and
 * the details they act on (IDs, masked numbers, times) — never a code or a password.
 */
import type { ResetEventDetails, SuspiciousActivityDetail } from '../../events/password-reset-events';
import type { SecurityAlertData } from '../notifications/email-templates';

export function accountLockedAlert(detail: ResetEventDetails['AccountLocked']): SecurityAlertData & { sms: string } {
  return {
    title: `account ${detail.employeeId} locked`,
    summary: `Three wrong verification codes were keyed for employee ${detail.employeeId}; the account is locked until ${detail.lockedUntil}.`,
    details: [
      `employee: ${detail.employeeId}`,
      `caller number: ${detail.callerNumberMasked}`,
      `at: ${detail.at}`,
      `locked until: ${detail.lockedUntil}`,
      `contact: ${detail.contactId}`,
      `reset session: ${detail.sessionId}`,
    ].join('\n'),
    sms: `Support Desk: employee ${detail.employeeId} locked after 3 wrong codes from ${detail.callerNumberMasked}.`,
  };
}

export function suspiciousActivityAlert(detail: SuspiciousActivityDetail): SecurityAlertData & { sms: string } {
  const sweep = detail.kind === 'CALLER_SWEEP';
  const agent = detail.kind === 'AGENT_SWEEP';
  const title = sweep
    ? `reset sweep from ${detail.callerNumberMasked ?? 'one number'}`
    : agent
      ? `verification sweep by agent ${detail.agentId ?? '?'}`
      : `${detail.count} lock-outs across the company`;
  return {
    title,
    summary: sweep
      ? `One caller number started resets for ${detail.count} different employee IDs between ${detail.windowStart} and ${detail.windowEnd} (threshold ${detail.threshold}).`
      : agent
        ? `One agent started caller verifications for ${detail.count} different employees between ${detail.windowStart} and ${detail.windowEnd} (threshold ${detail.threshold}): an insider, or a stolen agent session.`
        : `${detail.count} accounts were locked between ${detail.windowStart} and ${detail.windowEnd} (threshold ${detail.threshold}).`,
    details: [
      `kind: ${detail.kind}`,
      ...(detail.callerNumberMasked ? [`caller number: ${detail.callerNumberMasked}`] : []),
      ...(detail.agentId ? [`agent: ${detail.agentId}`] : []),
      `employee IDs: ${detail.employeeIds.join(', ')}`,
      `window: ${detail.windowStart} – ${detail.windowEnd}`,
    ].join('\n'),
    sms: `Support Desk: ${title}.`,
  };
}

export function auditWriteFailedAlert(detail: ResetEventDetails['AuditWriteFailed']): SecurityAlertData & { sms: string } {
  return {
    title: `audit record missing for employee ${detail.employeeId}`,
    // A write-ahead record (reason AUTHORIZED) that failed means the code or the reset did not happen.
    summary:
      detail.reason === 'AUTHORIZED'
        ? `The ${detail.step} step for employee ${detail.employeeId} was about to ${detail.outcome === 'RESET' ? 'set a temporary password' : 'send a code'}, but its audit record could not be written, so it did not: the caller heard that we are having trouble. Check the audit table.`
        : `The ${detail.step} step for employee ${detail.employeeId} ended ${detail.outcome} (${detail.reason}), but its audit record could not be written. Record it by hand from the execution and the events.`,
    details: [
      `employee: ${detail.employeeId}`,
      `step: ${detail.step}`,
      `outcome: ${detail.outcome} (${detail.reason})`,
      `caller number: ${detail.callerNumberMasked}`,
      `at: ${detail.at}`,
      `execution: ${detail.executionId}`,
      `reset session: ${detail.sessionId}`,
    ].join('\n'),
    sms: `Support Desk: audit record missing for employee ${detail.employeeId} (${detail.step} ${detail.outcome}).`,
  };
}
