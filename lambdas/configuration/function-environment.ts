/**
 * The environment every function is given — by CDK in AWS and by the twin locally — so both set
 * exactly the same variables. Values differ by deployment; names and meaning do not.
 */
import { tableEnvironment, type TableDefinition } from '../../catalogue/table-catalogue';
import { policyEnvironment, type ResetPolicy } from '../domain/reset-policy';
import { ENV } from './environment';
import { sweepPolicyEnvironment, type SweepPolicy } from '../domain/sweep-detection';
import type { DirectoryKind } from '../directory/directory-kind';
import type { FunctionDefinition } from '../function-catalogue';

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

/** What a deployment gives only some of its functions (CDK and the twin decide who gets what here). */
export interface FunctionSpecificSettings {
  /** The directory's settings (its connection, its secret's ID), for the functions that use the directory. */
  directoryEnvironment: Readonly<Record<string, string>>;
  /** Whether the directory's reader (access.directoryRead) asks the directory for recovery channels. */
  readsRecoveryChannels: boolean;
  /** The Amazon Connect instance's ID, for the functions that read contacts (asked only when one does). */
  connectInstanceId: () => string;
}

/** The directory's writers (access.directory), and its reader where the deployment lets it read the directory. */
export function usesDirectory(definition: FunctionDefinition, readsRecoveryChannels: boolean): boolean {
  return definition.access?.directory !== undefined || (definition.access?.directoryRead === true && readsRecoveryChannels);
}

/** One function's environment: the one every function is given, and what only it is given. */
export function environmentOfFunction(
  definition: FunctionDefinition,
  shared: Readonly<Record<string, string>>,
  settings: FunctionSpecificSettings,
): Record<string, string> {
  const readsDirectory = definition.access?.directoryRead === true && settings.readsRecoveryChannels;
  return {
    ...shared,
    ...(usesDirectory(definition, settings.readsRecoveryChannels) ? settings.directoryEnvironment : {}),
    ...(definition.access?.directoryRead ? { [ENV.recoveryChannelsFromDirectory]: String(readsDirectory) } : {}),
    ...(definition.access?.connectContacts ? { [ENV.connectInstanceId]: settings.connectInstanceId() } : {}),
  };
}
