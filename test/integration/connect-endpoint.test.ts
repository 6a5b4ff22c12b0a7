/**
 * The twin's Amazon Connect endpoint against @aws-sdk/client-connect, and the agent API running as the
 * AWS Lambda behind it:
 * - DescribeContact of a contact waiting in the queue (no AgentInfo), accepted by an agent (AgentInfo.Id is that
 *   agent's Connect user, ConnectedToAgentTimestamp a Date), after the agent left (AfterContactWorkStartTimestamp)
 *   and once the caller is gone (DisconnectTimestamp); what the Lambda's connectedUserIdOf makes of each;
 * - GetContactAttributes / UpdateContactAttributes round trip, keys and size checked as the API reference says;
 * - SearchUsers: an exact username is one user with a stable ID; an unmodelled criterion is refused;
 * - an unknown contact, another instance, any other operation: refused with the error type in `x-amzn-errortype`;
 * - the twin's agent routes invoke the `agent-api` function with an API Gateway REST proxy event (the agent as an
 *   assumed-role session ARN) and answer what it answers.
 */
import { randomUUID } from 'node:crypto';
import {
  ConnectClient,
  DescribeContactCommand,
  GetContactAttributesCommand,
  SearchUsersCommand,
  UpdateContactAttributesCommand,
  type UserSearchCriteria,
} from '@aws-sdk/client-connect';
import { connectedUserIdOf } from '../../lambdas/aws/connect-contacts';
import { REFUSALS } from '../../lambdas/domain/agent-desk';
import { AGENT_API_FUNCTION, twinAgentArn } from '../../local/connect/agent-desk';
import { INSTANCE_ID } from '../../local/connect/call-center';
import { twinFunctionEnvironment } from '../../local/twin';
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import { Phone } from '../../local/softphone/phone';
import { localClient, retainedRecords, startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let connect: ConnectClient;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  twin = await startTestTwin();
  connect = new ConnectClient({ ...localClient(twin.endpoints.connect), maxAttempts: 1 });
});
afterAll(async () => {
  connect.destroy();
  await twin.cleanup();
});

let callerSeq = 0;
const caller = () => `+1555666${String(++callerSeq).padStart(4, '0')}`;

/** A caller who asks for an agent at once: transferred, waiting in the queue. */
async function waitingCaller(): Promise<{ phone: Phone; from: string }> {
  const phone = new Phone(twin.url);
  const from = caller();
  await phone.dial(from, 'en-US');
  expect(await phone.key('0')).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'WAITING' });
  return { phone, from };
}

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${twin.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const describe_ = async (contactId: string) =>
  (await connect.send(new DescribeContactCommand({ InstanceId: INSTANCE_ID, ContactId: contactId }))).Contact!;
const userIdOf = async (username: string) =>
  (
    await connect.send(
      new SearchUsersCommand({
        InstanceId: INSTANCE_ID,
        MaxResults: 2,
        SearchCriteria: { StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' } },
      }),
    )
  ).Users;
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => 'not refused',
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => [error.name, error.$metadata?.httpStatusCode],
  );

it('gives the functions with Connect access the instance, and every function the endpoint', () => {
  for (const fn of FUNCTIONS) {
    const env = twinFunctionEnvironment(fn, twin.endpoints);
    expect(env.AWS_ENDPOINT_URL_CONNECT).toBe(twin.endpoints.connect);
    // As CDK sets it: on the functions that read contacts only.
    expect(env.CONNECT_INSTANCE_ID).toBe(fn.access?.connectContacts ? INSTANCE_ID : undefined);
  }
  expect(FUNCTIONS.filter((fn) => fn.access?.connectContacts).length).toBeGreaterThan(0);
  expect(INSTANCE_ID).toMatch(/^[0-9a-f-]{36}$/);
});

it('DescribeContact: waiting (no agent), accepted (AgentInfo of the user), the agent gone (after contact work), the caller gone', async () => {
  const { phone, from } = await waitingCaller();
  const waiting = await describe_(phone.contactId);
  expect(waiting).toMatchObject({
    Id: phone.contactId,
    InitialContactId: phone.contactId,
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: from },
    QueueInfo: { Id: 'PasswordReset' },
  });
  expect(waiting.Arn).toContain(`/contact/${phone.contactId}`);
  expect(waiting.InitiationTimestamp).toBeInstanceOf(Date);
  expect(waiting.QueueInfo!.EnqueueTimestamp).toBeInstanceOf(Date);
  expect(waiting.AgentInfo).toBeUndefined();
  expect(waiting.DisconnectTimestamp).toBeUndefined();
  expect(connectedUserIdOf(waiting)).toBeUndefined();

  expect(await post(`/api/agent/contacts/${phone.contactId}/accept`, { agentId: 'agent-7' })).toMatchObject({ status: 200 });
  const [user] = (await userIdOf('agent-7'))!;
  const accepted = await describe_(phone.contactId);
  expect(accepted.AgentInfo!.Id).toBe(user!.Id);
  expect(accepted.AgentInfo!.ConnectedToAgentTimestamp).toBeInstanceOf(Date);
  expect(accepted.AgentInfo!.AfterContactWorkStartTimestamp).toBeUndefined();
  expect(accepted.DisconnectTimestamp).toBeUndefined();
  expect(connectedUserIdOf(accepted)).toBe(user!.Id);

  expect(await post(`/api/agent/contacts/${phone.contactId}/end`, { agentId: 'agent-7' })).toMatchObject({ status: 200 });
  const agentGone = await describe_(phone.contactId);
  expect(agentGone.AgentInfo).toMatchObject({ Id: user!.Id });
  expect(agentGone.AgentInfo!.AfterContactWorkStartTimestamp).toBeInstanceOf(Date);
  expect(connectedUserIdOf(agentGone)).toBeUndefined();

  // The caller, in the disconnect flow, hangs up: the contact is disconnected.
  await phone.listen();
  await phone.hangUp();
  const over = await describe_(phone.contactId);
  expect(over.DisconnectTimestamp).toBeInstanceOf(Date);
  expect(over.DisconnectTimestamp!.getTime()).toBeGreaterThanOrEqual(over.InitiationTimestamp!.getTime() - 1000);
});

it('a caller who hangs up while connected ends the contact for the agent too', async () => {
  const { phone } = await waitingCaller();
  await post(`/api/agent/contacts/${phone.contactId}/accept`, { agentId: 'agent-8' });
  await phone.hangUp();
  const over = await describe_(phone.contactId);
  expect(over.DisconnectTimestamp).toBeInstanceOf(Date);
  expect(over.AgentInfo!.AfterContactWorkStartTimestamp).toBeInstanceOf(Date);
  expect(connectedUserIdOf(over)).toBeUndefined();
});

it('GetContactAttributes and UpdateContactAttributes: a round trip; keys and size as the API reference allows', async () => {
  const { phone } = await waitingCaller();
  const before = (await connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE_ID, InitialContactId: phone.contactId })))
    .Attributes!;
  expect(before).toMatchObject({ agentTransferReason: 'AGENT_REQUESTED' });
  await connect.send(
    new UpdateContactAttributesCommand({
      InstanceId: INSTANCE_ID,
      InitialContactId: phone.contactId,
      Attributes: { deskNote: 'seen', 'x-1_y': '' },
    }),
  );
  const after = (await connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE_ID, InitialContactId: phone.contactId })))
    .Attributes!;
  expect(after).toEqual({ ...before, deskNote: 'seen', 'x-1_y': '' });

  const update = (Attributes: Record<string, string>) =>
    refusal(connect.send(new UpdateContactAttributesCommand({ InstanceId: INSTANCE_ID, InitialContactId: phone.contactId, Attributes })));
  expect(await update({ 'a b': 'x' })).toEqual(['InvalidParameterException', 400]);
  expect(await update({ 'a.b': 'x' })).toEqual(['InvalidParameterException', 400]);
  expect(await update({ big: 'x'.repeat(32_768) })).toEqual(['InvalidParameterException', 400]);
  await phone.hangUp();
});

it('SearchUsers: an exact username is one user, the same every time; nothing else is modelled', async () => {
  const first = await userIdOf('agent-7');
  expect(first).toEqual([{ Id: expect.stringMatching(UUID), Arn: expect.stringContaining('/agent/'), Username: 'agent-7' }]);
  expect(await userIdOf('agent-7')).toEqual(first);
  expect((await userIdOf('agent-8'))![0]!.Id).not.toBe(first![0]!.Id);
  expect(await userIdOf('agent 7')).toEqual([]);

  const search = (SearchCriteria: UserSearchCriteria, extra: Record<string, unknown> = {}) =>
    refusal(connect.send(new SearchUsersCommand({ InstanceId: INSTANCE_ID, SearchCriteria, ...extra })));
  const unmodelled = [
    { StringCondition: { FieldName: 'Username', Value: 'agent', ComparisonType: 'CONTAINS' } },
    { StringCondition: { FieldName: 'FirstName', Value: 'agent-7', ComparisonType: 'EXACT' } },
    { OrConditions: [{ StringCondition: { FieldName: 'Username', Value: 'agent-7', ComparisonType: 'EXACT' } }] },
    {},
  ] as UserSearchCriteria[];
  for (const criteria of unmodelled) expect([criteria, await search(criteria)]).toEqual([criteria, ['InvalidParameterException', 400]]);
  const exact: UserSearchCriteria = { StringCondition: { FieldName: 'Username', Value: 'agent-7', ComparisonType: 'EXACT' } };
  expect(await search(exact, { MaxResults: 0 })).toEqual(['InvalidParameterException', 400]);
  expect(await search(exact, { MaxResults: 101 })).toEqual(['InvalidParameterException', 400]);
  expect(await search(exact, { NextToken: 'more' })).toEqual(['InvalidParameterException', 400]);
  const res = await fetch(`${twin.endpoints.connect}/search-users`, {
    method: 'POST',
    body: JSON.stringify({ InstanceId: INSTANCE_ID, SearchCriteria: { OrConditions: [] } }),
  });
  expect([res.status, res.headers.get('x-amzn-errortype')]).toEqual([400, 'InvalidParameterException']);
  expect(((await res.json()) as { Message: string }).Message).toContain('The twin models only');
});

it('refuses an unknown contact, another instance, a bad ID and any other operation', async () => {
  expect(await refusal(describe_(randomUUID()))).toEqual(['ResourceNotFoundException', 404]);
  expect(await refusal(connect.send(new GetContactAttributesCommand({ InstanceId: INSTANCE_ID, InitialContactId: randomUUID() })))).toEqual(
    ['ResourceNotFoundException', 404],
  );
  const { phone } = await waitingCaller();
  const other = randomUUID();
  expect(await refusal(connect.send(new DescribeContactCommand({ InstanceId: other, ContactId: phone.contactId })))).toEqual([
    'ResourceNotFoundException',
    404,
  ]);
  expect(
    await refusal(
      connect.send(
        new SearchUsersCommand({
          InstanceId: other,
          SearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'a', ComparisonType: 'EXACT' } },
        }),
      ),
    ),
  ).toEqual(['ResourceNotFoundException', 404]);
  expect(await refusal(describe_('x'.repeat(257)))).toEqual(['InvalidParameterException', 400]);
  const res = await fetch(`${twin.endpoints.connect}/users/${INSTANCE_ID}/${randomUUID()}`);
  expect([res.status, res.headers.get('x-amzn-errortype')]).toEqual([404, 'UnknownOperationException']);
  await phone.hangUp();
});

it("the twin's agent routes run the agent-api Lambda with API Gateway's proxy event, as the agent's role session", async () => {
  const { phone } = await waitingCaller();
  await post(`/api/agent/contacts/${phone.contactId}/accept`, { agentId: 'agent-7' });
  const invoke = jest.spyOn(twin.lambdas, 'invoke');
  try {
    const context = await fetch(`${twin.url}/api/agent/contacts/${phone.contactId}?agentId=agent-7`);
    expect(context.status).toBe(200);
    expect(context.headers.get('cache-control')).toBe('no-store');
    expect(await context.json()).toEqual({
      contactId: phone.contactId,
      context: expect.objectContaining({ transferReason: 'AGENT_REQUESTED' }),
    });
    // Another agent, or none: the Lambda's 403; a bad agent identity: the twin's 400 (nothing invoked).
    const other = await fetch(`${twin.url}/api/agent/contacts/${phone.contactId}?agentId=agent-8`);
    expect([other.status, await other.json()]).toEqual([403, { message: REFUSALS.noActiveContact }]);
    const calls = invoke.mock.calls.length;
    const bad = await fetch(`${twin.url}/api/agent/contacts/${phone.contactId}`);
    expect([bad.status, await bad.json()]).toEqual([400, { error: REFUSALS.badAgentId }]);
    expect(invoke.mock.calls.length).toBe(calls);
    // No confirmed ID on this call: the Lambda's own 403 for the verification.
    expect(await post(`/api/agent/contacts/${phone.contactId}/verification`, { agentId: 'agent-7', note: 'kept' })).toEqual({
      status: 403,
      body: { message: REFUSALS.noConfirmedId },
    });

    const [name, getEvent] = invoke.mock.calls[0]! as [string, any];
    expect(name).toBe(AGENT_API_FUNCTION);
    expect(getEvent).toMatchObject({
      resource: '/contacts/{contactId}',
      path: `/contacts/${phone.contactId}`,
      httpMethod: 'GET',
      pathParameters: { contactId: phone.contactId },
      queryStringParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        httpMethod: 'GET',
        resourcePath: '/contacts/{contactId}',
        stage: 'v1',
        identity: { userArn: 'arn:aws:sts::000000000000:assumed-role/SupportDeskAgent/agent-7' },
      },
    });
    expect(getEvent.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [, postEvent] = invoke.mock.calls.at(-1)! as [string, any];
    expect(postEvent).toMatchObject({
      resource: '/contacts/{contactId}/verification',
      httpMethod: 'POST',
      headers: expect.objectContaining({ 'content-type': 'application/json' }),
      isBase64Encoded: false,
      requestContext: { identity: { userArn: twinAgentArn('agent-7') } },
    });
    // The body as a string, without the twin's agentId (the identity is the principal, not the body).
    expect(JSON.parse(postEvent.body)).toEqual({ note: 'kept' });
  } finally {
    invoke.mockRestore();
  }
  // A contact ID that is not a Connect contact ID: the Lambda's own refusal, in its words.
  expect(await post('/api/agent/contacts/not-a-contact/verification', { agentId: 'agent-7' })).toEqual({
    status: 400,
    body: { message: '"contactId" must be an Amazon Connect contact ID (a UUID)' },
  });
  // The function's own log line, as CloudWatch Logs would keep it: the route, the ARN it ran for.
  const lines = (await retainedRecords(twin, 'lambdaLogs')).filter((r) => r.functionName === AGENT_API_FUNCTION);
  expect(lines.map((r) => r.message)).toContainEqual(
    expect.objectContaining({ message: 'agent api', route: 'context', contactId: phone.contactId, agentId: twinAgentArn('agent-7') }),
  );
  await phone.hangUp();
});
