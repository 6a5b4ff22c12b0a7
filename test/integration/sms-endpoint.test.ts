/**
 * The twin's End User Messaging SMS endpoint against @aws-sdk/client-pinpoint-sms-voice-v2: a text is
 * kept in the SMS store and listed by `GET /api/sms?to=`, newest first; a caller's mistakes get the
 * ValidationException AWS sends (Reason, Fields); an origination identity or configuration set the account
 * does not have is ResourceNotFoundException; any other operation is refused; the texts survive a
 * restart on the same data folder; and the leak scan treats the SMS store as it treats the mail store
 * (a code may be there, a password may not).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribePhoneNumbersCommand,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { RETAINED_FILES } from '../../local/retention/data-folder';
import { scanForSecrets } from '../../local/retention/leak-scan';
import { handlerEnvironment, TWIN_SMS_ACCOUNT } from '../../local/twin';
import { localClient, retainedRecords, startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-sms-'));
let twin: TestTwin;
let sms: PinpointSMSVoiceV2Client;

const ALEX = '+15555550101';
const SAM = '+15555550102';
const ORIGIN = TWIN_SMS_ACCOUNT.phoneNumbers[0]!.number;

const connect = (t: TestTwin) => new PinpointSMSVoiceV2Client({ ...localClient(t.endpoints.sms), maxAttempts: 1 });
const send = (input: Partial<SendTextMessageCommandInput>) =>
  sms.send(
    new SendTextMessageCommand({ MessageType: 'TRANSACTIONAL', OriginationIdentity: ORIGIN, ...input } as SendTextMessageCommandInput),
  );
const inbox = async (query = '') => {
  const res = await fetch(`${twin.url}/api/sms${query}`);
  return { status: res.status, body: (await res.json()) as { messages?: Array<Record<string, unknown>>; error?: string } };
};

beforeAll(async () => {
  twin = await startTestTwin({ dataDir });
  sms = connect(twin);
});
afterAll(async () => {
  sms.destroy();
  await twin.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps a text in the SMS store and lists it by GET /api/sms?to=, newest first', async () => {
  const first = await send({ DestinationPhoneNumber: ALEX, MessageBody: 'first text', ConfigurationSetName: 'support-desk-local' });
  const other = await send({ DestinationPhoneNumber: SAM, MessageBody: 'for Sam' });
  const second = await send({ DestinationPhoneNumber: ALEX, MessageBody: 'second text', MessageType: 'PROMOTIONAL' });
  for (const out of [first, other, second]) expect(out.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

  const { status, body } = await inbox(`?to=${encodeURIComponent(ALEX)}`);
  expect(status).toBe(200);
  expect(body.messages).toEqual([
    { to: ALEX, from: ORIGIN, body: 'second text', at: expect.any(String), messageId: second.MessageId },
    { to: ALEX, from: ORIGIN, body: 'first text', at: expect.any(String), messageId: first.MessageId },
  ]);
  // A + sent unencoded arrives as a space: still that number.
  expect((await inbox(`?to=${ALEX}`)).body.messages).toHaveLength(2);
  expect((await inbox()).body.messages!.map((m) => m.messageId)).toEqual([second.MessageId, other.MessageId, first.MessageId]);
  for (const bad of ['5555550101', '%2B0555550101', 'alex%40example.com', '%2B1234567890123456']) {
    const answer = await inbox(`?to=${bad}`);
    expect({ bad, status: answer.status }).toEqual({ bad, status: 400 });
    expect(answer.body.error).toContain('E.164');
  }

  // The store, oldest first (newest last), and its file in the data folder: private, one JSON line a text.
  expect(twin.sms.texts({ to: ALEX }).map((t) => t.body)).toEqual(['first text', 'second text']);
  const lines = await retainedRecords(twin, 'sms');
  expect(lines[0]).toEqual({
    messageId: first.MessageId,
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    destination: ALEX,
    originationIdentity: ORIGIN,
    configurationSet: 'support-desk-local',
    messageType: 'TRANSACTIONAL',
    body: 'first text',
  });
  expect(statSync(twin.data.path(RETAINED_FILES.sms)).mode & 0o777).toBe(0o600);
});

it('is where the handlers send: AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2, read by a client given no endpoint', async () => {
  expect(handlerEnvironment(twin.endpoints).AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2).toBe(twin.endpoints.sms);
  // What a handler's client does: no endpoint in code, the environment the twin gives its functions.
  const saved = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
  process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = handlerEnvironment(twin.endpoints).AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
  const plain = new PinpointSMSVoiceV2Client({ region: 'us-east-1', credentials: localClient('').credentials, maxAttempts: 1 });
  try {
    const out = await plain.send(new SendTextMessageCommand({ DestinationPhoneNumber: SAM, MessageBody: 'from a handler' }));
    expect(twin.sms.texts({ to: SAM }).at(-1)).toMatchObject({ messageId: out.MessageId, body: 'from a handler' });
  } finally {
    plain.destroy();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
    else process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = saved;
  }
  const health = (await (await fetch(`${twin.url}/api/health`)).json()) as { endpoints: Record<string, string> };
  expect(health.endpoints.sms).toBe(twin.endpoints.sms);
});

describe('the account’s origination identities and configuration sets', () => {
  const notFound = async (input: Partial<SendTextMessageCommandInput>) => {
    const before = twin.sms.texts().length;
    const error = (await send({ DestinationPhoneNumber: ALEX, MessageBody: 'x', ...input }).then(
      () => undefined,
      (e: unknown) => e,
    )) as ResourceNotFoundException;
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(twin.sms.texts()).toHaveLength(before);
    return { ResourceType: error.ResourceType, ResourceId: error.ResourceId };
  };

  it('sends from the twin’s phone number by its ID, ARN or number, with its configuration set by name or ARN', async () => {
    const { id, number } = TWIN_SMS_ACCOUNT.phoneNumbers[0]!;
    const set = TWIN_SMS_ACCOUNT.configurationSets[0]!;
    for (const OriginationIdentity of [id, number, `arn:aws:sms-voice:us-east-1:000000000000:phone-number/${id}`])
      await expect(send({ DestinationPhoneNumber: ALEX, MessageBody: 'x', OriginationIdentity })).resolves.toHaveProperty('MessageId');
    for (const ConfigurationSetName of [set, `arn:aws:sms-voice:us-east-1:000000000000:configuration-set/${set}`])
      await expect(send({ DestinationPhoneNumber: ALEX, MessageBody: 'x', ConfigurationSetName })).resolves.toHaveProperty('MessageId');
  });

  it('refuses an identity or configuration set the account does not have: ResourceNotFoundException, even on a dry run', async () => {
    await expect(notFound({ OriginationIdentity: 'phone-ffffffffffffffffffffffffffffffff' })).resolves.toEqual({
      ResourceType: 'phone-number',
      ResourceId: 'phone-ffffffffffffffffffffffffffffffff',
    });
    await expect(notFound({ OriginationIdentity: '+18005550100' })).resolves.toMatchObject({ ResourceType: 'phone-number' });
    await expect(notFound({ OriginationIdentity: 'pool-ffffffffffffffffffffffffffffffff' })).resolves.toMatchObject({
      ResourceType: 'pool',
    });
    await expect(notFound({ OriginationIdentity: 'SUPPORT' })).resolves.toMatchObject({ ResourceType: 'sender-id' });
    await expect(notFound({ ConfigurationSetName: 'support-desk-prod', DryRun: true })).resolves.toEqual({
      ResourceType: 'configuration-set',
      ResourceId: 'support-desk-prod',
    });
  });
});

describe('validation, as End User Messaging SMS answers it', () => {
  const refused = async (input: Partial<SendTextMessageCommandInput>) => {
    const before = twin.sms.texts().length;
    const error = await send(input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(twin.sms.texts()).toHaveLength(before);
    const { Reason, Fields, message, $metadata } = error as ValidationException;
    expect($metadata.httpStatusCode).toBe(400);
    return { Reason, Fields: Fields?.map((f) => f.Name), message };
  };

  it('refuses a request that breaks the API reference constraints: FIELD_VALIDATION_FAILED, with the fields', async () => {
    await expect(refused({ DestinationPhoneNumber: undefined, MessageBody: 'x' })).resolves.toEqual({
      Reason: 'FIELD_VALIDATION_FAILED',
      Fields: ['DestinationPhoneNumber'],
      message: "1 validation error detected: Value null at 'destinationPhoneNumber' failed to satisfy constraint: Member must not be null",
    });
    await expect(refused({ DestinationPhoneNumber: 'alex', MessageBody: 'x' })).resolves.toMatchObject({
      Reason: 'FIELD_VALIDATION_FAILED',
      Fields: ['DestinationPhoneNumber'],
      message: expect.stringContaining('regular expression pattern'),
    });
    await expect(refused({ DestinationPhoneNumber: ALEX, MessageBody: 'x'.repeat(1601) })).resolves.toMatchObject({
      Fields: ['MessageBody'],
      message: expect.stringContaining('length less than or equal to 1600'),
    });
    await expect(refused({ DestinationPhoneNumber: ALEX, MessageBody: '' })).resolves.toMatchObject({ Fields: ['MessageBody'] });
    await expect(refused({ DestinationPhoneNumber: ALEX, MessageBody: ' \n ' })).resolves.toMatchObject({ Fields: ['MessageBody'] });
    await expect(
      refused({ DestinationPhoneNumber: ALEX, MessageBody: 'x', MessageType: 'URGENT' as 'PROMOTIONAL' }),
    ).resolves.toMatchObject({
      Fields: ['MessageType'],
      message: expect.stringContaining('[TRANSACTIONAL, PROMOTIONAL]'),
    });
    await expect(refused({ DestinationPhoneNumber: ALEX, MessageBody: 'x', OriginationIdentity: '' })).resolves.toMatchObject({
      Fields: ['OriginationIdentity'],
    });
    await expect(refused({ DestinationPhoneNumber: ALEX, MessageBody: 'x', OriginationIdentity: 'p'.repeat(257) })).resolves.toMatchObject({
      Fields: ['OriginationIdentity'],
    });
    await expect(refused({ DestinationPhoneNumber: ALEX, MessageBody: 'x', ConfigurationSetName: 'has space' })).resolves.toMatchObject({
      Fields: ['ConfigurationSetName'],
    });
    // Every violation at once, as one exception.
    await expect(refused({ DestinationPhoneNumber: '', MessageBody: 'x'.repeat(1601), TimeToLive: 1 })).resolves.toMatchObject({
      Reason: 'FIELD_VALIDATION_FAILED',
      Fields: ['DestinationPhoneNumber', 'MessageBody', 'TimeToLive'],
      message: expect.stringMatching(/^3 validation errors detected: /),
    });
  });

  it('accepts the limits themselves: a 1600-character body, a 256-character origination identity (then looked up)', async () => {
    await expect(send({ DestinationPhoneNumber: SAM, MessageBody: 'é'.repeat(1600) })).resolves.toHaveProperty('MessageId');
    // Valid, so the next check is the account's: no such identity.
    await expect(send({ DestinationPhoneNumber: SAM, MessageBody: 'x', OriginationIdentity: 'p'.repeat(256) })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('wants E.164 and a body (the twin is stricter than the pattern): INVALID_PARAMETER, MISSING_PARAMETER', async () => {
    for (const number of ['15555550101', '+1234567890123456']) {
      await expect(refused({ DestinationPhoneNumber: number, MessageBody: 'x' })).resolves.toMatchObject({
        Reason: 'INVALID_PARAMETER',
        Fields: ['DestinationPhoneNumber'],
      });
    }
    await expect(refused({ DestinationPhoneNumber: ALEX })).resolves.toMatchObject({
      Reason: 'MISSING_PARAMETER',
      Fields: ['MessageBody'],
    });
  });

  it('never echoes the body or the number in the error', async () => {
    const { message } = await refused({ DestinationPhoneNumber: 'x12345', MessageBody: `code 424242 ${'x'.repeat(1600)}` });
    expect(message).not.toContain('424242');
    expect(message).not.toContain('x12345');
  });

  it('checks a DryRun and keeps nothing', async () => {
    const before = twin.sms.texts().length;
    await expect(send({ DestinationPhoneNumber: ALEX, MessageBody: 'dry', DryRun: true })).resolves.toHaveProperty('MessageId');
    expect(twin.sms.texts()).toHaveLength(before);
    await expect(refused({ DestinationPhoneNumber: 'alex', MessageBody: 'dry', DryRun: true })).resolves.toMatchObject({
      Fields: ['DestinationPhoneNumber'],
    });
  });
});

it('refuses every other operation: UnknownOperationException', async () => {
  await expect(sms.send(new DescribePhoneNumbersCommand({}))).rejects.toMatchObject({
    name: 'UnknownOperationException',
    $metadata: { httpStatusCode: 400 },
  });
});

it('keeps the texts across a restart on the same data folder', async () => {
  const before = (await inbox()).body.messages!;
  expect(before.length).toBeGreaterThanOrEqual(4);
  sms.destroy();
  await twin.cleanup();
  twin = await startTestTwin({ dataDir });
  sms = connect(twin);
  expect((await inbox()).body.messages).toEqual(before);
  const after = await send({ DestinationPhoneNumber: ALEX, MessageBody: 'after the restart' });
  expect((await inbox(`?to=${encodeURIComponent(ALEX)}`)).body.messages![0]).toMatchObject({
    messageId: after.MessageId,
    body: 'after the restart',
  });
  // Flushed first: the store's writes are buffered, so reading the file at once could miss the last one.
  expect(await retainedRecords(twin, 'sms')).toHaveLength(before.length + 1);
});

it('the leak scan lets a code be in the SMS store, as in the mail store, but not a password', async () => {
  const code = '424243';
  const password = 'Kq7mNp3xRt9w';
  await send({ DestinationPhoneNumber: ALEX, MessageBody: `Your Support Desk verification code is ${code}.` });
  const ses = new SESv2Client(localClient(twin.endpoints.ses));
  const email = (text: string) =>
    ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@support-desk.example.com',
        Destination: { ToAddresses: ['alex.rivera@example.com'] },
        Content: { Simple: { Subject: { Data: 'Support Desk' }, Body: { Text: { Data: text } } } },
      }),
    );
  try {
    await email(`Your Support Desk verification code is ${code}.`);
    await twin.data.flush();
    const scan = () => scanForSecrets({ dataDir: twin.data.root, secrets: [code, password] });
    expect(await scan()).toEqual([]);

    await send({ DestinationPhoneNumber: ALEX, MessageBody: `Your temporary password is ${password}` });
    await twin.data.flush();
    expect(await scan()).toEqual([{ secret: password, where: RETAINED_FILES.sms }]);

    await email(`Your temporary password is ${password}`);
    await twin.data.flush();
    expect(await scan()).toEqual(
      expect.arrayContaining([
        { secret: password, where: RETAINED_FILES.mail },
        { secret: password, where: RETAINED_FILES.sms },
      ]),
    );
    expect((await scan()).filter((hit) => hit.secret === code)).toEqual([]);
  } finally {
    ses.destroy();
  }
});
