/**
 * Reading configuration from environment variables (set identically by CDK and the twin).
 * Handlers call these at module scope, so a missing or invalid setting fails the cold start
 * with a clear message instead of failing a caller's turn later.
 */
import { tableById, type TableId } from '../../catalogue/table-catalogue';
import { ConfigurationError } from './configuration-error';

type Env = Record<string, string | undefined>;

export function requiredEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigurationError(`environment variable ${name} is required`);
  return value;
}

export function tableName(id: TableId, env: Env = process.env): string {
  return requiredEnv(tableById(id).envVar, env);
}

/** An optional positive integer setting. */
export function positiveIntegerEnv(name: string, fallback: number, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Environment variable names beyond tables and policy. */
export const ENV = {
  eventBusName: 'EVENT_BUS_NAME',
  codePepperSecretId: 'CODE_PEPPER_SECRET_ID',
  /** The key pair the flow's stored code input is encrypted with (catalogue/secret-catalogue.ts). */
  codeInputKeySecretId: 'CODE_INPUT_KEY_SECRET_ID',
  emailFrom: 'EMAIL_FROM',
  startWorkflowArn: 'START_WORKFLOW_ARN',
  verifyWorkflowArn: 'VERIFY_WORKFLOW_ARN',
  /** How long a caller's turn may wait for a synchronous workflow. */
  workflowTimeoutMs: 'WORKFLOW_TIMEOUT_MS',
  securityTeamEmail: 'SECURITY_TEAM_EMAIL',
  /** Said in security notices: "if this was not you, call security at ...". */
  securityTeamPhone: 'SECURITY_TEAM_PHONE',
  /** Optional: SMS alerts go to this number from this origination identity when both are set. */
  securityAlertSmsNumber: 'SECURITY_ALERT_SMS_NUMBER',
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  /** Appended to every SES template name (one set of templates per stage in an account). */
  emailTemplateSuffix: 'EMAIL_TEMPLATE_SUFFIX',
  /** The SES configuration set every e-mail is sent with. */
  emailConfigurationSet: 'EMAIL_CONFIGURATION_SET',
  /** The End User Messaging SMS configuration set every text is sent with. */
  smsConfigurationSet: 'SMS_CONFIGURATION_SET',
  /** "true": the corporate mailbox may receive codes when the employee has no recovery channel (off by default). */
  codeToCorporateEmail: 'CODE_TO_CORPORATE_EMAIL',
  /** The S3 bucket audit digests are kept in (Object Lock) and the KMS key that signs them. */
  auditDigestBucket: 'AUDIT_DIGEST_BUCKET',
  auditDigestKeyId: 'AUDIT_DIGEST_KEY_ID',
  /** How far before the previous digest's end the writer looks again for changed chains (seconds). */
  auditDigestLookbackSeconds: 'AUDIT_DIGEST_LOOKBACK_SECONDS',
  /** The deployment's directory: demo, ldap or cognito (lambdas/directory/directory-kind.ts). */
  directory: 'DIRECTORY',
  /**
   * "false": issue-verification-code does not ask the directory for recovery channels (set where the
   * deployment does not give it the directory: LDAP without `ldap.readRecoveryChannels`). Otherwise it
   * asks any directory but the demo one, for an employee the employees table has no channel for.
   */
  recoveryChannelsFromDirectory: 'RECOVERY_CHANNELS_FROM_DIRECTORY',
  /** How long get-prompts keeps a flow's prompts in the container. */
  promptsCacheSeconds: 'PROMPTS_CACHE_SECONDS',
  /** The Amazon Connect instance the agent API reads contacts of (its ID, the last part of the instance ARN). */
  connectInstanceId: 'CONNECT_INSTANCE_ID',
} as const;

export function optionalEnv(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}
