/**
 * The message IAM gives a principal refused a call, as AWS services word it: "User: <assumed-role ARN> is
 * not authorized to perform: <action> on resource: <ARN> because no identity-based policy allows the
 * <action> action", or "… with an explicit deny in a resource-based policy" when the resource's own
 * policy refuses it (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 * One wording for every refusal the twin makes.
 */
import { LOCAL_ACCOUNT } from '../local-credentials';

/** The identity calls are made as when a service assumes `roleName` (STS's assumed-role ARN). */
export function assumedRoleArn(roleName: string, sessionName: string): string {
  return `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${roleName}/${sessionName}`;
}

export function notAuthorizedMessage(principalArn: string, action: string, resource: string, explicitDeny = false): string {
  const why = explicitDeny
    ? 'with an explicit deny in a resource-based policy'
    : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
