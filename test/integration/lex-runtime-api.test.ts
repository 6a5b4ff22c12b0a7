/**
 * The twin's Lex V2 runtime API, through the AWS SDK's own client (`@aws-sdk/client-lex-runtime-v2`):
 * RecognizeText and DeleteSession as AWS documents them, and AWS's errors for what does not exist.
 */
import { DeleteSessionCommand, LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import { botId } from '../../local/lex/lex-runtime';
import { TWIN_BOT_ALIAS_ID } from '../../local/lex/lex-runtime-endpoint';
import { localClient, startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let lex: LexRuntimeV2Client;

beforeAll(async () => {
  twin = await startTestTwin();
  lex = new LexRuntimeV2Client({ ...localClient(twin.endpoints.lexruntime), maxAttempts: 1 });
});
afterAll(async () => {
  lex.destroy();
  await twin.cleanup();
});

const menu = { botId: botId('help-desk-menu'), botAliasId: TWIN_BOT_ALIAS_ID, localeId: 'en_US' };

it('RecognizeText answers as Lex does: the intent, its state, the interpretations', async () => {
  const out = await lex.send(new RecognizeTextCommand({ ...menu, sessionId: 'api-1', text: 'reset my password' }));
  expect(out.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { name: 'PasswordReset', state: 'Fulfilled' } });
  expect(out.interpretations?.[0]).toMatchObject({ intent: { name: 'PasswordReset' } });
  expect(out.sessionId).toBe('api-1');
});

it('a conversation with the authentication bot reaches the code prompt; DeleteSession ends it', async () => {
  const auth = { botId: botId('employee-authentication-bot'), botAliasId: TWIN_BOT_ALIAS_ID, localeId: 'en_US', sessionId: 'api-2' };
  const readBack = await lex.send(
    new RecognizeTextCommand({ ...auth, text: '2345678', sessionState: { sessionAttributes: { callerNumber: '+15555550111' } } }),
  );
  expect(readBack.sessionState?.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'EmployeeIdConfirmed' });
  const channel = await lex.send(new RecognizeTextCommand({ ...auth, text: 'yes' }));
  expect(channel.sessionState?.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'CodeChannel' });
  const sent = await lex.send(new RecognizeTextCommand({ ...auth, text: 'text' }));
  expect(sent.sessionState?.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'VerificationCode' });
  expect(sent.messages?.[0]?.content).toContain('six-digit code');
  await lex.send(new DeleteSessionCommand(auth));
  const fresh = await lex.send(new RecognizeTextCommand({ ...auth, text: 'hello there' }));
  expect(fresh.sessionState?.intent?.name).toBe('FallbackIntent');
});

it('answers ResourceNotFoundException for an unknown bot or alias, ValidationException for bad input', async () => {
  await expect(
    lex.send(new RecognizeTextCommand({ ...menu, botAliasId: 'LIVE000000', sessionId: 'api-3', text: 'hi' })),
  ).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
  await expect(lex.send(new RecognizeTextCommand({ ...menu, botId: 'NOSUCHBOT0', sessionId: 'api-3', text: 'hi' }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
  await expect(lex.send(new RecognizeTextCommand({ ...menu, sessionId: 'api-3', text: 'x'.repeat(1025) }))).rejects.toMatchObject({
    name: 'ValidationException',
  });
});
