/**
 * The Lambda functions' roles, as the twin's emulators check them (IAM): a request a handler made names
 * its function (local/lambda/invoking-function.ts), and the endpoint refuses what that function's role,
 * as CDK writes it from the catalogue (lambdas/function-role.ts), does not allow — AccessDeniedException,
 * as the service answers. Requests no handler made are not checked.
 */
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import { roleAllows, type RoleDeployment, type RoleRequest } from '../../lambdas/function-role';
import { AwsServiceError } from '../http/aws-service-error';
import { LOCAL_ACCOUNT } from '../local-credentials';

export interface LambdaRoles {
  /** A function's catalogue entry (its `access`), by name. */
  functionNamed(name: string): FunctionDefinition | undefined;
  deployment: RoleDeployment;
}

/** The identity a function's calls are made as, in AWS's words (its role, assumed by Lambda). */
export function assumedRole(functionName: string): string {
  return `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/support-desk-${functionName}-role/support-desk-${functionName}`;
}

/** The error the service sends a role that is not allowed `action` on `resource`. */
export function accessDenied(functionName: string, action: string, resource: string): AwsServiceError {
  return new AwsServiceError(
    'AccessDeniedException',
    `User: ${assumedRole(functionName)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}

/**
 * An AWS JSON endpoint's check (aws-json-protocol-server.ts `authorize`): every call a request is
 * (`callsOf`, with the resource each names for the error) must be allowed to the calling function.
 */
export function lambdaRoleCheck(
  roles: LambdaRoles,
  callsOf: (operation: string, input: Record<string, unknown>) => Array<{ request: RoleRequest; resource: string }>,
): (operation: string, input: Record<string, unknown>, caller: string) => void {
  return (operation, input, caller) => {
    const access = roles.functionNamed(caller)?.access;
    const denied = callsOf(operation, input).find(({ request }) => !roleAllows(access, roles.deployment, request));
    if (denied) throw accessDenied(caller, denied.request.action, denied.resource);
  };
}
