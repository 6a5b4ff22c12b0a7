/**
 * The LDAP directory (ldapts): OpenLDAP or Active Directory.
 * - OpenLDAP: the password set with the Password Modify extended operation (RFC 3062) by the service
 *   account; with the ppolicy overlay's `pwdMustChange`, the directory marks it `pwdReset: TRUE`
 *   (must change at next logon). Unlock deletes `pwdAccountLockedTime` (ppolicy drops `pwdFailureTime` with it).
 * - Active Directory: `unicodePwd` replaced over LDAPS (the quoted password in UTF-16LE) and
 *   `pwdLastSet: 0` (must change at next logon). Unlock sets `lockoutTime: 0`.
 * Unlock never writes the password, pwdReset or pwdLastSet (see `unlock`).
 * Employees are found by their employee ID attribute (default `employeeNumber`). TLS certificates are
 * verified unless explicitly turned off. Connection failures become DirectoryUnavailableError.
 */
import { Change, Attribute, Client, ConstraintViolationError, NoSuchAttributeError, type ClientOptions } from 'ldapts';
import {
  DirectoryError,
  DirectoryUnavailableError,
  EmployeeNotFoundError,
  PasswordPolicyError,
  type Directory,
  type DirectoryEmployee,
  type TemporaryPasswordOptions,
} from './directory';
import { CAN_UNLOCK } from './directory-kind';

export interface LdapSettings {
  url: string;
  baseDn: string;
  bindDn: string;
  bindPassword: string;
  flavor: 'openldap' | 'activedirectory';
  employeeIdAttribute: string;
  rejectUnauthorized: boolean;
  timeoutMs: number;
  /** Upgrade an ldap:// connection with StartTLS before binding (RFC 4511 §4.14). */
  startTls?: boolean;
}

const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';

/** BER for the Password Modify request: SEQUENCE { userIdentity [0], newPasswd [2] }. Written by hand: ldapts exposes no encoder for it. */
export function passwordModifyRequest(userDn: string, newPassword: string): Buffer {
  const field = (tag: number, value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([Buffer.from([tag]), berLength(bytes.length), bytes]);
  };
  const body = Buffer.concat([field(0x80, userDn), field(0x82, newPassword)]);
  return Buffer.concat([Buffer.from([0x30]), berLength(body.length), body]);
}

function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let l = length; l > 0; l >>= 8) bytes.unshift(l & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** LDAP filter escaping (RFC 4515) for values put into a search filter. */
export function escapeFilterValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 4515 escapes NUL, so the pattern must name it.
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const UNAVAILABLE = /ECONNREFUSED|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENOTFOUND|timeout|Connection closed|socket/i;

export class LdapDirectory implements Directory {
  readonly kind = 'ldap' as const;
  // OpenLDAP: pwdReset TRUE (ppolicy overlay) or AD: pwdLastSet 0 force the change; neither expires a
  // password at a given instant (only by policy age): not enforced at expiresAt.
  readonly guarantees = { mustChange: true, expiry: false };
  // OpenLDAP (ppolicy) and Active Directory both keep a lock-out an administrator clears (see `unlock`).
  readonly canUnlock = CAN_UNLOCK.ldap;

  constructor(private readonly settings: LdapSettings) {}

  private async withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const options: ClientOptions = {
      url: this.settings.url,
      timeout: this.settings.timeoutMs,
      connectTimeout: this.settings.timeoutMs,
      ...(this.settings.url.startsWith('ldaps:') ? { tlsOptions: { rejectUnauthorized: this.settings.rejectUnauthorized } } : {}),
    };
    const client = new Client(options);
    try {
      // Never a password in clear: ldaps://, or StartTLS before the bind (security review F10).
      if (this.settings.startTls) await client.startTLS({ rejectUnauthorized: this.settings.rejectUnauthorized });
      await client.bind(this.settings.bindDn, this.settings.bindPassword);
      return await work(client);
    } catch (error) {
      // Typed already (by `work`): passed on as they are.
      if (error instanceof DirectoryError) throw error;
      const message = (error as Error).message ?? String(error);
      if (UNAVAILABLE.test(message) || (error as { code?: string }).code === 'ECONNREFUSED')
        throw new DirectoryUnavailableError(`LDAP directory unavailable: ${message}`);
      // OpenLDAP ppolicy: constraintViolation with a reason; Active Directory: 0000052D (ERROR_PASSWORD_RESTRICTION), as constraintViolation or unwillingToPerform.
      if (error instanceof ConstraintViolationError || /\b0000052D\b|constraint|policy|quality|too short|history/i.test(message))
        throw new PasswordPolicyError(`the directory refused the password: ${message}`);
      throw new DirectoryUnavailableError(`LDAP error: ${message}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async findDn(client: Client, employeeId: string): Promise<string | undefined> {
    const { searchEntries } = await client.search(this.settings.baseDn, {
      scope: 'sub',
      filter: `(${this.settings.employeeIdAttribute}=${escapeFilterValue(employeeId)})`,
      attributes: ['dn'],
      sizeLimit: 2,
    });
    return searchEntries[0]?.dn;
  }

  async lookup(employeeId: string): Promise<{ employeeId: string; distinguishedName: string } | undefined> {
    return this.withClient(async (client) => {
      const dn = await this.findDn(client, employeeId);
      return dn ? { employeeId, distinguishedName: dn } : undefined;
    });
  }

  async setTemporaryPassword(employee: DirectoryEmployee, password: string, _options: TemporaryPasswordOptions): Promise<void> {
    await this.withClient(async (client) => {
      const dn = await this.findDn(client, employee.employeeId);
      if (!dn) throw new EmployeeNotFoundError(`employee ${employee.employeeId} not in the directory`);
      // A reset unlocks as well: an employee locked out after guessing a forgotten password needs both
      // (Entra SSPR's "reset password and unlock"), and neither directory unlocks on a password set by an
      // administrator by itself (AD keeps lockoutTime; see `unlock`).
      if (this.settings.flavor === 'activedirectory') {
        // One modify: the password, must-change, and the lock cleared together.
        await client.modify(dn, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${password}"`, 'utf16le')] }),
          }),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }) }),
          unlockChange('activedirectory'),
        ]);
      } else {
        await client.exop(PASSWORD_MODIFY_OID, passwordModifyRequest(dn, password));
        // Then the lock, on the same connection; not locked: noSuchAttribute, nothing to clear.
        await client.modify(dn, unlockChange('openldap')).catch((error: unknown) => {
          if (!(error instanceof NoSuchAttributeError)) throw error;
        });
      }
    });
  }

  /**
   * Clears the lock-out the directory keeps after failed binds, leaving the password as it is.
   *
   * OpenLDAP (ppolicy overlay, slapo-ppolicy(5): https://manpages.ubuntu.com/manpages/jammy/en/man5/slapo-ppolicy.5.html):
   * once `pwdMaxFailure` consecutive failures are recorded in `pwdFailureTime` and `pwdLockout` is TRUE,
   * the entry gets `pwdAccountLockedTime` and its password stops authenticating; with `pwdLockoutDuration`
   * 0 until an administrator acts. Deleting `pwdAccountLockedTime` unlocks. The recorded failures are
   * otherwise cleared only by a successful bind (or `pwdFailureCountInterval`, 0 by default), so left
   * behind they would lock the entry again at the very next wrong password. A client cannot delete them
   * (`pwdFailureTime` is NO-USER-MODIFICATION: slapd answers constraintViolation), and need not: since
   * OpenLDAP 2.5 ppolicy drops them itself in the modify that deletes the lock (ITS#8762, "Clear
   * pwdFailureTime on unlock", https://bugs.openldap.org/show_bug.cgi?id=8762). Both are shown against
   * slapd in test/integration/ldap-directory.test.ts. (Other ppolicy servers document the same unlock:
   * delete both attributes, https://www.ibm.com/docs/en/zos/2.2.0?topic=policy-overriding-password-unlocking-accounts.)
   * An entry that is not locked answers noSuchAttribute: nothing to clear, not an error.
   *
   * Active Directory: `lockoutTime` replaced with 0, the value for "not locked out"
   * (https://learn.microsoft.com/en-us/windows/win32/adschema/a-lockouttime); writing 0 also sets
   * `badPwdCount` to 0 (MS-SAMR 3.1.1.8.3,
   * https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-samr/85edb873-7549-401f-9108-01c128b875cb),
   * so old failures cannot re-lock it. On an account that is not locked it changes nothing.
   *
   * The modify names only that attribute: never userPassword/unicodePwd, pwdReset or pwdLastSet, so the
   * password, its must-change flag and its age stay as they are. A refusal (the service account may not
   * write it, say) is reported as unavailable, never as a password-policy error.
   */
  async unlock(employee: DirectoryEmployee): Promise<void> {
    await this.withClient(async (client) => {
      const dn = await this.findDn(client, employee.employeeId);
      if (!dn) throw new EmployeeNotFoundError(`employee ${employee.employeeId} not in the directory`);
      try {
        await client.modify(dn, unlockChange(this.settings.flavor));
      } catch (error) {
        // OpenLDAP: the entry was not locked.
        if (error instanceof NoSuchAttributeError) return;
        const message = (error as Error).message ?? String(error);
        if (UNAVAILABLE.test(message)) throw error;
        throw new DirectoryUnavailableError(`the directory refused the unlock: ${message}`);
      }
    });
  }
}

/** The one change `unlock` makes: OpenLDAP deletes `pwdAccountLockedTime`, Active Directory sets `lockoutTime` to 0. */
export function unlockChange(flavor: LdapSettings['flavor']): Change {
  return flavor === 'activedirectory'
    ? new Change({ operation: 'replace', modification: new Attribute({ type: 'lockoutTime', values: ['0'] }) })
    : new Change({ operation: 'delete', modification: new Attribute({ type: 'pwdAccountLockedTime' }) });
}
