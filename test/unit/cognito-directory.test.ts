/**
 * The Cognito directory adapter, its AWS calls mocked (no Cognito emulator): the exact
 * AdminSetUserPassword request, and each documented error mapped to the typed directory errors.
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
