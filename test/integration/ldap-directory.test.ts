/**
 * The LDAP directory against a real OpenLDAP (Debian's slapd with the ppolicy overlay): a full reset
 * call through the twin with DIRECTORY=ldap; the spoken temporary password binds and the entry says
 * pwdReset: TRUE; the old password no longer binds. And with the directory down during a verify: a
 * clear message, an agent, a session still verifiable until it expires, an audit record saying why.
 */
import { Client } from 'ldapts';
import { startTestTwin } from '../support/test-twin';
import { describeNeeding } from '../support/system-programs';
import { Phone } from '../support/phone';
import { WorkflowDriver } from '../support/workflow-driver';
import { ADMIN_DN, ADMIN_PASSWORD, BASE_DN, startSlapd, type Slapd } from '../support/slapd';
import { passwordFromReadout } from '../../lambdas/domain/password-readout';
import { DEMO_EMPLOYEES } from '../../local/seed/demo-employees';

jest.setTimeout(60_000);
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let slapd: Slapd;
let twin: TestTwin;
let driver: WorkflowDriver;
const alex = DEMO_EMPLOYEES.find((e) => e.employeeId === '1234567')!;
const sam = DEMO_EMPLOYEES.find((e) => e.employeeId === '3456789')!;

describeNeeding('slapd')('the LDAP directory against OpenLDAP', () => {
  beforeAll(async () => {
    slapd = await startSlapd([
      { uid: 'alex', employeeNumber: alex.employeeId, name: alex.name, mail: alex.email, password: 'Old-Passw0rd-Alex' },
      { uid: 'sam', employeeNumber: sam.employeeId, name: sam.name, mail: sam.email, password: 'Old-Passw0rd-Sam' },
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
    const readout = await p.key(`${await driver.latestCode(alex.email)}#`);
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
    const code = await driver.latestCode(sam.email);
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
    await slapd.stop();
    try {
      const out = await p.key(`${await driver.latestCode(employee.email)}#`);
      expect(out.prompts.map((x) => x.text)).toEqual([
        "Sorry, I couldn't check your code right now.",
        'Please hold while I connect you to an agent.',
      ]);
      expect(out).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset' });
    } finally {
      await slapd.restart();
    }
  });
});
