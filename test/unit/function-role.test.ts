/**
 * What a function's role allows outside DynamoDB (lambdas/function-role.ts), as CDK's grantAccess writes
 * it: the twin's endpoints refuse the rest.
 */
import { roleAllows, type RoleDeployment } from '../../lambdas/function-role';
import { CODE_INPUT_KEY_SECRET_NAME, CODE_PEPPER_SECRET_NAME } from '../../catalogue/secret-catalogue';

const DEPLOYMENT: RoleDeployment = {
  directory: 'demo',
  smsEnabled: true,
  eventBusName: 'support-desk',
  emailTemplateSuffix: '-dev',
  auditDigestBucket: 'digests-bucket',
};

it('starts only the workflows a function names', () => {
  const access = { startsWorkflows: ['password-reset-start'] };
  expect(roleAllows(access, DEPLOYMENT, { action: 'states:StartSyncExecution', stateMachine: 'password-reset-start' })).toBe(true);
  expect(roleAllows(access, DEPLOYMENT, { action: 'states:StartSyncExecution', stateMachine: 'password-reset-verify' })).toBe(false);
  expect(roleAllows(access, DEPLOYMENT, { action: 'states:StartExecution', other: true })).toBe(false);
});

it('puts events on the product bus only', () => {
  expect(roleAllows({ putEvents: true }, DEPLOYMENT, { action: 'events:PutEvents', eventBus: 'support-desk' })).toBe(true);
  expect(roleAllows({ putEvents: true }, DEPLOYMENT, { action: 'events:PutEvents', eventBus: 'default' })).toBe(false);
  expect(roleAllows({}, DEPLOYMENT, { action: 'events:PutEvents', eventBus: 'support-desk' })).toBe(false);
});

it('reads (GetSecretValue, DescribeSecret) the secrets it is granted, no other', () => {
  for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const) {
    expect(roleAllows({ codePepper: true }, DEPLOYMENT, { action, secret: CODE_PEPPER_SECRET_NAME })).toBe(true);
    expect(roleAllows({ codePepper: true }, DEPLOYMENT, { action, secret: CODE_INPUT_KEY_SECRET_NAME })).toBe(false);
    expect(roleAllows({ codeInputKey: true }, DEPLOYMENT, { action, secret: CODE_INPUT_KEY_SECRET_NAME })).toBe(true);
  }
});

it('texts only where the deployment sends texts', () => {
  expect(roleAllows({ sms: true }, DEPLOYMENT, { action: 'sms-voice:SendTextMessage' })).toBe(true);
  expect(roleAllows({ sms: true }, { ...DEPLOYMENT, smsEnabled: false }, { action: 'sms-voice:SendTextMessage' })).toBe(false);
});

it('signs a DIGEST with ECDSA_SHA_256 for the digest writer, under the policy’s conditions', () => {
  const sign = (signingAlgorithm: string, messageType: string) => ({ action: 'kms:Sign' as const, signingAlgorithm, messageType });
  expect(roleAllows({ auditDigests: true }, DEPLOYMENT, sign('ECDSA_SHA_256', 'DIGEST'))).toBe(true);
  expect(roleAllows({ auditDigests: true }, DEPLOYMENT, sign('ECDSA_SHA_256', 'RAW'))).toBe(false);
  expect(roleAllows({ auditDigests: true }, DEPLOYMENT, sign('ECDSA_SHA_384', 'DIGEST'))).toBe(false);
  expect(roleAllows({}, DEPLOYMENT, sign('ECDSA_SHA_256', 'DIGEST'))).toBe(false);
});

it('sends e-mail with the function’s own templates (their names carry the stage’s suffix)', () => {
  const access = { emailTemplates: ['verification-code-en-US'] };
  expect(roleAllows(access, DEPLOYMENT, { action: 'ses:SendEmail', template: 'verification-code-en-US-dev' })).toBe(true);
  expect(roleAllows(access, DEPLOYMENT, { action: 'ses:SendEmail', template: 'verification-code-en-US' })).toBe(false);
  expect(roleAllows(access, DEPLOYMENT, { action: 'ses:SendEmail', template: 'security-alert-dev' })).toBe(false);
  expect(roleAllows(access, DEPLOYMENT, { action: 'ses:SendEmail' })).toBe(true);
  expect(roleAllows({}, DEPLOYMENT, { action: 'ses:SendEmail' })).toBe(false);
});

it('lists the digest bucket, and reads and adds objects under digests/ only, for the digest writer', () => {
  const writer = { auditDigests: true };
  expect(roleAllows(writer, DEPLOYMENT, { action: 's3:ListBucket', bucket: 'digests-bucket' })).toBe(true);
  expect(roleAllows(writer, DEPLOYMENT, { action: 's3:PutObject', bucket: 'digests-bucket', key: 'digests/2026-11-26/a.json' })).toBe(true);
  expect(roleAllows(writer, DEPLOYMENT, { action: 's3:PutObject', bucket: 'digests-bucket', key: 'elsewhere.json' })).toBe(false);
  expect(roleAllows(writer, DEPLOYMENT, { action: 's3:GetObject', bucket: 'another-bucket', key: 'digests/a.json' })).toBe(false);
  expect(roleAllows({}, DEPLOYMENT, { action: 's3:ListBucket', bucket: 'digests-bucket' })).toBe(false);
  expect(roleAllows(writer, DEPLOYMENT, { action: 's3:DeleteObject', other: true })).toBe(false);
});
