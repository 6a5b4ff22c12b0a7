/**
 * The Lambda functions' roles, as the twin's emulators check them (IAM): a request a handler made names
 * its function (local/lambda/invoking-function.ts), and the endpoint refuses what that function's role,
 * as CDK writes it from the catalogue (lambdas/function-role.ts), does not allow — AccessDeniedException,
 * as the service answers. Requests no handler made are not checked.
 */
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import { explicitlyDenied, roleAllows, type RoleDeployment, type RoleRequest } from '../../lambdas/function-role';
import { AwsServiceError } from '../http/aws-service-error';
import type { AwsJsonService } from '../http/aws-json-protocol-server';
import { INVOKING_FUNCTION_HEADER } from './invoking-function';
import { assumedRoleArn, notAuthorizedMessage } from '../iam/not-authorized';

export interface LambdaRoles {
  /** A function's catalogue entry (its `access`), by name. */
  functionNamed(name: string): FunctionDefinition | undefined;
  deployment: RoleDeployment;
}

/** The identity a function's calls are made as, in AWS's words (its role, assumed by Lambda). */
export function assumedRole(functionName: string): string {
  return assumedRoleArn(`support-desk-${functionName}-role`, `support-desk-${functionName}`);
}

/** The error the service sends a role that is not allowed `action` on `resource`. */
export function accessDenied(functionName: string, action: string, resource: string, explicitDeny = false): AwsServiceError {
  return new AwsServiceError('AccessDeniedException', notAuthorizedMessage(assumedRole(functionName), action, resource, explicitDeny));
}

/** One call a request is, as IAM sees it, and the resource it names (for the error). */
export interface RoleCall {
  request: RoleRequest;
  resource: string;
}

/**
 * Every endpoint's check: the refusal of a request a Lambda handler made (it names its function,
 * invoking-function.ts) when its function's role does not allow one of the calls it is, or undefined.
 * `callsOf` is asked only for a handler's request; requests no handler made, or a twin without roles, pass.
 */
export function roleRefusal(
  roles: LambdaRoles | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  callsOf: () => readonly RoleCall[],
): AwsServiceError | undefined {
  const caller = headers[INVOKING_FUNCTION_HEADER];
  if (!roles || typeof caller !== 'string') return undefined;
  const access = roles.functionNamed(caller)?.access;
  const denied = callsOf().find(({ request }) => !roleAllows(access, roles.deployment, request));
  return denied && accessDenied(caller, denied.request.action, denied.resource, explicitlyDenied(denied.request));
}

/** An AWS JSON endpoint's check (aws-json-protocol-server.ts `authorize`), from the calls each operation is. */
export function lambdaRoleCheck(
  roles: LambdaRoles,
  callsOf: (operation: string, input: Record<string, unknown>) => readonly RoleCall[],
): NonNullable<AwsJsonService['authorize']> {
  return (operation, input, headers) => {
    const refusal = roleRefusal(roles, headers, () => callsOf(operation, input));
    if (refusal) throw refusal;
  };
}
