/**
 * The environment every function is given — by CDK in AWS and by the twin locally — so both set
 * exactly the same variables. Values differ by deployment; names and meaning do not.
 */
import { tableEnvironment, type TableDefinition } from '../../infra/table-catalogue';
import { policyEnvironment, type ResetPolicy } from '../domain/reset-policy';
import { ENV } from './environment';

export const SERVICE_NAME = 'support-desk';
export const METRICS_NAMESPACE = 'SupportDesk';

export function functionEnvironment(values: {
  tableName: (table: TableDefinition) => string;
  eventBusName: string;
  codePepperSecretId: string;
  emailFrom: string;
  startWorkflowArn: string;
  verifyWorkflowArn: string;
  policy: ResetPolicy;
  logLevel?: string;
  tracing: boolean;
}): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: values.logLevel ?? 'INFO',
    POWERTOOLS_TRACE_ENABLED: String(values.tracing),
    ...tableEnvironment(values.tableName),
    ...policyEnvironment(values.policy),
    [ENV.eventBusName]: values.eventBusName,
    [ENV.codePepperSecretId]: values.codePepperSecretId,
    [ENV.emailFrom]: values.emailFrom,
    [ENV.startWorkflowArn]: values.startWorkflowArn,
    [ENV.verifyWorkflowArn]: values.verifyWorkflowArn,
  };
}
