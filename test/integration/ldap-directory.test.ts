/**
 * The LDAP directory against a real OpenLDAP (Debian's slapd with the ppolicy overlay): a full reset
 * call through the twin with DIRECTORY=ldap; the spoken temporary password binds and the entry says
 * pwdReset: TRUE; the old password no longer binds. And with the directory down during a verify: a
 * clear message, an agent, a session still verifiable until it expires, an audit record saying why.
 * And "unlock my account" (issue #19): an entry ppolicy locked after too many wrong passwords is
 * unlocked by the directory adapter, and its unchanged password binds again; and the same through the
 * workflows (start with action UNLOCK, the code, verify: UNLOCKED). And recovery channels read from the
 * directory: an entry's `mobile` as E.164, and a code texted to it for an employee whose item has no
 * recovery channel; with the directory down, nothing is sent and nothing personal is logged.
 */
import { Attribute, Change, Client } from 'ldapts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableById } from '../../catalogue/table-catalogue';
import type { EmployeeItem } from '../../lambdas/domain/employee';
import { latestCode } from '../../local/connect/test-case-substitutions';
import { retainedRecords } from '../support/test-twin';
import { startTestTwin } from '../support/test-twin';
import { describeNeeding } from '../support/system-programs';
import { Phone } from '../../local/softphone/phone';
import { WorkflowDriver } from '../support/workflow-driver';
import { ADMIN_DN, ADMIN_PASSWORD, BASE_DN, MAX_BIND_FAILURES, startSlapd, type Slapd } from '../support/slapd';
import { directoryFromEnvironment } from '../../lambdas/directory/directory-from-environment';
import { EmployeeNotFoundError } from '../../lambdas/directory/directory';
import { passwordFromReadout } from '../../lambdas/domain/password-readout';
import { DEMO_EMPLOYEES } from '../../local/seed/demo-employees';

jest.setTimeout(60_000);
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let slapd: Slapd;
let twin: TestTwin;
let driver: WorkflowDriver;
const alex = DEMO_EMPLOYEES.find((e) => e.employeeId === '1234567')!;
const sam = DEMO_EMPLOYEES.find((e) => e.employeeId === '3456789')!;
const priya = DEMO_EMPLOYEES.find((e) => e.employeeId === '5678901')!;
const maria = DEMO_EMPLOYEES.find((e) => e.employeeId === '2345678')!;
// An entry of its own for the lock-out test (an employee ID no demo or synthetic employee has).
const kim = { uid: 'kim', employeeNumber: '7000001', name: 'Kim Park', mail: 'kim.park@example.com', password: 'Old-Passw0rd-Kim' };
// Recovery channels from the directory: entries with a `mobile` and employee items without any channel.
const lee = {
  uid: 'lee',
  employeeNumber: '7000003',
  name: 'Lee Okafor',
  mail: 'lee.okafor@example.com',
  password: 'Old-Passw0rd-Lee',
  mobile: '+1 (555) 901-7003',
};
const noor = {
  uid: 'noor',
  employeeNumber: '7000004',
  name: 'Noor Haddad',
  mail: 'noor.haddad@example.com',
  password: 'Old-Passw0rd-Noor',
  // A national number: which country is a guess, so it is not used.
  mobile: '555 901 7004',
};
const max = {
  uid: 'max',
  employeeNumber: '7000005',
  name: 'Max Weber',
  mail: 'max.weber@example.com',
  password: 'Old-Passw0rd-Max',
  mobile: '+15559017005',
};
// Sam's item has a recovery e-mail: the directory's mobile is never asked for.
const samDirectoryMobile = '+15559017777';

/** The directory adapter's configuration for this slapd, as the handlers read it from their environment. */
const slapdSettings = () => ({
  DIRECTORY: 'ldap',
  LDAP_URL: slapd.url,
  // The test's OpenLDAP listens on this host only, without TLS (CDK can never set this).
  LDAP_ALLOW_CLEARTEXT: 'true',
  LDAP_BASE_DN: BASE_DN,
  LDAP_BIND_DN: ADMIN_DN,
  LDAP_BIND_PASSWORD: ADMIN_PASSWORD,
});

describeNeeding('slapd')('the LDAP directory against OpenLDAP', () => {
  beforeAll(async () => {
    slapd = await startSlapd([
      { uid: 'alex', employeeNumber: alex.employeeId, name: alex.name, mail: alex.email, password: 'Old-Passw0rd-Alex' },
      {
        uid: 'sam',
        employeeNumber: sam.employeeId,
        name: sam.name,
        mail: sam.email,
        password: 'Old-Passw0rd-Sam',
        mobile: samDirectoryMobile,
      },
      { uid: 'priya', employeeNumber: priya.employeeId, name: priya.name, mail: priya.email, password: 'Old-Passw0rd-Priya' },
      { uid: 'maria', employeeNumber: maria.employeeId, name: maria.name, mail: maria.email, password: 'Old-Passw0rd-Maria' },
      kim,
      lee,
      noor,
      max,
    ]);
    twin = await startTestTwin({ environment: { ...slapdSettings(), LDAP_TIMEOUT_MS: '1500' } });
    driver = new WorkflowDriver(twin);
    // The desk's own records of the directory-only employees: no mobile, no recovery e-mail.
    for (const p of [lee, noor, max]) {
      const item: EmployeeItem = {
        employeeId: p.employeeNumber,
        name: p.name,
        email: p.mail,
        phone: '+15555550199',
        locale: 'en-US',
        status: 'ACTIVE',
      };
      await driver.db.send(new PutCommand({ TableName: tableById('Employees').tableName, Item: item }));
    }
  });
  afterAll(async () => {
    driver.close();
    await twin.cleanup();
    await slapd.destroy();
  });

  async function binds(dn: string, password: string): Promise<boolean> {
    const client = new Client({ url: slapd.url });
    try {
      await client.bind(dn, password);
      return true;
    } catch {
      return false;
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  it('a reset call sets the password in OpenLDAP: it binds, pwdReset is TRUE, the old one no longer binds', async () => {
    expect(await binds(slapd.userDn('alex'), 'Old-Passw0rd-Alex')).toBe(true);
    const p = new Phone(twin.url);
    await p.dial('+15555557001', 'en-US');
    await p.say('reset my password');
    await p.key(`${alex.employeeId}#`);
    await p.say('yes');
    await p.say('email');
    const readout = await p.key(`${await driver.latestCode(alex, 'EMAIL')}#`);
    const ssml = readout.prompts.find((x) => x.ssml?.includes('interpret-as="characters"'))!.ssml!;
    const password = passwordFromReadout(ssml);
    await p.key('2');

    expect(await binds(slapd.userDn('alex'), password)).toBe(true);
    expect(await binds(slapd.userDn('alex'), 'Old-Passw0rd-Alex')).toBe(false);
    const admin = new Client({ url: slapd.url });
    await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
    const { searchEntries } = await admin.search(BASE_DN, { filter: `(employeeNumber=${alex.employeeId})`, attributes: ['pwdReset'] });
    await admin.unbind();
    expect(searchEntries[0]!.pwdReset).toBe('TRUE');
  });

  it('with the directory down during a verify: a clear message and an agent; the session stays verifiable; the audit says why', async () => {
    const start = await driver.start({ employeeId: sam.employeeId, callerNumber: '+15555557002' });
    const code = await driver.latestCode(sam);
    await slapd.stop();
    const down = await driver.verify(start.sessionId, code);
    expect(down).toEqual({ status: 'UNAVAILABLE' });
    expect((await driver.audit(sam.employeeId))[0]).toMatchObject({ outcome: 'ERROR', reason: 'DIRECTORY_UNAVAILABLE' });
    expect(await driver.session(start.sessionId)).toMatchObject({ state: 'AWAITING_CODE', attemptsLeft: 3 });

    // The directory is back: the same code still works.
    await slapd.restart();
    const verified = await driver.verify(start.sessionId, code);
    expect(verified.status).toBe('RESET');
    expect(await binds(slapd.userDn('sam'), verified.password!)).toBe(true);
  });

  it('through the call: the directory down means a clear prompt and the agent queue', async () => {
    const employee = DEMO_EMPLOYEES.find((e) => e.employeeId === '5678901')!;
    const p = new Phone(twin.url);
    await p.dial('+15555557003', 'en-US');
    await p.key('1');
    await p.key(`${employee.employeeId}#`);
    await p.key('1');
    await p.key('1');
    await slapd.stop();
    try {
      const out = await p.key(`${await driver.latestCode(employee)}#`);
      expect(out.prompts.map((x) => x.text)).toEqual([
        "Sorry, I couldn't check your code right now.",
        'Please hold while I connect you to an agent.',
      ]);
      expect(out).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset' });
    } finally {
      await slapd.restart();
    }
  });

  /** The ppolicy state of an entry, read as the administrator (operational attributes are asked for by name). */
  async function passwordState(uid: string): Promise<Record<string, unknown>> {
    const admin = new Client({ url: slapd.url });
    await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
    try {
      const { searchEntries } = await admin.search(slapd.userDn(uid), {
        scope: 'base',
        attributes: ['userPassword', 'pwdChangedTime', 'pwdReset', 'pwdAccountLockedTime', 'pwdFailureTime'],
      });
      return searchEntries[0]!;
    } finally {
      await admin.unbind();
    }
  }

  it('a ppolicy lock-out (bind failures) is cleared by unlock: the old password binds again, unchanged', async () => {
    // Built as the verify workflow's handlers build it, from the configuration, against this slapd.
    const directory = await directoryFromEnvironment({ ...slapdSettings(), LDAP_TIMEOUT_MS: '1500' })();
    expect(directory).toMatchObject({ kind: 'ldap', canUnlock: true });
    const dn = slapd.userDn(kim.uid);
    expect(await binds(dn, kim.password)).toBe(true);
    const before = await passwordState(kim.uid);
    expect(before.pwdAccountLockedTime).toEqual([]);

    // Locked by ppolicy: MAX_BIND_FAILURES wrong passwords, then the right one is refused too.
    for (let i = 0; i < MAX_BIND_FAILURES; i += 1) expect(await binds(dn, `Wrong-Passw0rd-${i}`)).toBe(false);
    expect(await binds(dn, kim.password)).toBe(false);
    const locked = await passwordState(kim.uid);
    expect(locked.pwdAccountLockedTime).toMatch(/^\d{14}Z$/);
    expect(locked.pwdFailureTime).toHaveLength(MAX_BIND_FAILURES);

    await directory.unlock({ employeeId: kim.employeeNumber });

    // The lock and the failures that caused it are gone (ppolicy drops pwdFailureTime with the lock);
    // the password is the same value, not re-set (pwdChangedTime as before) and not must-change.
    const unlocked = await passwordState(kim.uid);
    expect(unlocked.pwdAccountLockedTime).toEqual([]);
    expect(unlocked.pwdFailureTime).toEqual([]);
    expect(unlocked.userPassword).toEqual(before.userPassword);
    expect(unlocked.pwdChangedTime).toEqual(before.pwdChangedTime);
    expect(unlocked.pwdReset).not.toBe('TRUE');
    // Old failures do not count again: one more wrong password does not re-lock, and the old password binds.
    expect(await binds(dn, 'Wrong-Passw0rd-again')).toBe(false);
    expect(await binds(dn, kim.password)).toBe(true);

    // Unlocking an entry that is not locked is not an error, and changes nothing.
    await directory.unlock({ employeeId: kim.employeeNumber });
    expect(await passwordState(kim.uid)).toEqual({ ...unlocked, pwdFailureTime: [] });
    expect(await binds(dn, kim.password)).toBe(true);
  });

  it('"unlock my account" through the workflows: a ppolicy-locked entry, start UNLOCK, the code, UNLOCKED; the old password binds, unchanged', async () => {
    const dn = slapd.userDn('priya');
    const before = await passwordState('priya');
    for (let i = 0; i < MAX_BIND_FAILURES; i += 1) expect(await binds(dn, `Wrong-Passw0rd-${i}`)).toBe(false);
    expect(await binds(dn, 'Old-Passw0rd-Priya')).toBe(false);
    expect((await passwordState('priya')).pwdAccountLockedTime).toMatch(/^\d{14}Z$/);

    const start = await driver.start({ employeeId: priya.employeeId, callerNumber: '+15555557004', action: 'UNLOCK' });
    expect(await driver.verify(start.sessionId, await driver.latestCode(priya))).toEqual({ status: 'UNLOCKED' });

    const after = await passwordState('priya');
    expect(after.pwdAccountLockedTime).toEqual([]);
    expect(after.userPassword).toEqual(before.userPassword);
    expect(after.pwdChangedTime).toEqual(before.pwdChangedTime);
    expect(after.pwdReset).not.toBe('TRUE');
    expect(await binds(dn, 'Old-Passw0rd-Priya')).toBe(true);
    expect((await driver.audit(priya.employeeId))[0]).toMatchObject({ outcome: 'UNLOCKED', reason: 'AUTHORIZED' });
  });

  it('a reset of a ppolicy-locked entry unlocks it too: the temporary password binds, must-change', async () => {
    const directory = await directoryFromEnvironment(slapdSettings())();
    const dn = slapd.userDn(kim.uid);
    for (let i = 0; i < MAX_BIND_FAILURES; i += 1) await binds(dn, `Wrong-Passw0rd-reset-${i}`);
    expect((await passwordState(kim.uid)).pwdAccountLockedTime).toMatch(/^\d{14}Z$/);
    await directory.setTemporaryPassword({ employeeId: kim.employeeNumber }, 'Tmp-Passw0rd-Kim9', {
      mustChange: true,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const after = await passwordState(kim.uid);
    expect(after.pwdAccountLockedTime).toEqual([]);
    expect(after.pwdReset).toBe('TRUE');
    expect(await binds(dn, 'Tmp-Passw0rd-Kim9')).toBe(true);
    expect(await binds(dn, kim.password)).toBe(false);
  });

  it('an unlock call, in Spanish, on a ppolicy-locked entry: menu 2, the texted code, "desbloqueada"; the old password binds again, unchanged', async () => {
    const dn = slapd.userDn('maria');
    const before = await passwordState('maria');
    for (let i = 0; i < MAX_BIND_FAILURES; i += 1) expect(await binds(dn, `Wrong-Passw0rd-${i}`)).toBe(false);
    expect(await binds(dn, 'Old-Passw0rd-Maria')).toBe(false);
    const p = new Phone(twin.url);
    await p.dial('+15555557020', 'es-US');
    expect((await p.key('2')).prompts.map((x) => x.text).join(' ')).toContain('número de empleado');
    expect((await p.key(`${maria.employeeId}#`)).prompts[0]!.text).toContain('Escuché');
    expect((await p.key('1')).prompts[0]!.text).toContain('por mensaje de texto o por correo');
    expect((await p.key('1')).prompts[0]!.text).toContain('teléfono o correo registrado para recuperación');
    const out = await p.key(`${await driver.latestCode(maria)}#`);
    expect(out).toMatchObject({ ended: true, prompts: [{ text: expect.stringContaining('Su cuenta está desbloqueada') }] });
    const after = await passwordState('maria');
    expect(after.pwdAccountLockedTime).toEqual([]);
    expect(after.userPassword).toEqual(before.userPassword);
    expect(after.pwdChangedTime).toEqual(before.pwdChangedTime);
    expect(after.pwdReset).not.toBe('TRUE');
    expect(await binds(dn, 'Old-Passw0rd-Maria')).toBe(true);
  });

  it('unlock of an employee ID the directory does not have: EmployeeNotFoundError', async () => {
    const directory = await directoryFromEnvironment(slapdSettings())();
    await expect(directory.unlock({ employeeId: '7000002' })).rejects.toBeInstanceOf(EmployeeNotFoundError);
  });

  describe('recovery channels from the directory', () => {
    it("recoveryChannels reads the entry's mobile as E.164; a national number, no mobile or no entry: none", async () => {
      const directory = await directoryFromEnvironment(slapdSettings())();
      await expect(directory.recoveryChannels(lee.employeeNumber)).resolves.toEqual({ mobile: '+15559017003' });
      await expect(directory.recoveryChannels(max.employeeNumber)).resolves.toEqual({ mobile: max.mobile });
      await expect(directory.recoveryChannels(noor.employeeNumber)).resolves.toEqual({});
      await expect(directory.recoveryChannels(kim.employeeNumber)).resolves.toEqual({});
      await expect(directory.recoveryChannels('7000009')).resolves.toEqual({});
      // A filter value is escaped: no entry matches a wildcard.
      await expect(directory.recoveryChannels('*')).resolves.toEqual({});
    });

    it('reads a configured recovery e-mail attribute (here `description`, for want of a personal-address attribute in inetOrgPerson)', async () => {
      const admin = new Client({ url: slapd.url });
      await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
      await admin.modify(
        slapd.userDn(max.uid),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'description', values: ['max@home.example.net'] }) }),
      );
      await admin.unbind();
      const directory = await directoryFromEnvironment({ ...slapdSettings(), LDAP_RECOVERY_EMAIL_ATTRIBUTE: 'description' })();
      await expect(directory.recoveryChannels(max.employeeNumber)).resolves.toEqual({
        mobile: max.mobile,
        recoveryEmail: 'max@home.example.net',
      });
    });

    it('an employee whose item has no recovery channel gets the code texted to the LDAP mobile, and the reset completes', async () => {
      const start = await driver.start({ employeeId: lee.employeeNumber, callerNumber: '+15555557010' });
      const code = await latestCode(twin, '+15559017003');
      expect(twin.sms.texts({ to: '+15559017003' })).toHaveLength(1);
      // Not the corporate mailbox.
      expect(driver.inbox(lee.mail)).toEqual([]);
      expect(twin.metrics.sum('RecoveryChannelsFromDirectory', { service: 'support-desk' })).toBeGreaterThanOrEqual(1);
      const verified = await driver.verify(start.sessionId, code);
      expect(verified.status).toBe('RESET');
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.userDn(lee.uid), verified.password!);
      await client.unbind();
    });

    it("the item's channels win: an employee with a recovery e-mail gets the code there, never at the directory's mobile", async () => {
      await driver.start({ employeeId: sam.employeeId, callerNumber: '+15555557011' });
      await expect(driver.latestCode(sam)).resolves.toMatch(/^\d{6}$/);
      expect(twin.sms.texts({ to: samDirectoryMobile })).toEqual([]);
    });

    it('a mobile that is not E.164 is not used: no code, as for any employee without a channel', async () => {
      const noChannel = twin.metrics.sum('CodeNoRecoveryChannel', { service: 'support-desk' });
      const texts = twin.sms.texts().length;
      await driver.start({ employeeId: noor.employeeNumber, callerNumber: '+15555557012' });
      await twin.settle();
      expect(twin.sms.texts()).toHaveLength(texts);
      expect(driver.inbox(noor.mail)).toEqual([]);
      expect(twin.metrics.sum('CodeNoRecoveryChannel', { service: 'support-desk' })).toBe(noChannel + 1);
    });

    it('the directory down: no channel from it, a warning and RecoveryChannelLookupFailures, nothing personal logged', async () => {
      const failures = twin.metrics.sum('RecoveryChannelLookupFailures', { service: 'support-desk' });
      await slapd.stop();
      try {
        const start = await driver.start({ employeeId: max.employeeNumber, callerNumber: '+15555557013' });
        expect(start.status).toBe('CODE_SENT');
        await twin.settle();
      } finally {
        await slapd.restart();
      }
      expect(twin.sms.texts({ to: max.mobile })).toEqual([]);
      expect(twin.metrics.sum('RecoveryChannelLookupFailures', { service: 'support-desk' })).toBe(failures + 1);
      // The audit says why no code went out: the directory, not a missing channel.
      expect((await driver.audit(max.employeeNumber))[0]).toMatchObject({ step: 'DELIVER', reason: 'DIRECTORY_UNAVAILABLE' });
      const logs = await retainedRecords(twin, 'lambdaLogs');
      const warning = logs.find(
        (l) => l.functionName === 'issue-verification-code' && l.message?.message === 'recovery channels not read from the directory',
      );
      expect(warning?.message).toMatchObject({ level: 'WARN', directory: 'ldap', errorName: 'DirectoryUnavailableError' });
      const written = JSON.stringify(logs.filter((l) => l.functionName === 'issue-verification-code'));
      for (const personal of [max.mobile, '9017005', max.mail, max.uid, max.name]) expect(written).not.toContain(personal);
    });
  });
});
