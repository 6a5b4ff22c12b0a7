/**
 * The rest of the security review, each as the attack or the weakness it names: F10 (LDAP in clear,
 * expiry assumed), F11 (the caller hash reversed), F12 (a code said at the menu logged and recorded; the
 * keyed code stored in clear), F13 (the code e-mail telling a victim to ignore it).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { Phone } from '../../local/softphone/phone';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import { ldapSettings } from '../../lambdas/directory/directory-from-environment';
import { LdapDirectory } from '../../lambdas/directory/ldap-directory';
import { CognitoDirectory } from '../../lambdas/directory/cognito-directory';
import { validateDeploymentConfig } from '../../infra/deployment-config';
import defaultConfig from '../../infra/config/default.json';
import selfsigned from 'selfsigned';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localClient } from '../support/test-twin';
import { CODE_INPUT_KEY_SECRET_NAME } from '../../catalogue/secret-catalogue';
import { decryptStoredInput } from '../../lambdas/aws/stored-input-decryption';
import { encryptStoredInput, StoredInputEncryptionError } from '../../local/connect/stored-input-encryption';

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

describe('F13: the code message tells a victim what to do', () => {
  it('the e-mail says to report a code they did not ask for, and how', async () => {
    const employee = syntheticEmployee(1);
    await driver.start({ employeeId: employee.employeeId, callerNumber: '+15555550125', channelPreference: 'EMAIL' });
    await driver.latestCode(employee, 'EMAIL');
    const mail = driver.inbox(employee.recoveryEmail!).at(-1)!;
    expect(mail.body.text).not.toMatch(/ignore/i);
    expect(mail.body.text).toContain('If you did not ask for this code');
    expect(mail.body.text).toContain('report it to the security team at +18005550100');
  });

  it('so does the text', async () => {
    const employee = syntheticEmployee(2);
    await driver.start({ employeeId: employee.employeeId, callerNumber: '+15555550126' });
    await driver.latestCode(employee);
    const text = driver.texts(employee.mobile!).at(-1)!.body;
    expect(text).not.toMatch(/ignore/i);
    expect(text).toContain("Didn't ask for it? Call security at +18005550100.");
  });
});

describe('F12: the code keyed at the retry is stored encrypted (Connect InputEncryption)', () => {
  it('the flow hands verify-code an Encryption SDK message, never the digits; only the key pair opens it', async () => {
    const employee = syntheticEmployee(2);
    const seen: Array<Record<string, string>> = [];
    const invoke = twin.lambdas.invoke.bind(twin.lambdas);
    twin.lambdas.invoke = async (name, event) => {
      if (String(name).includes('verify-code'))
        seen.push((event as { Details: { Parameters: Record<string, string> } }).Details.Parameters);
      return invoke(name, event);
    };
    try {
      const p = new Phone(twin.url);
      await p.dial('+15555550126', 'en-US');
      await p.key('1');
      await p.key(`${employee.employeeId}#`);
      await p.key('1');
      await p.key('1');
      const code = await driver.latestCode(employee);
      const wrong = code === '000000' ? '000001' : '000000';
      expect((await p.key(`${wrong}#`)).prompts[0]!.text).toContain("didn't match");
      const again = await p.key(`${code}#`);
      expect(again.prompts.map((x) => x.text).join(' ')).toContain('temporary password');
    } finally {
      twin.lambdas.invoke = invoke;
    }
    // The first code goes through the bot (an obfuscated slot); the retry through Store customer input.
    expect(seen).toHaveLength(2);
    expect(seen[1]!.encrypted).toBe('true');
    expect(seen[1]!.code).not.toMatch(/\d{6}/);
    const key = JSON.parse(
      (
        await new SecretsManagerClient(localClient(twin.endpoints.secretsmanager)).send(
          new GetSecretValueCommand({ SecretId: CODE_INPUT_KEY_SECRET_NAME }),
        )
      ).SecretString!,
    ) as { keyId: string; privateKey: string };
    const digits = await decryptStoredInput(seen[1]!.code!, key);
    expect(digits).toMatch(/^\d{6}$/);
    await expect(decryptStoredInput(seen[1]!.code!, { ...key, keyId: 'another-key' })).rejects.toThrow();
  });

  it('a certificate no security key of the instance signed is refused, as Connect refuses it', async () => {
    const other = selfsigned.generate([{ name: 'commonName', value: 'not-ours' }], { keySize: 2048 });
    const ours = selfsigned.generate([{ name: 'commonName', value: 'ours' }], { keySize: 2048 });
    await expect(encryptStoredInput('123456', { EncryptionKeyId: 'k', Key: other.cert }, [ours.public])).rejects.toThrow(
      StoredInputEncryptionError,
    );
    const sealed = await encryptStoredInput('Timeout', { EncryptionKeyId: 'k', Key: ours.cert }, [ours.public]);
    expect(await decryptStoredInput(sealed, { keyId: 'k', privateKey: ours.private })).toBe('Timeout');
  });
});
