/**
 * IAM for the workflows' own calls in the twin: Step Functions calls each service with the state
 * machine's role (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html), so
 * a task whose call the role does not allow fails, with the service's AccessDenied as the task's error.
 * The role is what CDK writes from the ASL (state-machines/state-machine-role.ts): a step that reads an
 * index, picks its table or function at run time, or calls another service through `aws-sdk:*` is
 * refused here as on AWS. A machine created through the twin's API calls with the role it names: one of
 * the deployed machines' roles or one the twin was given (TwinOptions.workflowRoles, as a test creates one
 * in IAM); the service refuses any other at CreateStateMachine, as AWS refuses a role it cannot assume.
 *
 * The task's error name: `Lambda.AWSLambdaException` for an invoke, as AWS reports it (the cause ends
 * "(Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; …)", e.g.
 * awslabs/aws-deployment-framework#460); other services' refusals keep the twin's naming of service
 * errors, `<Service>.AccessDeniedException` (task-resources.ts; LocalStack names DynamoDB's the same).
 */
import { randomUUID } from 'node:crypto';
import { explicitlyDenied } from '../../lambdas/function-role';
import { stateMachineAllows, type StateMachineRole, type WorkflowRequest } from '../../state-machines/state-machine-role';
import { dynamoDbRoleCalls } from '../dynamodb/dynamodb-authorization';
import { assumedRoleArn, notAuthorizedMessage } from '../iam/not-authorized';
import { LOCAL_ACCOUNT } from '../local-credentials';

export interface WorkflowRoles {
  /** An IAM role of the account, by its ARN (a machine calls with its own); undefined: no such role, nothing allowed. */
  roleOf(roleArn: string): StateMachineRole | undefined;
  /** The product's event bus, by name. */
  eventBusName: string;
}

/** One call a task makes, as IAM sees it, and the resource it names (for the error). */
export interface WorkflowCall {
  request: WorkflowRequest;
  resource: string;
}

/** How the called service reports a refusal, as the task's error carries it. */
export interface ServiceDenial {
  error: string;
  /** The service as the cause names it ("Service: …"). */
  service: string;
  statusCode: number;
}

export const LAMBDA_DENIAL: ServiceDenial = { error: 'Lambda.AWSLambdaException', service: 'AWSLambda', statusCode: 403 };

export function dynamoDbDenial(errorPrefix: string): ServiceDenial {
  return { error: `${errorPrefix}.AccessDeniedException`, service: 'AmazonDynamoDBv2', statusCode: 400 };
}

/** The calls a DynamoDB request is (each table of a batch, each item of a transaction). */
export function dynamoDbCalls(operation: string, input: Record<string, unknown>): WorkflowCall[] {
  // A body the twin cannot read is dynalite's to refuse (its ValidationException), as before any IAM check.
  return dynamoDbRoleCalls(operation, input) ?? [];
}

/** lambda:InvokeFunction on a function (`functionName`: the twin's function, if the name or ARN is one). */
export function invokeCall(functionName: string | undefined, resource: string): WorkflowCall {
  return { request: { action: 'lambda:InvokeFunction', functionName }, resource };
}

/** Any other service's action (no workflow's role has one). */
export function otherCall(action: string): WorkflowCall {
  return { request: { action, other: true }, resource: '*' };
}

/** The task error for the first call the machine's role does not allow, or undefined. */
export function workflowRefusal(
  role: StateMachineRole,
  roles: WorkflowRoles,
  roleArn: string,
  calls: readonly WorkflowCall[],
  denial: ServiceDenial,
): { error: string; cause: string } | undefined {
  const denied = calls.find(({ request }) => !stateMachineAllows(role, roles.eventBusName, request));
  if (!denied) return undefined;
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const principal = assumedRoleArn(roleName, randomUUID().replaceAll('-', ''));
  const message = notAuthorizedMessage(principal, denied.request.action, denied.resource, explicitlyDenied(denied.request));
  return {
    error: denial.error,
    cause: `${message} (Service: ${denial.service}; Status Code: ${denial.statusCode}; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`,
  };
}

/** What a role the account does not have allows: nothing. */
export const NO_PERMISSIONS: StateMachineRole = { dynamoDb: [], putEvents: false, invokes: [] };

/** The role the twin gives a machine it deploys from the catalogue (CDK creates one per machine). */
export function deployedMachineRoleArn(machineName: string): string {
  return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${machineName}-role`;
}
