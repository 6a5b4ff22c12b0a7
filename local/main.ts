/**
 * `npm start`: runs the local twin until Ctrl-C / SIGTERM.
 *   npm start -- --fresh      start from an empty data folder
 * Environment: HELPDESK_DATA_DIR (default .local/), PORT (default 3000), HELPDESK_<SERVICE>_PORT,
 * HELPDESK_SEED_EMPLOYEES, HELPDESK_STEPFUNCTIONS_ENDPOINT, HELPDESK_MAX_ACTIVE_CALLS,
 * HELPDESK_MAX_CALLS_PER_MINUTE, HELPDESK_MAX_QUEUE_WAIT_MINUTES, HELPDESK_LENIENT_SPEECH, HELPDESK_METERING,
 * HELPDESK_DIRECTORY and HELPDESK_LDAP_*, and the reset policy under its deployment names
 * (CODE_TTL_SECONDS, COMPANY_DAILY_FAILURE_LIMIT, ...).
 */
import { POLICY_ENV } from '../lambdas/domain/reset-policy';
import { consoleUrlLine } from './ready-banner';
import { startTwin } from './twin';

const SERVICES = [
  'dynamodb',
  'ses',
  'stepfunctions',
  'eventbridge',
  'lambda',
  'secretsmanager',
  'lexruntime',
  'lexmodels',
  's3',
  'kms',
  'sms',
  'connect',
] as const;

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

// Everything the twin writes (the data folder holds live codes and the pepper) is private to its owner:
// LevelDB and the libraries' own files included, not only the files the twin opens itself.
process.umask(0o077);

// A request that fails in a way nobody expected must not take the twin down (and every emulator
// with it): log it and keep serving.
process.on('unhandledRejection', (reason: unknown) => {
  console.error('[twin] unexpected failure, still serving:', reason instanceof Error ? reason.message : reason);
});

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--fresh');
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(' ')}; usage: npm start [-- --fresh]`);
    process.exit(2);
  }
  const servicePorts = Object.fromEntries(
    SERVICES.map((s) => [s, intFromEnv(`HELPDESK_${s.toUpperCase()}_PORT`)]).filter(([, p]) => p !== undefined),
  );
  // The directory the twin's functions set passwords in (demo by default; see README).
  const directory = Object.fromEntries(
    Object.entries({
      DIRECTORY: process.env.HELPDESK_DIRECTORY,
      LDAP_URL: process.env.HELPDESK_LDAP_URL,
      LDAP_BASE_DN: process.env.HELPDESK_LDAP_BASE_DN,
      LDAP_BIND_DN: process.env.HELPDESK_LDAP_BIND_DN,
      LDAP_BIND_PASSWORD: process.env.HELPDESK_LDAP_BIND_PASSWORD,
      LDAP_FLAVOR: process.env.HELPDESK_LDAP_FLAVOR,
      LDAP_EMPLOYEE_ID_ATTRIBUTE: process.env.HELPDESK_LDAP_EMPLOYEE_ID_ATTRIBUTE,
      LDAP_TLS_REJECT_UNAUTHORIZED: process.env.HELPDESK_LDAP_TLS_REJECT_UNAUTHORIZED,
      LDAP_START_TLS: process.env.HELPDESK_LDAP_START_TLS,
      // A directory on this host without TLS (the functions refuse ldap:// otherwise).
      LDAP_ALLOW_CLEARTEXT: process.env.HELPDESK_LDAP_ALLOW_CLEARTEXT,
    }).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  // The reset policy, as CDK sets it from the deployment configuration: the same variable names
  // (CODE_TTL_SECONDS, COMPANY_DAILY_FAILURE_LIMIT, ...), validated by the functions at cold start.
  const policy = Object.fromEntries(
    Object.values(POLICY_ENV)
      .map((name) => [name, process.env[name]] as const)
      .filter((entry): entry is readonly [string, string] => Boolean(entry[1])),
  );
  const maxActiveCalls = intFromEnv('HELPDESK_MAX_ACTIVE_CALLS');
  const maxCallsPerMinute = intFromEnv('HELPDESK_MAX_CALLS_PER_MINUTE');
  const maxQueueWaitMinutes = intFromEnv('HELPDESK_MAX_QUEUE_WAIT_MINUTES');
  if (maxQueueWaitMinutes === 0) {
    console.error('HELPDESK_MAX_QUEUE_WAIT_MINUTES must be at least 1');
    process.exit(2);
  }
  const started = Date.now();
  const twin = await startTwin({
    dataDir: process.env.HELPDESK_DATA_DIR || '.local',
    fresh: args.includes('--fresh'),
    port: intFromEnv('PORT') ?? 3000,
    servicePorts,
    seedEmployees: intFromEnv('HELPDESK_SEED_EMPLOYEES') ?? 0,
    externalStepFunctionsEndpoint: process.env.HELPDESK_STEPFUNCTIONS_ENDPOINT || undefined,
    environment: { ...directory, ...policy },
    // Forgiving speech is for demos only: Lex does not promise it (see local/lex/spoken-input.ts).
    lenientSpeech: process.env.HELPDESK_LENIENT_SPEECH === '1',
    metering: process.env.HELPDESK_METERING === '1',
    callLimits: { ...(maxActiveCalls !== undefined && { maxActiveCalls }), ...(maxCallsPerMinute !== undefined && { maxCallsPerMinute }) },
    ...(maxQueueWaitMinutes !== undefined && { maxQueueWaitMs: maxQueueWaitMinutes * 60_000 }),
  });
  const lines = [
    `Support Desk twin ready in ${Date.now() - started} ms (data: ${twin.data.root})`,
    consoleUrlLine(twin.url),
    `  health          ${twin.url}/api/health`,
    ...Object.entries(twin.endpoints).map(([name, url]) => `  ${name.padEnd(15)} ${url}`),
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the twin...`);
    twin
      .stop()
      .then(() => {
        console.log('stopped; data flushed.');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error('error while stopping', error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('the twin failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
