/**
 * Every Lambda function of the product, declared once with what it may touch: the twin's Lambda host
 * runs each in an execution environment of its own (a worker thread); the CDK workflows stack bundles each entry (infra/bundling/) and
 * grants exactly the `access` declared here (least privilege), so adding a function is one entry here
 * plus its handler (docs/recipes.md). Plain data, no AWS import.
 */
import type { TableId } from '../catalogue/table-catalogue';
import {
  ACCOUNT_UNLOCKED_NOTICE_TEMPLATES,
  LOCKOUT_NOTICE_TEMPLATES,
  PASSWORD_RESET_NOTICE_TEMPLATES,
  SECURITY_ALERT_TEMPLATE,
  VERIFICATION_CODE_TEMPLATES,
} from './notifications/email-templates';

export type DynamoDbAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query';

/** What a function does in the directory: the grants differ (least privilege), the settings and network do not. */
export type DirectoryOperation = 'setPassword' | 'unlock';

/** The records Powertools Idempotency keeps for an event consumer. */
const IDEMPOTENCY_RECORDS: readonly DynamoDbAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'];

export interface FunctionAccess {
  /** Item operations on catalogue tables (on the table ARN only, no index). */
  readonly tables?: Partial<Record<TableId, readonly DynamoDbAction[]>>;
  /** Reads the code pepper from Secrets Manager. */
  readonly codePepper?: boolean;
  /** Reads the key pair the flow's stored code input is encrypted with. */
  readonly codeInputKey?: boolean;
  /** `ses:SendEmail` with these templates, from the product's identity and configuration set. */
  readonly emailTemplates?: readonly string[];
  /** `sms-voice:SendTextMessage` from the origination identity, when the deployment turns SMS on. */
  readonly sms?: boolean;
  /** `events:PutEvents` on the product's bus. */
  readonly putEvents?: boolean;
  /** `states:StartSyncExecution` on these state machines (their catalogue names), and no other. */
  readonly startsWorkflows?: readonly string[];
  /**
   * Reads and annotates contacts of the deployment's Amazon Connect instance: `connect:DescribeContact`,
   * `GetContactAttributes` and `UpdateContactAttributes` on its contacts, and `connect:SearchUsers` on
   * the instance and its users (to find the Connect user of the calling agent); CONNECT_INSTANCE_ID set.
   */
  readonly connectContacts?: boolean;
  /**
   * Writes to the configured directory: its settings, its network (LDAP), and the permission for this
   * one operation — `setPassword` (a temporary password) or `unlock` (clear a lock-out; no password).
   */
  readonly directory?: DirectoryOperation;
  /**
   * Reads employees' recovery channels from the configured directory, never writes: its settings and
   * network as the writers get them (LDAP: the bind secret; the service account's read access is the
   * directory's ACL), `cognito-idp:AdminGetUser` on the pool; nothing for the demo directory (the
   * employees table). With LDAP only where the deployment turns `ldap.readRecoveryChannels` on: the
   * function then runs in the directory's VPC.
   */
  readonly directoryRead?: boolean;
  /**
   * Writes audit digests: queries the audit table and its `by-day` index (that index only), signs with the digest key
   * (kms:Sign, nothing else on it), lists and adds objects in the digest bucket (never deletes).
   */
  readonly auditDigests?: boolean;
}

export interface FunctionDefinition {
  /** Function name in the twin and the base of the physical name in AWS. */
  readonly name: string;
  /** Handler module, relative to the repository root. */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly access?: FunctionAccess;
  /**
   * It does what cannot be undone (a password set, an account unlocked), within this budget of TIME_BUDGET:
   * its Task passes `respondBy` and `reserveSeconds`, and it refuses to start what it could not report in time.
   */
  readonly irreversible?: 'passwordSetMs' | 'accountUnlockMs';
  /** The deployment setting that caps its concurrency, protecting what it calls (SES, the directory). */
  readonly reservedConcurrencySetting?: 'codeIssuerReservedConcurrency' | 'directoryWriterReservedConcurrency';
  /** Runs on a schedule: every this many minutes (a deployment setting; the twin runs it on its clock). */
  readonly scheduleSetting?: 'auditDigestIntervalMinutes';
}

export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'prepare-reset',
    entry: 'lambdas/handlers/prepare-reset.ts',
    handler: 'handler',
    description: 'password-reset-start: validate input, derive keys (the caller hash keyed with the pepper) and TTLs',
    timeoutSeconds: 5,
    memoryMb: 256,
    access: { codePepper: true },
  },
  {
    name: 'issue-verification-code',
    entry: 'lambdas/handlers/issue-verification-code.ts',
    handler: 'handler',
    description: "VerificationCodeRequested → issue the verification code and text or e-mail it, off the caller's path",
    timeoutSeconds: 10,
    memoryMb: 256,
    access: {
      tables: { Idempotency: IDEMPOTENCY_RECORDS, Employees: ['GetItem'], ResetSessions: ['UpdateItem'], Audit: ['Query', 'PutItem'] },
      codePepper: true,
      emailTemplates: Object.values(VERIFICATION_CODE_TEMPLATES).map((t) => t.name),
      putEvents: true,
      sms: true,
      directoryRead: true,
    },
    reservedConcurrencySetting: 'codeIssuerReservedConcurrency',
  },
  {
    name: 'check-verification-code',
    entry: 'lambdas/handlers/check-verification-code.ts',
    handler: 'handler',
    description: 'password-reset-verify: constant-time compare of the code HMAC',
    timeoutSeconds: 5,
    memoryMb: 256,
    access: { codePepper: true },
  },
  {
    name: 'validate-actor',
    entry: 'lambdas/handlers/validate-actor.ts',
    handler: 'handler',
    description: "password-reset-verify: validate an agent's identity (an input that names an agent only)",
    timeoutSeconds: 3,
    memoryMb: 128,
    access: {},
  },
  {
    name: 'set-temporary-password',
    entry: 'lambdas/handlers/set-temporary-password.ts',
    handler: 'handler',
    description: 'password-reset-verify: generate the temporary password and set it in the directory',
    timeoutSeconds: 10,
    // scrypt is memory-hard; more memory also means more CPU in Lambda.
    memoryMb: 1024,
    access: { directory: 'setPassword' },
    irreversible: 'passwordSetMs',
    reservedConcurrencySetting: 'directoryWriterReservedConcurrency',
  },
  {
    name: 'unlock-account',
    entry: 'lambdas/handlers/unlock-account.ts',
    handler: 'handler',
    description: 'password-reset-verify: clear the lock-out in the directory, leaving the password as it is',
    timeoutSeconds: 5,
    memoryMb: 256,
    access: { directory: 'unlock' },
    irreversible: 'accountUnlockMs',
    reservedConcurrencySetting: 'directoryWriterReservedConcurrency',
  },
  {
    name: 'authentication-code-hook',
    entry: 'lambdas/handlers/authentication-code-hook.ts',
    handler: 'handler',
    description: 'employee-authentication-bot dialog code hook: confirm the ID, start the reset, collect the code',
    timeoutSeconds: 8,
    memoryMb: 256,
    access: { startsWorkflows: ['password-reset-start'] },
  },
  {
    name: 'get-prompts',
    entry: 'lambdas/handlers/get-prompts.ts',
    handler: 'handler',
    description: 'Connect: the prompts of a flow in the caller locale',
    timeoutSeconds: 3,
    memoryMb: 256,
    access: { tables: { Prompts: ['GetItem'] } },
  },
  {
    name: 'verify-code',
    entry: 'lambdas/handlers/verify-code.ts',
    handler: 'handler',
    description: 'Connect: runs password-reset-verify and returns status, attemptsLeft, passwordSsml',
    timeoutSeconds: 8,
    memoryMb: 256,
    access: { startsWorkflows: ['password-reset-verify'], codeInputKey: true },
  },
  {
    name: 'read-out-agent-action',
    entry: 'lambdas/handlers/read-out-agent-action.ts',
    handler: 'handler',
    description:
      "Connect (agent-readout flow): runs password-reset-verify's readout form for what the agent asked; returns status, passwordSsml",
    timeoutSeconds: 8,
    memoryMb: 256,
    access: { startsWorkflows: ['password-reset-verify'] },
  },
  {
    name: 'agent-api',
    entry: 'lambdas/handlers/agent-api.ts',
    handler: 'handler',
    description:
      "Agent API (API Gateway, IAM): verify the caller of the agent's connected contact and ask for the readout; never a code or a password",
    // The code check waits for password-reset-verify (AGENT_WORKFLOW_WAIT_MS); API Gateway gives up at 29 s.
    timeoutSeconds: 25,
    memoryMb: 256,
    access: { startsWorkflows: ['password-reset-start', 'password-reset-verify'], connectContacts: true },
  },
  {
    name: 'agent-context',
    entry: 'lambdas/handlers/agent-context.ts',
    handler: 'handler',
    description: 'Connect: the non-secret context an agent sees when a call reaches the queue',
    timeoutSeconds: 3,
    memoryMb: 128,
    access: {},
  },
  {
    name: 'security-notice',
    entry: 'lambdas/handlers/security-notice.ts',
    handler: 'handler',
    description: 'PasswordReset, AccountUnlocked, AccountLocked → notice to the employee',
    timeoutSeconds: 15,
    memoryMb: 256,
    access: {
      tables: { Idempotency: IDEMPOTENCY_RECORDS, Employees: ['GetItem'] },
      emailTemplates: [
        ...Object.values(PASSWORD_RESET_NOTICE_TEMPLATES),
        ...Object.values(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES),
        ...Object.values(LOCKOUT_NOTICE_TEMPLATES),
      ].map((t) => t.name),
    },
  },
  {
    name: 'security-alert',
    entry: 'lambdas/handlers/security-alert.ts',
    handler: 'handler',
    description: 'AccountLocked, SuspiciousActivity, AuditWriteFailed → alert to the security team (email, SMS)',
    timeoutSeconds: 15,
    memoryMb: 256,
    access: { tables: { Idempotency: IDEMPOTENCY_RECORDS }, emailTemplates: [SECURITY_ALERT_TEMPLATE.name], sms: true },
  },
  {
    name: 'sweep-detector',
    entry: 'lambdas/handlers/sweep-detector.ts',
    handler: 'handler',
    description: 'ResetStarted, AccountLocked → SuspiciousActivity once per window over the threshold',
    timeoutSeconds: 15,
    memoryMb: 256,
    access: { tables: { Idempotency: IDEMPOTENCY_RECORDS, RateLimits: ['UpdateItem', 'PutItem'] }, putEvents: true },
  },
  {
    name: 'event-metrics',
    entry: 'lambdas/handlers/event-metrics.ts',
    handler: 'handler',
    description: 'every event → EMF metrics by type, locale and reason',
    timeoutSeconds: 10,
    memoryMb: 256,
    access: { tables: { Idempotency: IDEMPOTENCY_RECORDS } },
  },
  {
    name: 'write-audit-digest',
    entry: 'lambdas/handlers/write-audit-digest.ts',
    handler: 'handler',
    description: 'every few minutes: sign the heads of the audit chains that changed and keep them in the Object Lock bucket',
    timeoutSeconds: 60,
    memoryMb: 256,
    access: { auditDigests: true },
    scheduleSetting: 'auditDigestIntervalMinutes',
  },
];

export function functionByName(name: string, catalogue: readonly FunctionDefinition[] = FUNCTIONS): FunctionDefinition {
  const fn = catalogue.find((f) => f.name === name);
  if (!fn) throw new Error(`unknown function ${name}`);
  return fn;
}
