/**
 * The environment every function is given — by CDK in AWS and by the twin locally — so both set
 * exactly the same variables. Values differ by deployment; names and meaning do not.
 */
import { tableEnvironment, type TableDefinition } from '../../catalogue/table-catalogue';
import { policyEnvironment, type ResetPolicy } from '../domain/reset-policy';
import { ENV } from './environment';
import { sweepPolicyEnvironment, type SweepPolicy } from '../domain/sweep-detection';
import type { DirectoryKind } from '../directory/directory-kind';

export const SERVICE_NAME = 'support-desk';
export const METRICS_NAMESPACE = 'SupportDesk';

export function functionEnvironment(values: {
  tableName: (table: TableDefinition) => string;
  eventBusName: string;
  codePepperSecretId: string;
  codeInputKeySecretId: string;
  emailFrom: string;
  /** `-<stage>`: SES template names are per stage. */
  emailTemplateSuffix: string;
  emailConfigurationSet: string;
  smsConfigurationSet?: string;
  startWorkflowArn: string;
  verifyWorkflowArn: string;
  auditDigestBucket: string;
  auditDigestKeyId: string;
  policy: ResetPolicy;
  sweepPolicy: SweepPolicy;
  securityTeamEmail: string;
  securityTeamPhone: string;
  securityAlertSmsNumber?: string;
  smsOriginationIdentity?: string;
  /** Codes may go to the corporate mailbox when an employee has no recovery channel (off unless set). */
  codeToCorporateEmail?: boolean;
  /**
   * Which directory the deployment uses (DIRECTORY): every function may know it (get-prompts tells the
   * flow whether unlock can work); only the directory's writers get its settings, network and permissions.
   */
  directory: DirectoryKind;
  logLevel?: string;
}): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: values.logLevel ?? 'INFO',
    ...tableEnvironment(values.tableName),
    ...policyEnvironment(values.policy),
    ...sweepPolicyEnvironment(values.sweepPolicy),
    [ENV.securityTeamEmail]: values.securityTeamEmail,
    [ENV.securityTeamPhone]: values.securityTeamPhone,
    [ENV.securityAlertSmsNumber]: values.securityAlertSmsNumber ?? '',
    [ENV.smsOriginationIdentity]: values.smsOriginationIdentity ?? '',
    [ENV.codeToCorporateEmail]: String(values.codeToCorporateEmail ?? false),
    [ENV.directory]: values.directory,
    [ENV.eventBusName]: values.eventBusName,
    [ENV.codePepperSecretId]: values.codePepperSecretId,
    [ENV.codeInputKeySecretId]: values.codeInputKeySecretId,
    [ENV.emailFrom]: values.emailFrom,
    [ENV.emailTemplateSuffix]: values.emailTemplateSuffix,
    [ENV.emailConfigurationSet]: values.emailConfigurationSet,
    [ENV.smsConfigurationSet]: values.smsConfigurationSet ?? '',
    [ENV.startWorkflowArn]: values.startWorkflowArn,
    [ENV.verifyWorkflowArn]: values.verifyWorkflowArn,
    [ENV.auditDigestBucket]: values.auditDigestBucket,
    [ENV.auditDigestKeyId]: values.auditDigestKeyId,
  };
}
