/**
 * The system programs some suites need and npm cannot provide. On a machine without one, its suites
 * skip with one line saying what is skipped and the command that installs it; with `CI=true` a
 * missing program fails the run instead (`.ci/run` installs them all). Chromium is not here: the
 * browser tests fall back to the Chromium that ships inside an npm package (test/support/browser.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemProgram {
  /** What it is, for the skip line. */
  readonly what: string;
  /** The exact command that installs it (Debian/Ubuntu, as `.ci/run` does). */
  readonly install: string;
  /** The suites that need it, relative to the repository root. */
  readonly suites: readonly string[];
  isPresent(): boolean;
}

const answers = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;

export const SYSTEM_PROGRAMS = {
  slapd: {
    what: 'slapd (OpenLDAP server, /usr/sbin/slapd)',
    install: 'sudo apt-get install -y slapd',
    suites: ['test/integration/ldap-directory.test.ts'],
    isPresent: () => existsSync('/usr/sbin/slapd'),
  },
  awsCli: {
    what: 'the AWS CLI (aws)',
    install: 'sudo apt-get install -y awscli',
    suites: ['test/integration/aws-cli.test.ts'],
    isPresent: () => answers('aws', ['--version']),
  },
  script: {
    what: "util-linux's script (a pseudo-terminal)",
    install: 'sudo apt-get install -y bsdutils',
    suites: ['test/integration/terminal-softphone.test.ts'],
    isPresent: () => answers('script', ['--version']),
  },
} satisfies Record<string, SystemProgram>;

export type SystemProgramName = keyof typeof SYSTEM_PROGRAMS;

export const inCi = (): boolean => /^(1|true)$/i.test(process.env.CI ?? '');

export function skipLine(program: SystemProgram, suite: string, ci = inCi()): string {
  return `${ci ? 'MISSING' : 'SKIPPED'} ${suite}: needs ${program.what}, not on this machine. Install: ${program.install}`;
}

/**
 * `describe` when the program is present; outside CI, `describe.skip` (the one-line notice is
 * printed once for the run by test/support/report-skips.ts); in CI, a suite that fails naming it.
 */
export function describeNeeding(name: SystemProgramName): jest.Describe {
  const program = SYSTEM_PROGRAMS[name];
  if (program.isPresent()) return describe;
  if (inCi()) {
    return ((title: string) =>
      describe(title, () => {
        it(`needs ${program.what}`, () => {
          throw new Error(`CI=true and ${program.what} is missing. Install: ${program.install}`);
        });
      })) as unknown as jest.Describe;
  }
  return describe.skip;
}
