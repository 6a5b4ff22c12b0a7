/**
 * A throwaway OpenLDAP for tests: Debian's slapd in a temporary folder (slapd.conf, back-mdb, the
 * ppolicy overlay with a default policy that makes administrator-set passwords must-change and locks
 * an entry after MAX_BIND_FAILURES wrong passwords until an administrator unlocks it), on a loopback
 * port, loaded with a few employees (a `mobile` for those given one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

export const BASE_DN = 'dc=example,dc=com';
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'admin-secret';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
/**
 * Consecutive wrong passwords after which ppolicy locks an entry (pwdMaxFailure, with pwdLockout TRUE and
 * pwdLockoutDuration 0: locked until an administrator deletes pwdAccountLockedTime). A test that binds
 * with a wrong password on purpose stays below it, or uses an entry of its own.
 */
export const MAX_BIND_FAILURES = 3;

export interface Slapd {
  url: string;
  /** Stops the server; its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
  userDn(uid: string): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startSlapd(
  people: Array<{ uid: string; employeeNumber: string; name: string; mail: string; password: string; mobile?: string | string[] }>,
): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'support-desk-slapd-'));
  mkdirSync(join(dir, 'db'));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'slapd.conf'),
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload ppolicy',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'database mdb',
      `suffix "${BASE_DN}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw ${ADMIN_PASSWORD}`,
      `directory ${join(dir, 'db')}`,
      'overlay ppolicy',
      `ppolicy_default "cn=default,ou=policies,${BASE_DN}"`,
      'access to attrs=userPassword by self write by anonymous auth by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  let slapd: ChildProcess | undefined;
  const launch = async () => {
    slapd = spawn('/usr/sbin/slapd', ['-f', join(dir, 'slapd.conf'), '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    slapd.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
    for (let i = 0; ; i += 1) {
      const probe = new Client({ url });
      try {
        await probe.bind(ADMIN_DN, ADMIN_PASSWORD);
        await probe.unbind();
        return;
      } catch (error) {
        if (i > 100) throw new Error(`slapd did not start: ${(error as Error).message}\n${errors}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const stop = async () => {
    const running = slapd;
    slapd = undefined;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGTERM');
    await new Promise((r) => running.once('exit', r));
  };
  await launch();
  const admin = new Client({ url });
  await admin.bind(ADMIN_DN, ADMIN_PASSWORD);
  await admin.add(BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
  await admin.add(`ou=policies,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'policies' });
  await admin.add(`cn=default,ou=policies,${BASE_DN}`, {
    objectClass: ['device', 'pwdPolicy'],
    cn: 'default',
    pwdAttribute: 'userPassword',
    pwdMustChange: 'TRUE',
    pwdAllowUserChange: 'TRUE',
    pwdLockout: 'TRUE',
    pwdMaxFailure: String(MAX_BIND_FAILURES),
    // 0: no automatic unlock (slapo-ppolicy(5)); failures are forgotten only by a successful bind.
    pwdLockoutDuration: '0',
    pwdFailureCountInterval: '0',
  });
  await admin.add(PEOPLE_DN, { objectClass: 'organizationalUnit', ou: 'people' });
  const userDn = (uid: string) => `uid=${uid},${PEOPLE_DN}`;
  for (const p of people) {
    await admin.add(userDn(p.uid), {
      objectClass: 'inetOrgPerson',
      uid: p.uid,
      cn: p.name,
      sn: p.name.split(' ').pop() ?? p.name,
      mail: p.mail,
      employeeNumber: p.employeeNumber,
      userPassword: p.password,
      // inetOrgPerson allows `mobile` (RFC 4524's mobileTelephoneNumber), several values if need be.
      ...(p.mobile ? { mobile: p.mobile } : {}),
    });
  }
  await admin.unbind();
  return {
    url,
    userDn,
    stop,
    restart: launch,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
