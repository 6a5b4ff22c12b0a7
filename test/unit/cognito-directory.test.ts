/**
 * The Cognito directory adapter, its AWS calls mocked (no Cognito emulator): the exact
 * AdminSetUserPassword request, and each documented error mapped to the typed directory errors; the
 * recovery channel read with AdminGetUser (a verified phone_number only).
 */
import { mockClient } from 'aws-sdk-client-mock';
import { AdminGetUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoDirectory } from '../../lambdas/directory/cognito-directory';
import { DirectoryUnavailableError, EmployeeNotFoundError, PasswordPolicyError } from '../../lambdas/directory/directory';

const cognito = mockClient(CognitoIdentityProviderClient);
const directory = new CognitoDirectory('us-east-1_AbCdEf123', new CognitoIdentityProviderClient({ region: 'us-east-1', maxAttempts: 1 }));
const options = { mustChange: true, expiresAt: '2026-11-26T00:00:00.000Z' };
const awsError = (name: string) => Object.assign(new Error(`${name}: from Cognito`), { name, $metadata: {} });

beforeEach(() => cognito.reset());

it('sets a temporary (not permanent) password for the employee ID as username', async () => {
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  await directory.setTemporaryPassword({ employeeId: '1234567' }, 'Kq7mPx3vRt9w', options);
  expect(cognito.commandCalls(AdminSetUserPasswordCommand).map((c) => c.args[0].input)).toEqual([
    { UserPoolId: 'us-east-1_AbCdEf123', Username: '1234567', Password: 'Kq7mPx3vRt9w', Permanent: false },
  ]);
});

it.each([
  ['UserNotFoundException', EmployeeNotFoundError],
  ['InvalidPasswordException', PasswordPolicyError],
  ['TooManyRequestsException', DirectoryUnavailableError],
  ['InternalErrorException', DirectoryUnavailableError],
])('maps %s to %p', async (name, type) => {
  cognito.on(AdminSetUserPasswordCommand).rejects(awsError(name));
  await expect(directory.setTemporaryPassword({ employeeId: '1234567' }, 'Kq7mPx3vRt9w', options)).rejects.toBeInstanceOf(type);
});

it('looks employees up, and reports an unknown one as absent', async () => {
  cognito.on(AdminGetUserCommand, { Username: '1234567' }).resolves({ Username: '1234567' });
  cognito.on(AdminGetUserCommand, { Username: '7654321' }).rejects(awsError('UserNotFoundException'));
  await expect(directory.lookup('1234567')).resolves.toEqual({ employeeId: '1234567' });
  await expect(directory.lookup('7654321')).resolves.toBeUndefined();
});

describe('recovery channels: phone_number, only once verified', () => {
  const user = (attributes: Record<string, string>) => ({
    Username: '1234567',
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  });

  it('reads a verified phone_number with AdminGetUser on the pool, for the employee ID as username', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolves(user({ sub: 'x', email: 'alex@corp.example.com', phone_number: '+15559011234', phone_number_verified: 'true' }));
    await expect(directory.recoveryChannels('1234567')).resolves.toEqual({ mobile: '+15559011234' });
    expect(cognito.commandCalls(AdminGetUserCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: 'us-east-1_AbCdEf123', Username: '1234567' },
    ]);
    // Read only: nothing else is called.
    expect(cognito.calls()).toHaveLength(1);
  });

  it.each([
    ['unverified', { phone_number: '+15559011234', phone_number_verified: 'false' }],
    ['without a verified flag', { phone_number: '+15559011234' }],
    ['verified, but not E.164', { phone_number: '5559011234', phone_number_verified: 'true' }],
    ['no number', { phone_number_verified: 'true' }],
    // The pool's e-mail is the corporate address, even verified: not a recovery channel.
    ['only an e-mail', { email: 'alex@corp.example.com', email_verified: 'true' }],
  ])('%s: no channel', async (_, attributes) => {
    cognito.on(AdminGetUserCommand).resolves(user(attributes));
    await expect(directory.recoveryChannels('1234567')).resolves.toEqual({});
  });

  it('an unknown user has none; anything else is DirectoryUnavailableError', async () => {
    cognito.on(AdminGetUserCommand, { Username: '7654321' }).rejects(awsError('UserNotFoundException'));
    await expect(directory.recoveryChannels('7654321')).resolves.toEqual({});
    for (const name of ['TooManyRequestsException', 'InternalErrorException', 'NotAuthorizedException', 'ResourceNotFoundException']) {
      cognito.reset();
      cognito.on(AdminGetUserCommand).rejects(awsError(name));
      await expect(directory.recoveryChannels('1234567')).rejects.toBeInstanceOf(DirectoryUnavailableError);
    }
  });
});
