/**
 * The rest of the security review, each as the attack or the weakness it names: F10 (LDAP in clear,
 * expiry assumed), F11 (the caller hash reversed), F12 (a code said at the menu logged and recorded),
 * F13 (the code e-mail telling a victim to ignore it).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { Phone } from '../support/phone';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { ldapSettings } from '../../lambdas/directory/directory-from-environment';
import { LdapDirectory } from '../../lambdas/directory/ldap-directory';
import { CognitoDirectory } from '../../lambdas/directory/cognito-directory';
import { validateDeploymentConfig } from '../../infra/deployment-config';
import defaultConfig from '../../infra/config/default.json';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let driver: WorkflowDriver;

beforeAll(async () => {
  twin = await startTestTwin({ seedEmployees: 5 });
  driver = new WorkflowDriver(twin);
});
afterAll(async () => {
  driver.close();
  await twin.cleanup();
});

/** Every file the twin keeps, as text. */
function retainedText(root: string): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else parts.push(readFileSync(path, 'latin1'));
    }
  };
  walk(root);
  return parts.join('\n');
}

describe('F10: LDAP never in clear, expiry reported rather than assumed', () => {
  const ldap = {
    LDAP_URL: 'ldap://dc.corp.example.com',
    LDAP_BASE_DN: 'dc=corp,dc=example,dc=com',
    LDAP_BIND_DN: 'cn=svc,dc=corp,dc=example,dc=com',
    LDAP_BIND_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ldap',
  };

  it('the function refuses ldap:// at cold start unless StartTLS upgrades it', () => {
    expect(() => ldapSettings(ldap)).toThrow(/in clear/);
    expect(ldapSettings({ ...ldap, LDAP_START_TLS: 'true' })).toMatchObject({ startTls: true });
    expect(ldapSettings({ ...ldap, LDAP_URL: 'ldaps://dc.corp.example.com' })).toMatchObject({ startTls: false });
  });

  it('a deployment refuses ldap:// without startTls', () => {
    const config = JSON.parse(JSON.stringify(defaultConfig));
    config.directory = 'ldap';
    config.ldap.url = 'ldap://dc.corp.example.com';
    expect(() => validateDeploymentConfig(config)).toThrow(/in clear/);
    config.ldap.startTls = true;
    expect(() => validateDeploymentConfig(config)).not.toThrow();
  });

  it('each directory says whether it enforces must-change and expiry', () => {
    const ldapDirectory = new LdapDirectory({ ...ldapSettings({ ...ldap, LDAP_START_TLS: 'true' }), bindPassword: 'x' });
    expect(ldapDirectory.guarantees).toEqual({ mustChange: true, expiry: false });
    expect(new CognitoDirectory('us-east-1_pool').guarantees).toEqual({ mustChange: true, expiry: false });
    expect(driver.directory.guarantees).toEqual({ mustChange: true, expiry: true });
  });
});

describe('F11: the caller hash is keyed', () => {
  it('the unkeyed SHA-256 of the caller number appears nowhere: counters, events, audit', async () => {
    const number = '+15555550123';
    const employee = syntheticEmployee(0);
    await driver.start({ employeeId: employee.employeeId, callerNumber: number });
    await twin.settle();
    const unkeyed = createHash('sha256').update(`support-desk-caller:${number}`).digest('hex').slice(0, 32);
    const events = await retainedRecords(twin, 'events');
    const started = events.find((e) => e['detail-type'] === 'ResetStarted' && e.detail.employeeId === employee.employeeId);
    expect(started?.detail.callerHash).toMatch(/^[0-9a-f]{32}$/);
    expect(started?.detail.callerHash).not.toBe(unkeyed);
    await twin.data.flush();
    expect(retainedText(twin.data.root)).not.toContain(unkeyed);
  });
});

describe('F12: what a caller says before the disclaimer is neither logged nor recorded', () => {
  it('"my code is 424242" at the menu reaches no Lex log and no recording', async () => {
    const p = new Phone(twin.url);
    await p.dial('+15555550124', 'en-US');
    await p.say('my code is 424242');
    await p.say('agent');
    await p.hangUp().catch(() => undefined);
    await twin.settle();
    await twin.data.flush();
    const kept = retainedText(twin.data.root);
    expect(kept).not.toContain('424242');
    expect(kept).not.toMatch(/4\s*2\s*4\s*2\s*4\s*2/);
  });
});

describe('F13: the code e-mail tells a victim what to do', () => {
  it('it says to report a code they did not ask for, and how', async () => {
    const employee = syntheticEmployee(1);
    await driver.start({ employeeId: employee.employeeId, callerNumber: '+15555550125' });
    await driver.latestCode(employee.email);
    const mail = driver.inbox(employee.email).at(-1)!;
    expect(mail.body.text).not.toMatch(/ignore/i);
    expect(mail.body.text).toContain('If you did not ask for this code');
    expect(mail.body.text).toContain('report it to the security team at +18005550100');
  });
});
