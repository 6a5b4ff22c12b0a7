/**
 * The LDAP adapter's Active Directory branch, its LDAP client calls intercepted (there is no Active
 * Directory here; the OpenLDAP branch runs against a real slapd in test/integration). Pins what AD
 * requires: unicodePwd replaced with the quoted password in UTF-16LE, pwdLastSet 0 (must change at
 * next logon), lockoutTime 0 to unlock, certificate checking on LDAPS, and AD's password-restriction
 * error (0000052D) reported as a policy refusal rather than an outage.
 */
import { Client, UnwillingToPerformError, type Change } from 'ldapts';
import { LdapDirectory } from '../../lambdas/directory/ldap-directory';
import { DirectoryUnavailableError, EmployeeNotFoundError, PasswordPolicyError } from '../../lambdas/directory/directory';

const DN = 'CN=Ada Lovelace,OU=Staff,DC=corp,DC=example';
const settings = {
  url: 'ldaps://dc1.corp.example:636',
  baseDn: 'DC=corp,DC=example',
  bindDn: 'CN=svc-reset,OU=Service,DC=corp,DC=example',
  bindPassword: 'service-secret',
  flavor: 'activedirectory' as const,
  employeeIdAttribute: 'employeeID',
  rejectUnauthorized: true,
  timeoutMs: 2000,
};
const directory = new LdapDirectory(settings);
const options = { mustChange: true, expiresAt: '2026-11-26T00:00:00.000Z' };

let modify: jest.SpyInstance;
let search: jest.SpyInstance;
let clientOptions: unknown[];

beforeEach(() => {
  jest.restoreAllMocks();
  clientOptions = [];
  jest.spyOn(Client.prototype, 'bind').mockImplementation(async function (this: Client) {
    clientOptions.push((this as unknown as { clientOptions: unknown }).clientOptions);
  });
  jest.spyOn(Client.prototype, 'unbind').mockResolvedValue(undefined);
  search = jest
    .spyOn(Client.prototype, 'search')
    .mockImplementation(
      async (_base, opts) =>
        ({ searchEntries: String(opts?.filter).includes('1234567') ? [{ dn: DN }] : [], searchReferences: [] }) as never,
    );
  modify = jest.spyOn(Client.prototype, 'modify').mockResolvedValue(undefined);
});

function changes(call: number): Array<{ operation: string; type: string; values: unknown[] }> {
  const [dn, list] = modify.mock.calls[call] as [string, Change | Change[]];
  expect(dn).toBe(DN);
  return [list].flat().map((c) => ({ operation: c.operation, type: c.modification.type, values: c.modification.values }));
}

it('sets unicodePwd to the quoted password in UTF-16LE and pwdLastSet to 0, and clears a lock-out, in one modify over verified LDAPS', async () => {
  await directory.setTemporaryPassword({ employeeId: '1234567' }, 'Kq7mPx3vRt9w', options);
  expect(search.mock.calls[0]![1]).toMatchObject({ filter: '(employeeID=1234567)' });
  const [password, mustChange, unlock] = changes(0);
  expect(password).toMatchObject({ operation: 'replace', type: 'unicodePwd' });
  expect(Buffer.isBuffer(password!.values[0])).toBe(true);
  expect(
    (password!.values[0] as Buffer).equals(Buffer.from([0x22, 0, ...[...'Kq7mPx3vRt9w'].flatMap((c) => [c.charCodeAt(0), 0]), 0x22, 0])),
  ).toBe(true);
  expect(mustChange).toEqual({ operation: 'replace', type: 'pwdLastSet', values: ['0'] });
  // A reset unlocks as well: lockoutTime 0 (not locked out).
  expect(unlock).toEqual({ operation: 'replace', type: 'lockoutTime', values: ['0'] });
  expect(clientOptions[0]).toMatchObject({ url: settings.url, tlsOptions: { rejectUnauthorized: true } });
});

it('unlocks by setting lockoutTime to 0', async () => {
  await directory.unlock({ employeeId: '1234567' });
  expect(changes(0)).toEqual([{ operation: 'replace', type: 'lockoutTime', values: ['0'] }]);
});

it('reports an unknown employee without touching the directory', async () => {
  await expect(directory.setTemporaryPassword({ employeeId: '7654321' }, 'Kq7mPx3vRt9w', options)).rejects.toBeInstanceOf(
    EmployeeNotFoundError,
  );
  expect(modify).not.toHaveBeenCalled();
});

it("maps AD's password restriction (0000052D) to a policy refusal, other refusals to unavailable", async () => {
  modify.mockRejectedValueOnce(new UnwillingToPerformError('0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0'));
  await expect(directory.setTemporaryPassword({ employeeId: '1234567' }, 'Kq7mPx3vRt9w', options)).rejects.toBeInstanceOf(
    PasswordPolicyError,
  );
  modify.mockRejectedValueOnce(new UnwillingToPerformError('0000001F: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0'));
  await expect(directory.setTemporaryPassword({ employeeId: '1234567' }, 'Kq7mPx3vRt9w', options)).rejects.toBeInstanceOf(
    DirectoryUnavailableError,
  );
});
