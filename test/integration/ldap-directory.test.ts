/**
 * The LDAP directory against a real OpenLDAP (Debian's slapd with the ppolicy overlay): a full reset
 * call through the twin with DIRECTORY=ldap; the spoken temporary password binds and the entry says
 * pwdReset: TRUE; the old password no longer binds. And with the directory down during a verify: a
 * clear message, an agent, a session still verifiable until it expires, an audit record saying why.
 * And "unlock my account" (issue #19): an entry ppolicy locked after too many wrong passwords is
 * unlocked by the directory adapter, and its unchanged password binds again; and the same through the
 * workflows (start with action UNLOCK, the code, verify: UNLOCKED).
 */
import { Client } from 'ldapts';
import { startTestTwin } from '../support/test-twin';
import { describeNeeding } from '../support/system-programs';
import { Phone } from '../support/phone';
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
// An entry of its own for the lock-out test (an employee ID no demo or synthetic employee has).
const kim = { uid: 'kim', employeeNumber: '7000001', name: 'Kim Park', mail: 'kim.park@example.com', password: 'Old-Passw0rd-Kim' };

describeNeeding('slapd')('the LDAP directory against OpenLDAP', () => {
  beforeAll(async () => {
    slapd = await startSlapd([
      { uid: 'alex', employeeNumber: alex.employeeId, name: alex.name, mail: alex.email, password: 'Old-Passw0rd-Alex' },
      { uid: 'sam', employeeNumber: sam.employeeId, name: sam.name, mail: sam.email, password: 'Old-Passw0rd-Sam' },
      { uid: 'priya', employeeNumber: priya.employeeId, name: priya.name, mail: priya.email, password: 'Old-Passw0rd-Priya' },
      kim,
    ]);
    twin = await startTestTwin({
      environment: {
        DIRECTORY: 'ldap',
        LDAP_URL: slapd.url,
        // The test's OpenLDAP listens on this host only, without TLS (CDK can never set this).
        LDAP_ALLOW_CLEARTEXT: 'true',
        LDAP_BASE_DN: BASE_DN,
        LDAP_BIND_DN: ADMIN_DN,
        LDAP_BIND_PASSWORD: ADMIN_PASSWORD,
        LDAP_TIMEOUT_MS: '1500',
      },
    });
    driver = new WorkflowDriver(twin);
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
    const directory = await directoryFromEnvironment({
      DIRECTORY: 'ldap',
      LDAP_URL: slapd.url,
      LDAP_ALLOW_CLEARTEXT: 'true',
      LDAP_BASE_DN: BASE_DN,
      LDAP_BIND_DN: ADMIN_DN,
      LDAP_BIND_PASSWORD: ADMIN_PASSWORD,
      LDAP_TIMEOUT_MS: '1500',
    })();
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
    const directory = await directoryFromEnvironment({
      DIRECTORY: 'ldap',
      LDAP_URL: slapd.url,
      LDAP_ALLOW_CLEARTEXT: 'true',
      LDAP_BASE_DN: BASE_DN,
      LDAP_BIND_DN: ADMIN_DN,
      LDAP_BIND_PASSWORD: ADMIN_PASSWORD,
    })();
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

  it('unlock of an employee ID the directory does not have: EmployeeNotFoundError', async () => {
    const directory = await directoryFromEnvironment({
      DIRECTORY: 'ldap',
      LDAP_URL: slapd.url,
      LDAP_ALLOW_CLEARTEXT: 'true',
      LDAP_BASE_DN: BASE_DN,
      LDAP_BIND_DN: ADMIN_DN,
      LDAP_BIND_PASSWORD: ADMIN_PASSWORD,
    })();
    await expect(directory.unlock({ employeeId: '7000002' })).rejects.toBeInstanceOf(EmployeeNotFoundError);
  });
});
