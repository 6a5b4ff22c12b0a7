/**
 * "Unlock my account" (issue #19), its pieces without the twin (the twin tests drive the workflows):
 * the unlock-account handler with its AWS calls mocked (Cognito: UnlockUnsupportedError, nothing
 * called; demo: one conditional update, within the deadline or not at all), get-prompts' `unlockSupported`
 * per directory (known without loading it), the start input's `action` and `channelPreference`, the
 * AccountUnlocked event schema, and the unlock notice.
 */
import { detailProblems, sampleEventBase } from '../support/event-validator';
import type { mockClient } from 'aws-sdk-client-mock';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from 'aws-lambda';
import { respondBy } from '../../lambdas/domain/deadline';
import { CAN_UNLOCK, DIRECTORY_KINDS, directoryKind } from '../../lambdas/directory/directory-kind';
import { CognitoDirectory } from '../../lambdas/directory/cognito-directory';
import { DemoDirectory } from '../../lambdas/directory/demo-directory';
import { LdapDirectory } from '../../lambdas/directory/ldap-directory';
import { ConfigurationError } from '../../lambdas/configuration/configuration-error';
import { prepareReset } from '../../lambdas/domain/reset-start';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import { accountUnlockedNotice, resetNoticeTime } from '../../lambdas/domain/security-notice';
import { ACCOUNT_UNLOCKED_NOTICE_TEMPLATES } from '../../lambdas/notifications/email-templates';
import { DETAIL_SCHEMAS, DETAIL_TYPES } from '../../events/password-reset-events';
import { FUNCTIONS, functionByName } from '../../lambdas/function-catalogue';
import { RULES } from '../../events/rule-catalogue';

const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 5000 } as unknown as Context;
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_METRICS_NAMESPACE: 'SupportDesk',
  POWERTOOLS_SERVICE_NAME: 'support-desk',
  EMPLOYEES_TABLE: 'employees',
  PROMPTS_TABLE: 'prompts',
});

// The handlers' EMF metrics go to stdout.
let quiet: jest.SpyInstance;
beforeAll(() => {
  quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => quiet.mockRestore());

type Mock = ReturnType<typeof mockClient>;
interface Loaded<T> {
  handler: T;
  dynamo: Mock;
  cognito: Mock;
  lib: typeof import('@aws-sdk/lib-dynamodb');
}

/**
 * A handler module loaded with `env` as its cold start's environment (configuration is read at module
 * scope), in a module registry of its own; the SDK clients are mocked in that registry.
 */
function loadWith<T>(
  module: string,
  env: Record<string, string>,
  setUp: (loaded: Omit<Loaded<T>, 'handler'>) => void = () => {},
): Loaded<T> {
  const saved = process.env.DIRECTORY;
  delete process.env.DIRECTORY;
  Object.assign(process.env, env);
  try {
    let loaded: Loaded<T> | undefined;
    jest.isolateModules(() => {
      const { mockClient: mock } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
      const lib = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
      const { CognitoIdentityProviderClient: Cognito } =
        require('@aws-sdk/client-cognito-identity-provider') as typeof import('@aws-sdk/client-cognito-identity-provider');
      const mocks = { dynamo: mock(lib.DynamoDBDocumentClient), cognito: mock(Cognito), lib };
      setUp(mocks);
      loaded = { ...mocks, handler: require(module) as T };
    });
    return loaded!;
  } finally {
    if (saved === undefined) delete process.env.DIRECTORY;
    else process.env.DIRECTORY = saved;
  }
}

type UnlockHandler = typeof import('../../lambdas/handlers/unlock-account')['handler'];
type PromptsHandler = typeof import('../../lambdas/handlers/get-prompts')['handler'];
const unlockModule = (env: Record<string, string>, setUp?: Parameters<typeof loadWith>[2]) => {
  const loaded = loadWith<typeof import('../../lambdas/handlers/unlock-account')>('../../lambdas/handlers/unlock-account', env, setUp);
  return { ...loaded, handler: loaded.handler.handler as UnlockHandler };
};
const promptsModule = (env: Record<string, string>, setUp?: Parameters<typeof loadWith>[2]) => {
  const loaded = loadWith<typeof import('../../lambdas/handlers/get-prompts')>('../../lambdas/handlers/get-prompts', env, setUp);
  return { ...loaded, handler: loaded.handler.handler as PromptsHandler };
};
const unlockEvent = (deadline = respondBy(6000, 500, Date.now())) => ({
  sessionId: 's-1',
  employeeId: '1234567',
  respondBy: deadline as unknown,
  reserveSeconds: 1,
});
const conditionFailed = () => Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('the unlock-account handler', () => {
  it('Cognito: UnlockUnsupportedError (the workflow answers UNLOCK_UNSUPPORTED), and nothing is called, whatever the deadline', async () => {
    const { handler, cognito, dynamo } = unlockModule({ DIRECTORY: 'cognito', COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123' });
    for (const deadline of [respondBy(6000, 500, Date.now()), respondBy(0, 500, Date.now())]) {
      const error = (await handler(unlockEvent(deadline), context).catch((e: unknown) => e)) as Error & {
        clearsItselfAfterSeconds?: number;
      };
      // Step Functions matches a Lambda error by its name (the workflow's Catch on UnlockUnsupportedError).
      expect(error.name).toBe('UnlockUnsupportedError');
      expect(error.clearsItselfAfterSeconds).toBe(15 * 60);
    }
    expect(cognito.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('demo: one conditional update that sets LOCKED back to ACTIVE, forgets the failed logons, and touches nothing else', async () => {
    const { handler, dynamo, lib } = unlockModule({ DIRECTORY: 'demo' }, ({ dynamo, lib }) => dynamo.on(lib.UpdateCommand).resolves({}));
    await expect(handler(unlockEvent(), context)).resolves.toEqual({ unlocked: true, directory: 'demo' });
    const updates = dynamo.commandCalls(lib.UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([
      {
        TableName: 'employees',
        Key: { employeeId: '1234567' },
        UpdateExpression: 'SET #status = :active REMOVE failedLogins',
        ConditionExpression: '#status = :locked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'ACTIVE', ':locked': 'LOCKED' },
      },
    ]);
    // Never the password, its must-change flag or expiry, and never the desk's own lock.
    expect(JSON.stringify(updates)).not.toMatch(/password|mustChange|lockedUntil/i);
  });

  it('demo: an account that is not locked is left as it is; an unknown one is EmployeeNotFoundError', async () => {
    const { handler } = unlockModule({ DIRECTORY: 'demo' }, ({ dynamo, lib }) => {
      dynamo.on(lib.UpdateCommand).rejects(conditionFailed());
      dynamo.on(lib.GetCommand, { Key: { employeeId: '1234567' } }).resolves({ Item: { employeeId: '1234567', status: 'ACTIVE' } });
      dynamo.on(lib.GetCommand, { Key: { employeeId: '7654321' } }).resolves({});
    });
    await expect(handler(unlockEvent(), context)).resolves.toEqual({ unlocked: true, directory: 'demo' });
    await expect(handler({ ...unlockEvent(), employeeId: '7654321' }, context)).rejects.toMatchObject({ name: 'EmployeeNotFoundError' });
  });

  it('refuses to start an unlock it could not report in time (DeadlineExceededError), touching nothing', async () => {
    const { handler, dynamo } = unlockModule({ DIRECTORY: 'demo' });
    await expect(handler(unlockEvent(respondBy(2500, 500, Date.now())), context)).rejects.toMatchObject({ name: 'DeadlineExceededError' });
    await expect(handler({ ...unlockEvent(), respondBy: undefined }, context)).rejects.toMatchObject({ name: 'DeadlineExceededError' });
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('verify-code passes the unlock outcomes through to the flow', () => {
  it.each([['UNLOCKED'], ['UNLOCK_UNSUPPORTED']])('%s: the status, no attempts left to say, no password', async (status) => {
    const loaded = loadWith<typeof import('../../lambdas/handlers/verify-code')>(
      '../../lambdas/handlers/verify-code',
      {
        VERIFY_WORKFLOW_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:password-reset-verify',
        CODE_INPUT_KEY_SECRET_ID: 'support-desk/code-input-key',
      },
      () => {
        const { mockClient: mock } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
        const { SFNClient, StartSyncExecutionCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
        mock(SFNClient)
          .on(StartSyncExecutionCommand)
          .resolves({
            status: 'SUCCEEDED',
            output: JSON.stringify({ status }),
            executionArn: 'a',
            startDate: new Date(),
            stopDate: new Date(),
          });
      },
    );
    const event = { Details: { Parameters: { sessionId: 's-1', code: '123456' }, ContactData: { ContactId: 'c-1' } } } as never;
    await expect(loaded.handler.handler(event, { ...context, getRemainingTimeInMillis: () => 8000 } as Context)).resolves.toEqual({
      status,
      attemptsLeft: '',
      passwordSsml: '',
    });
  });
});

describe("get-prompts' unlockSupported", () => {
  const event = { Details: { Parameters: { FlowName: 'password-reset', Locale: 'en-US' }, ContactData: {} } } as never;
  const prompts = (stored: Record<string, string>) => (mocks: Omit<Loaded<unknown>, 'handler'>) =>
    mocks.dynamo.on(mocks.lib.GetCommand).resolves({ Item: { flow: 'password-reset', locale: 'en-US', prompts: stored } });

  it.each([
    ['demo', 'true'],
    ['ldap', 'true'],
    ['cognito', 'false'],
  ])('DIRECTORY=%s: unlockSupported %s, with the prompts', async (kind, expected) => {
    // Only the kind: no LDAP settings, no user pool — the directory is not loaded or reached.
    const { handler, dynamo, cognito, lib } = promptsModule({ DIRECTORY: kind }, prompts({ greeting: 'Hello' }));
    await expect(handler(event, context)).resolves.toEqual({
      statusCode: '200',
      locale: 'en-US',
      greeting: 'Hello',
      unlockSupported: expected,
    });
    expect(dynamo.commandCalls(lib.GetCommand).map((c) => c.args[0].input.TableName)).toEqual(['prompts']);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('defaults to the demo directory, and a stored prompt cannot override it', async () => {
    const { handler } = promptsModule({}, prompts({ greeting: 'Hello', unlockSupported: 'maybe' }));
    await expect(handler(event, context)).resolves.toMatchObject({ unlockSupported: 'true' });
  });

  it('is a cold-start failure for an unknown directory, as in every function', () => {
    expect(() => promptsModule({ DIRECTORY: 'nis' })).toThrow(/DIRECTORY must be demo, ldap or cognito/);
  });

  it('loads no directory adapter (a cheap cold start): only the light directory-kind module', () => {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const imports = (module: string) => readFileSync(require.resolve(module), 'utf8').match(/^import .*$/gm) ?? [];
    expect(imports('../../lambdas/handlers/get-prompts').filter((line) => line.includes('/directory/'))).toEqual([
      "import { CAN_UNLOCK, directoryKind } from '../directory/directory-kind';",
    ]);
    expect(imports('../../lambdas/directory/directory-kind')).toEqual([
      "import { ConfigurationError } from '../configuration/configuration-error';",
    ]);
  });
});

describe('what each directory can unlock (one source)', () => {
  it('the adapters declare canUnlock from CAN_UNLOCK: demo and LDAP can, Cognito cannot', () => {
    const ldap = new LdapDirectory({
      url: 'ldaps://dc.example.com',
      baseDn: 'dc=example,dc=com',
      bindDn: 'cn=svc',
      bindPassword: 'x',
      flavor: 'openldap',
      employeeIdAttribute: 'employeeNumber',
      rejectUnauthorized: true,
      timeoutMs: 1000,
      startTls: false,
    });
    const adapters = {
      demo: new DemoDirectory({} as never, 'employees'),
      ldap,
      cognito: new CognitoDirectory('us-east-1_AbCdEf123', new CognitoIdentityProviderClient({ region: 'us-east-1' })),
    };
    for (const kind of DIRECTORY_KINDS) expect([kind, adapters[kind].canUnlock]).toEqual([kind, CAN_UNLOCK[kind]]);
    expect(CAN_UNLOCK).toEqual({ demo: true, ldap: true, cognito: false });
    expect(directoryKind({})).toBe('demo');
    expect(() => directoryKind({ DIRECTORY: 'nis' })).toThrow(ConfigurationError);
  });
});

describe('the start input: action and channelPreference', () => {
  const now = new Date('2026-11-25T20:42:05.123Z');
  const input = { contactId: 'c-1', employeeId: '1234567', callerNumber: '+15555550100', locale: 'en-US' };
  const PEPPER = 'a-test-pepper-of-at-least-32-characters';
  const prepare = (extra: Record<string, unknown>) => prepareReset({ ...input, ...extra }, now, DEFAULT_POLICY, PEPPER);

  it('action: absent is RESET (as before unlock existed); RESET and UNLOCK are kept', () => {
    expect(prepare({})).toMatchObject({ valid: true, action: 'RESET' });
    expect(prepare({ action: 'RESET' })).toMatchObject({ valid: true, action: 'RESET' });
    expect(prepare({ action: 'UNLOCK' })).toMatchObject({ valid: true, action: 'UNLOCK' });
  });

  it.each([['unlock'], ['DELETE'], [''], [1], [null], [{ action: 'UNLOCK' }]])(
    'action %j is invalid input, like a bad ID (never taken for a reset the caller did not ask for)',
    (action) => {
      const p = prepare({ action });
      expect(p.valid).toBe(false);
      expect(p.employeeId).toBe('-');
      expect(p.action).toBe('RESET');
    },
  );

  it('channelPreference: SMS or EMAIL goes into the code request; anything else is no preference (the default channel), as the consumer reads it', () => {
    expect(prepare({ channelPreference: 'SMS' })).toMatchObject({ valid: true, codeRequest: { channelPreference: 'SMS' } });
    expect(prepare({ channelPreference: 'EMAIL' })).toMatchObject({ valid: true, codeRequest: { channelPreference: 'EMAIL' } });
    for (const other of [undefined, 'sms', 'FAX', 7, null])
      expect(prepare({ channelPreference: other })).toMatchObject({ valid: true, codeRequest: {} });
  });
});

describe('AccountUnlocked and its notice', () => {
  const detail = sampleEventBase();

  it('is a versioned detail type with a closed schema: the event base, nothing secret can be added', () => {
    expect(DETAIL_TYPES).toContain('AccountUnlocked');
    expect(DETAIL_SCHEMAS.AccountUnlocked).toMatchObject({ title: 'AccountUnlocked v1', additionalProperties: false });
    expect(detailProblems('AccountUnlocked', detail)).toEqual([]);
    expect(detailProblems('AccountUnlocked', { ...detail, password: 'Kq7mPx3vRt9w' })).not.toEqual([]);
    expect(detailProblems('AccountUnlocked', { ...detail, callerNumberMasked: '+15555550100' })).not.toEqual([]);
  });

  it('reaches the employee notice (security-notice) and the metrics, and no other consumer needs it', () => {
    const consumers = RULES.filter((r) => JSON.stringify(r.eventPattern).includes('AccountUnlocked')).map((r) => r.name);
    expect(consumers).toEqual(['password-reset-notice']);
    expect(RULES.find((r) => r.name === 'event-metrics')!.eventPattern).toEqual({ source: [{ prefix: 'support-desk.' }] });
    expect(functionByName('security-notice').access?.emailTemplates).toEqual(
      expect.arrayContaining(Object.values(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES).map((t) => t.name)),
    );
  });

  it('the notice: when, the number ending, whom to call, escaped, and that the password is unchanged, in both locales', () => {
    const data = accountUnlockedNotice({
      name: 'Alex <b>Rivera</b>',
      at: '2026-11-25T20:42:05.123Z',
      callerNumberMasked: '+*******0100',
      locale: 'es-US',
      securityPhone: '+18005550100',
    });
    expect(data).toEqual({
      name: 'Alex',
      time: resetNoticeTime('2026-11-25T20:42:05.123Z', 'es-US'),
      numberEnding: '00',
      securityPhone: '+18005550100',
    });
    expect(data.time).toMatch(/^25 de noviembre de 2026/);
    expect(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES['en-US']).toMatchObject({ subject: 'Your account was unlocked by phone' });
    expect(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES['en-US'].text).toContain('Your password has not changed');
    expect(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES['en-US'].text).toContain(
      'If this was not you, call the security team now at {{securityPhone}}',
    );
    expect(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES['es-US'].text).toContain('Su contraseña no ha cambiado');
    expect(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES['es-US'].text).toContain(
      'Si no fue usted, llame ahora al equipo de seguridad al {{securityPhone}}',
    );
    for (const template of Object.values(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES))
      for (const part of [template.subject, template.html, template.text])
        expect([...part.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).every((key) => key! in data)).toBe(true);
  });

  it('unlock-account is catalogued as a directory writer for the unlock only, irreversible within its own budget', () => {
    expect(functionByName('unlock-account')).toMatchObject({
      entry: 'lambdas/handlers/unlock-account.ts',
      access: { directory: 'unlock' },
      irreversible: 'accountUnlockMs',
      reservedConcurrencySetting: 'directoryWriterReservedConcurrency',
    });
    // Nothing but the directory: no pepper, no tables of the desk, no e-mail, no events.
    expect(Object.keys(functionByName('unlock-account').access!)).toEqual(['directory']);
    expect(FUNCTIONS.filter((f) => f.access?.directory).map((f) => [f.name, f.access!.directory])).toEqual([
      ['set-temporary-password', 'setPassword'],
      ['unlock-account', 'unlock'],
    ]);
  });
});
