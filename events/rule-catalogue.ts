/**
 * The event bus and its rules, declared once: the CDK events stack deploys these objects and the
 * twin's EventBridge endpoint matches and delivers with them.
 */
import type { EventPattern } from './event-pattern';

export const EVENT_BUS_NAME = 'support-desk';
export const EVENT_SOURCE = 'support-desk.password-reset';
/** Events the product derives about callers' behaviour (sweeps, lock-out surges). */
export const SECURITY_SOURCE = 'support-desk.security';

/**
 * How a rule's (or a schedule's) Lambda target runs: EventBridge invokes it asynchronously, so the rule
 * target's retry policy and dead-letter queue cover only failures to hand the event to Lambda. An error of
 * the function itself is Lambda's to retry — twice by default, then the event is discarded unless the
 * function has an on-failure destination
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). CDK gives every
 * such function this policy and an on-failure queue; the twin retries as many times, then keeps the event
 * in its dead-letter file.
 */
export const ASYNC_INVOCATION = { retryAttempts: 2, maxEventAgeHours: 6 } as const;

export interface RuleTarget {
  /** Target id, unique within the rule. */
  readonly id: string;
  /** A function of the function catalogue. */
  readonly functionName: string;
}

export interface RuleDefinition {
  readonly name: string;
  readonly description: string;
  readonly eventPattern: EventPattern;
  readonly targets: readonly RuleTarget[];
}

export const RULES: readonly RuleDefinition[] = [
  {
    name: 'verification-code-delivery',
    description: "A start answered CODE_SENT: issue the code and deliver it, off the caller's path (equal answers for every ID)",
    eventPattern: { source: [EVENT_SOURCE], 'detail-type': ['VerificationCodeRequested'] },
    targets: [{ id: 'issue-verification-code', functionName: 'issue-verification-code' }],
  },
  {
    name: 'password-reset-notice',
    description: 'After a reset, an unlock or a lock-out: the notice to the employee',
    eventPattern: { source: [EVENT_SOURCE], 'detail-type': ['PasswordReset', 'AccountUnlocked', 'AccountLocked'] },
    targets: [{ id: 'security-notice', functionName: 'security-notice' }],
  },
  {
    name: 'security-alerts',
    description: 'Lock-outs, suspicious activity and unaudited steps: alert the security team',
    eventPattern: { source: [EVENT_SOURCE, SECURITY_SOURCE], 'detail-type': ['AccountLocked', 'SuspiciousActivity', 'AuditWriteFailed'] },
    targets: [{ id: 'security-alert', functionName: 'security-alert' }],
  },
  {
    name: 'sweep-detection',
    description: 'Resets started and lock-outs: detect sweeps across IDs and lock-out surges',
    eventPattern: { source: [EVENT_SOURCE], 'detail-type': ['ResetStarted', 'AccountLocked'] },
    targets: [{ id: 'sweep-detector', functionName: 'sweep-detector' }],
  },
  {
    name: 'event-metrics',
    description: 'Every Support Desk event: metrics by type',
    eventPattern: { source: [{ prefix: 'support-desk.' }] },
    targets: [{ id: 'event-metrics', functionName: 'event-metrics' }],
  },
];
