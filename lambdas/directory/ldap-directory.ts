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
import {
  Change,
  Attribute,
  Client,
  ConstraintViolationError,
  NoSuchAttributeError,
  SizeLimitExceededError,
  type ClientOptions,
  type Entry,
} from 'ldapts';
import {
  DirectoryError,
  DirectoryUnavailableError,
  EmployeeNotFoundError,
  PasswordPolicyError,
  type Directory,
  type DirectoryEmployee,
  type RecoveryChannels,
  type TemporaryPasswordOptions,
} from './directory';
import { CAN_UNLOCK } from './directory-kind';
import { normaliseE164, recoveryEmailAddress } from '../domain/recovery-channel';

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
  /** The attribute holding a personal address codes may go to (LDAP_RECOVERY_EMAIL_ATTRIBUTE); none by default. */
  recoveryEmailAttribute?: string;
}

/** The directory's mobile number attribute: `mobile` in inetOrgPerson (RFC 2798, from RFC 4524) and in Active Directory. */
export const MOBILE_ATTRIBUTE = 'mobile';

/** An entry's values of one attribute, as strings (attribute names are case-insensitive, RFC 4512 §1.4). */
function attributeValues(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const raw = key === undefined || key === 'dn' ? [] : entry[key]!;
  return (Array.isArray(raw) ? raw : [raw]).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
}

/** The one value among several, or none when they disagree (or there is none): never a pick between two. */
function onlyValue(values: ReadonlyArray<string | undefined>): string | undefined {
  const distinct = [...new Set(values.filter((v): v is string => v !== undefined))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/**
 * An entry's recovery channels: its `mobile` when that is E.164 once spaces, dashes and parentheses are
 * taken away (normaliseE164: a national number, "00…" or anything else not confidently E.164 is left
 * out, never completed with a guessed country), and the configured recovery e-mail attribute's address.
 * inetOrgPerson's `mobile` may hold several values, in no defined order (RFC 4511 §4.1.7): one number,
 * however often written, is used; two different numbers are none, since which phone the employee
 * carries is not known. (AD's `mobile` is single-valued.)
 */
export function recoveryChannelsFromEntry(entry: Entry, recoveryEmailAttribute?: string): RecoveryChannels {
  const mobile = onlyValue(attributeValues(entry, MOBILE_ATTRIBUTE).map(normaliseE164));
  const recoveryEmail = recoveryEmailAttribute
    ? onlyValue(attributeValues(entry, recoveryEmailAttribute).map((v) => recoveryEmailAddress(v)?.toLowerCase()))
    : undefined;
  return { ...(mobile ? { mobile } : {}), ...(recoveryEmail ? { recoveryEmail } : {}) };
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

  /**
   * Read, never written: the entry's `mobile` (OpenLDAP inetOrgPerson and Active Directory alike) and,
   * when LDAP_RECOVERY_EMAIL_ATTRIBUTE names one, a personal address (see recoveryChannelsFromEntry).
   * The entry is found by the employee ID attribute, as for a reset; no entry, or two with the same ID,
   * means no channels ({}). The service account needs read access to these attributes only.
   *
   * Whoever can write `mobile` can have an employee's codes texted to them, so the directory must let
   * only administrators (or the HR feed) write it, never the entry itself. OpenLDAP: no `by self write`
   * on `mobile` (nor on the recovery e-mail attribute) in the ACLs (slapd.access(5)). Active Directory:
   * `mobile` is in the Personal-Information property set, which SELF may write by default ("Update
   * Privilege: Domain administrator or account owner",
   * https://learn.microsoft.com/en-us/windows/win32/adschema/a-mobile): deny SELF Write Property on
   * `mobile` on the employees' OU (docs/security.md, "Recovery channels from the directory").
   *
   * Every failure is DirectoryUnavailableError (a search has no password-policy refusal).
   */
  async recoveryChannels(employeeId: string): Promise<RecoveryChannels> {
    const { recoveryEmailAttribute } = this.settings;
    try {
      return await this.withClient(async (client) => {
        const found = await client
          .search(this.settings.baseDn, {
            scope: 'sub',
            filter: `(${this.settings.employeeIdAttribute}=${escapeFilterValue(employeeId)})`,
            attributes: [MOBILE_ATTRIBUTE, ...(recoveryEmailAttribute ? [recoveryEmailAttribute] : [])],
            sizeLimit: 2,
          })
          .catch((error: unknown) => {
            // More entries with this ID than the size limit: which one is the employee is not known.
            if (error instanceof SizeLimitExceededError) return { searchEntries: [] };
            throw error;
          });
        return found.searchEntries.length === 1 ? recoveryChannelsFromEntry(found.searchEntries[0]!, recoveryEmailAttribute) : {};
      });
    } catch (error) {
      if (error instanceof DirectoryUnavailableError) throw error;
      throw new DirectoryUnavailableError(`LDAP: recovery channels not read: ${(error as Error).message ?? String(error)}`);
    }
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
