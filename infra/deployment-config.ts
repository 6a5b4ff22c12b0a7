/**
 * Deployment configuration: a typed, validated file (`infra/config/default.json`, or the file named by
 * the `config` context value), each field overridable by a context value of the same name
 * (`cdk deploy -c connectInstanceArn=arn:...`). No account or region is needed to synthesize.
 */
import { identityCovers } from '../lambdas/notifications/sender-identity';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface DeploymentConfig {
  stage: string;
  /** Bring-your-own Amazon Connect instance. */
  connectInstanceArn: string;
  /**
   * The domain agents open the instance at (`<alias>.my.connect.aws`, or `<alias>.awsapps.com` for an older
   * instance): the only page that may frame the Agent Workspace app (its CSP's frame-ancestors).
   */
  connectInstanceDomain: string;
  /**
   * Where the Agent Workspace app gets temporary credentials of the agents' federated role (an https URL
   * the company runs behind its single sign-on; README, "Agent Workspace app (AWS)"); empty: not configured,
   * the app shows the context and says so when asked to act.
   */
  agentCredentialsUrl: string;
  /** SES identity: a domain (verified with DKIM) or an email address. */
  senderIdentity: string;
  senderAddress: string;
  securityTeamEmail: string;
  /** Said in security notices ("call security at ..."); E.164. */
  securityTeamPhone: string;
  /** Texts on (AWS End User Messaging SMS): verification codes to employees' mobiles, and alerts. */
  smsEnabled: boolean;
  /** Where SMS security alerts go (E.164), when smsEnabled; empty: alerts by e-mail only. */
  securityAlertSmsNumber: string;
  /** Phone number ID, pool ID or ARN that sends the texts (codes and alerts). */
  smsOriginationIdentity: string;
  /**
   * Codes may go to the corporate mailbox of an employee with no recovery channel. Off by default: an
   * employee locked out, or who forgot the password, usually cannot open it.
   */
  codeToCorporateEmail: boolean;
  /** The SES identity already exists in the account (another stage, or the company domain): use it, do not create it. */
  senderIdentityExists: boolean;
  claimPhoneNumber: boolean;
  phoneNumberCountryCode: string;
  phoneNumberType: 'TOLL_FREE' | 'DID';
  logRetentionDays: number;
  eventArchiveRetentionDays: number;
  codeIssuerReservedConcurrency: number;
  directoryWriterReservedConcurrency: number;
  /** How often the audit digest writer runs (minutes); the late-digest alarm fires after three intervals. */
  auditDigestIntervalMinutes: number;
  /** How long each digest is locked in the bucket (Object Lock, compliance mode). */
  auditDigestRetentionDays: number;
  /** The one role the audit table's resource policy still lets update or delete records (empty: none). */
  auditBreakGlassRoleArn: string;
  hoursOfOperationTimeZone: string;
  /** Where temporary passwords are set: the demo directory (employees table), LDAP/AD, or Cognito. */
  directory: 'demo' | 'ldap' | 'cognito';
  /**
   * The key pair the flow's stored code input is encrypted with (security review F12): the public key
   * becomes the instance's security key, the certificate (signed with it) goes in the flow, and the
   * secret holds `{"keyId", "privateKey"}` for `verify-code`. The key id is the one Connect shows for
   * the security key (https://docs.aws.amazon.com/connect/latest/adminguide/encrypt-data.html).
   */
  codeInputEncryption: { keyId: string; publicKey: string; certificate: string; keySecretArn: string };
  ldap: {
    url: string;
    baseDn: string;
    bindDn: string;
    /** Secrets Manager secret holding the service account's password. */
    bindSecretArn: string;
    flavor: 'openldap' | 'activedirectory';
    employeeIdAttribute: string;
    /** With an ldap:// url: upgrade with StartTLS before binding. An ldap:// url without it is refused. */
    startTls?: boolean;
    /** The function runs in this VPC, in these subnets, with this security group, to reach the directory. */
    vpcId: string;
    availabilityZones: string[];
    subnetIds: string[];
    securityGroupId: string;
    /**
     * How the function reaches Secrets Manager (the bind secret) from those subnets: `create` an
     * interface endpoint with private DNS (default), or `existing` when the VPC already has one or a
     * NAT route (a second endpoint with private DNS would conflict).
     */
    secretsManagerAccess?: 'create' | 'existing';
    /**
     * issue-verification-code reads an employee's `mobile` (and `recoveryEmailAttribute`) from the
     * directory when the employees table has no recovery channel (off by default). It then runs in the
     * VPC above too, and unlike the directory writers it calls DynamoDB, EventBridge, SES, End User
     * Messaging SMS and Secrets Manager: those subnets must reach them (a NAT route, or VPC endpoints),
     * or no code goes out at all.
     */
    readRecoveryChannels?: boolean;
    /** The attribute holding a personal address codes may go to (LDAP_RECOVERY_EMAIL_ATTRIBUTE); none by default. */
    recoveryEmailAttribute?: string;
  };
  cognitoUserPoolArn: string;
}

const CONNECT_INSTANCE = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN = /^([a-z0-9-]+\.)+[a-z]{2,}$/i;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadDeploymentConfig(context: (key: string) => unknown, root = resolve(__dirname, '..')): DeploymentConfig {
  const file = String(context('config') ?? 'infra/config/default.json');
  const base = JSON.parse(readFileSync(resolve(root, file), 'utf8')) as Record<string, unknown>;
  for (const key of Object.keys(base)) {
    const override = context(key);
    if (override !== undefined)
      base[key] =
        typeof base[key] === 'boolean'
          ? override === true || override === 'true'
          : typeof base[key] === 'number'
            ? Number(override)
            : override;
  }
  const config = validateDeploymentConfig(base);
  // `npm run deploy` sets `deploy`: a real account needs real values, in the Connect instance's region.
  if (context('deploy') === true || context('deploy') === 'true') assertDeployable(config, base, process.env.CDK_DEFAULT_REGION);
  return config;
}

/** The example values of infra/config/default.json: fine to synthesize, refused at deploy. */
const EXAMPLES = [
  /111122223333/,
  /11111111-2222-4333-8444-555555555555/,
  /0123456789abcdef0/,
  /example\.(com|org|net)\b/i,
  /^\+1800555\d{4}$/,
  /EXAMPLE/,
  /^support-desk-example\./,
  /^phone-0123456789abcdef0123456789abcdef$/,
];

/**
 * Refuses a configuration that cannot be right on a real account: example values left in, or a
 * Connect instance in another region than the stacks (Lex bots and Lambdas can be associated only
 * with an instance in their own region).
 */
export function assertDeployable(config: DeploymentConfig, raw: Record<string, unknown>, region: string | undefined): void {
  const problems: string[] = [];
  const fields: Array<[string, string]> = [
    ['connectInstanceArn', config.connectInstanceArn],
    ['connectInstanceDomain', config.connectInstanceDomain],
    ['senderIdentity', config.senderIdentity],
    ['senderAddress', config.senderAddress],
    ['securityTeamEmail', config.securityTeamEmail],
    ['securityTeamPhone', config.securityTeamPhone],
    ...(config.smsEnabled ? ([['smsOriginationIdentity', config.smsOriginationIdentity]] as Array<[string, string]>) : []),
    ...Object.entries(config.codeInputEncryption).map(([k, v]): [string, string] => [`codeInputEncryption.${k}`, v]),
    ...(config.directory === 'cognito' ? ([['cognitoUserPoolArn', config.cognitoUserPoolArn]] as Array<[string, string]>) : []),
    ...(config.directory === 'ldap'
      ? Object.entries(raw.ldap as Record<string, unknown>).map(([k, v]): [string, string] => [`ldap.${k}`, JSON.stringify(v)])
      : []),
  ];
  for (const [field, value] of fields)
    if (EXAMPLES.some((e) => e.test(value))) problems.push(`${field} still holds the example value ${value}`);
  const instanceRegion = config.connectInstanceArn.split(':')[3];
  if (region && instanceRegion !== region)
    problems.push(`connectInstanceArn is in ${instanceRegion}, but the stacks deploy to ${region}: deploy to the instance's region`);
  if (problems.length) throw new ConfigError(`not deployable as configured:\n- ${problems.join('\n- ')}`);
}

export function validateDeploymentConfig(raw: Record<string, unknown>): DeploymentConfig {
  const problems: string[] = [];
  const str = (k: string, pattern?: RegExp) => {
    const v = raw[k];
    if (typeof v !== 'string' || (pattern && !pattern.test(v))) problems.push(`${k} is invalid: ${JSON.stringify(v)}`);
    return String(v);
  };
  const num = (k: string, min: number, max: number) => {
    const v = raw[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) problems.push(`${k} must be an integer in [${min}, ${max}]`);
    return Number(v);
  };
  const bool = (k: string) => {
    if (typeof raw[k] !== 'boolean') problems.push(`${k} must be true or false`);
    return raw[k] === true;
  };
  const config = {
    stage: str('stage', /^[a-z][a-z0-9-]{0,15}$/),
    connectInstanceArn: str('connectInstanceArn', CONNECT_INSTANCE),
    connectInstanceDomain: str('connectInstanceDomain', /^[a-z0-9][a-z0-9-]{0,62}\.(my\.connect\.aws|awsapps\.com)$/),
    agentCredentialsUrl: str('agentCredentialsUrl', /^(https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[\w\-./~%]*)?)?$/),
    senderIdentity: str('senderIdentity'),
    senderAddress: str('senderAddress', EMAIL),
    securityTeamEmail: str('securityTeamEmail', EMAIL),
    securityTeamPhone: str('securityTeamPhone', /^\+[1-9]\d{6,14}$/),
    smsEnabled: bool('smsEnabled'),
    securityAlertSmsNumber: str('securityAlertSmsNumber', /^(\+[1-9]\d{6,14})?$/),
    smsOriginationIdentity: str('smsOriginationIdentity'),
    codeToCorporateEmail: bool('codeToCorporateEmail'),
    senderIdentityExists: bool('senderIdentityExists'),
    claimPhoneNumber: bool('claimPhoneNumber'),
    phoneNumberCountryCode: str('phoneNumberCountryCode', /^[A-Z]{2}$/),
    phoneNumberType: str('phoneNumberType', /^(TOLL_FREE|DID)$/) as DeploymentConfig['phoneNumberType'],
    logRetentionDays: num('logRetentionDays', 1, 3653),
    eventArchiveRetentionDays: num('eventArchiveRetentionDays', 1, 3653),
    // 0 = no reservation (the default): new accounts start with a concurrency quota of 10 or 50, and
    // Lambda refuses a reservation that leaves fewer than 100 unreserved
    // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
    codeIssuerReservedConcurrency: num('codeIssuerReservedConcurrency', 0, 1000),
    directoryWriterReservedConcurrency: num('directoryWriterReservedConcurrency', 0, 1000),
    auditDigestIntervalMinutes: num('auditDigestIntervalMinutes', 1, 60),
    auditDigestRetentionDays: num('auditDigestRetentionDays', 1, 36500),
    auditBreakGlassRoleArn: str('auditBreakGlassRoleArn', /^(arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+)?$/),
    hoursOfOperationTimeZone: str('hoursOfOperationTimeZone', /^[A-Za-z_]+\/[A-Za-z_]+$/),
  } as DeploymentConfig;
  const directory = raw.directory;
  if (directory !== 'demo' && directory !== 'ldap' && directory !== 'cognito') problems.push('directory must be demo, ldap or cognito');
  config.directory = directory as DeploymentConfig['directory'];
  config.ldap = raw.ldap as DeploymentConfig['ldap'];
  config.cognitoUserPoolArn = String(raw.cognitoUserPoolArn ?? '');
  const encryption = (raw.codeInputEncryption ?? {}) as Partial<DeploymentConfig['codeInputEncryption']>;
  config.codeInputEncryption = {
    keyId: String(encryption.keyId ?? ''),
    publicKey: String(encryption.publicKey ?? ''),
    certificate: String(encryption.certificate ?? ''),
    keySecretArn: String(encryption.keySecretArn ?? ''),
  };
  const e = config.codeInputEncryption;
  if (
    !e.keyId ||
    !/BEGIN PUBLIC KEY/.test(e.publicKey) ||
    !/BEGIN CERTIFICATE/.test(e.certificate) ||
    !/^arn:aws[a-z-]*:secretsmanager:/.test(e.keySecretArn)
  )
    problems.push('codeInputEncryption needs keyId, publicKey (PEM), certificate (PEM) and keySecretArn');
  if (directory === 'ldap') {
    const l = config.ldap;
    if (!l || !/^ldaps?:\/\//.test(l.url) || !l.baseDn || !l.bindDn || !/^arn:aws[a-z-]*:secretsmanager:/.test(l.bindSecretArn))
      problems.push('ldap needs url, baseDn, bindDn and bindSecretArn');
    // Security review F10: the bind and the temporary password never cross the network in clear.
    if (l?.url?.startsWith('ldap://') && l.startTls !== true)
      problems.push('ldap.url ldap:// sends passwords in clear: use ldaps:// or set ldap.startTls');
    if (!l?.vpcId || !l.subnetIds?.length || !l.securityGroupId || l.availabilityZones?.length !== l.subnetIds?.length)
      problems.push('ldap needs vpcId, subnetIds (one per availability zone) and securityGroupId');
    if (l?.readRecoveryChannels !== undefined && typeof l.readRecoveryChannels !== 'boolean')
      problems.push('ldap.readRecoveryChannels must be true or false');
    if (l?.recoveryEmailAttribute !== undefined && !/^[A-Za-z][A-Za-z0-9-]*$/.test(String(l.recoveryEmailAttribute)))
      problems.push('ldap.recoveryEmailAttribute must be an attribute name (letters, digits, hyphens)');
  }
  if (directory === 'cognito' && !/^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+$/.test(config.cognitoUserPoolArn))
    problems.push('cognitoUserPoolArn must be a user pool ARN');
  if (!EMAIL.test(config.senderIdentity) && !DOMAIN.test(config.senderIdentity))
    problems.push('senderIdentity must be a domain or an email address');
  else if (EMAIL.test(config.senderAddress) && !identityCovers(config.senderIdentity, config.senderAddress))
    problems.push(
      `senderAddress ${config.senderAddress} is not covered by senderIdentity ${config.senderIdentity}: SES sends only from a verified address, or one at a verified domain or its subdomains`,
    );
  if (
    config.smsEnabled &&
    !/^(arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool|sender-id)\/.+|phone-[0-9a-f]{32}|pool-[0-9a-f]{32})$/.test(
      config.smsOriginationIdentity,
    )
  )
    problems.push(
      'smsOriginationIdentity must be a phone number ID (phone-…), a pool ID (pool-…) or an ARN when smsEnabled is true: IAM grants on IDs, not on the number',
    );
  if (problems.length) throw new ConfigError(`invalid deployment configuration:\n- ${problems.join('\n- ')}`);
  return config;
}
