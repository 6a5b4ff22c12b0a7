/**
 * The message IAM gives a principal whose identity policies allow nothing for a call, as AWS services
 * word it ("User: <assumed-role ARN> is not authorized to perform: <action> on resource: <ARN> because no
 * identity-based policy allows the <action> action"). One wording for every refusal the twin makes.
 */
import { LOCAL_ACCOUNT } from '../local-credentials';

/** The identity calls are made as when a service assumes `roleName` (STS's assumed-role ARN). */
export function assumedRoleArn(roleName: string, sessionName: string): string {
  return `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${roleName}/${sessionName}`;
}

export function notAuthorizedMessage(principalArn: string, action: string, resource: string): string {
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}
