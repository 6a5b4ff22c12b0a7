/**
 * Client settings for the twin's own calls to its emulators (table creation, seeding, inspection).
 * Handlers never use this: they get endpoints from the AWS_ENDPOINT_URL_* variables the twin sets.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/**
 * The audit table's break-glass role, as an operator holds it after assuming it (the twin is a stage with
 * `auditBreakGlassRoleArn` set): the one principal its resource policy lets correct or remove a record.
 */
export const LOCAL_BREAK_GLASS_CREDENTIALS = { accessKeyId: 'local-break-glass', secretAccessKey: 'local' };
/** Who calls with LOCAL_CREDENTIALS and is not a function: the twin's operator (the tests, the CLI). */
export const LOCAL_OPERATOR_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:user/support-desk-operator`;

export function localClientConfig(endpoint: string): {
  endpoint: string;
  region: string;
  credentials: typeof LOCAL_CREDENTIALS;
} {
  return { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
}
