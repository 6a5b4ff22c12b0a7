/**
 * The agent API handler on AWS (issue #20) with Amazon Connect and Step Functions mocked
 * (aws-sdk-client-mock: neither has an emulator in unit tests; the twin runs the same handler end to end).
 * Identity: the IAM principal → its role session name → SearchUsers → the Connect user a contact must be
 * connected to. Refusals are 403 with the REFUSALS texts; bad requests 400; failures 503 without a stack;
 * no answer ever holds the code.
 */
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConnectClient,
  DescribeContactCommand,
  GetContactAttributesCommand,
  ResourceNotFoundException,
  SearchUsersCommand,
  UpdateContactAttributesCommand,
  type Contact,
} from '@aws-sdk/client-connect';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DESK_ATTRIBUTES, REFUSALS } from '../../lambdas/domain/agent-desk';

const INSTANCE = '11111111-2222-4333-8444-555555555555';
process.env.CONNECT_INSTANCE_ID = INSTANCE;
process.env.START_WORKFLOW_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:password-reset-start';
process.env.VERIFY_WORKFLOW_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:password-reset-verify';
process.env.WORKFLOW_TIMEOUT_MS = '2000';
process.env.AWS_REGION = 'us-east-1';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'SupportDesk';
const { handler, connectUsernameOf } = require('../../lambdas/handlers/agent-api') as typeof import('../../lambdas/handlers/agent-api');

const connect = mockClient(ConnectClient);
const sfn = mockClient(SFNClient);
const context = { functionName: 'agent-api', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 25_000 } as unknown as Context;

const CONTACT = 'a1b2c3d4-0000-4000-8000-00000000c0de';
const INITIAL = 'a1b2c3d4-0000-4000-8000-000000000001';
const AGENT_ARN = 'arn:aws:sts::123456789012:assumed-role/SupportDeskAgents/jane.doe';
const AGENT_USER = 'user-jane';
const OTHER_USER = 'user-joe';
const CODE = '482913';
const CONTEXT_ATTRIBUTES = {
  agentEmployeeId: '1234567',
  agentVerificationState: 'FAILED_2',
  agentTransferReason: 'AUTH_NOT_COMPLETED',
  agentLocale: 'en-US',
  agentCallerNumberMasked: '+*******0100',
};

type Method = 'GET' | 'POST';
function request(method: Method, resource: string, options: { contactId?: string; body?: string | null; userArn?: string | null } = {}) {
  const contactId = options.contactId ?? CONTACT;
  return {
    httpMethod: method,
    resource,
    path: resource.replace('{contactId}', contactId),
    pathParameters: { contactId },
    body: options.body === undefined ? null : options.body,
    isBase64Encoded: false,
    requestContext: { identity: { userArn: options.userArn === undefined ? AGENT_ARN : options.userArn } },
  } as unknown as APIGatewayProxyEvent;
}
const verification = (options?: Parameters<typeof request>[2]) => request('POST', '/contacts/{contactId}/verification', options);
const checkCode = (code: unknown = CODE, options: Parameters<typeof request>[2] = {}) =>
  request('POST', '/contacts/{contactId}/verification/code', { body: JSON.stringify({ code }), ...options });
const readout = (action: unknown, options: Parameters<typeof request>[2] = {}) =>
  request('POST', '/contacts/{contactId}/readout', { body: JSON.stringify({ action }), ...options });

const answers: APIGatewayProxyResult[] = [];
async function call(event: APIGatewayProxyEvent): Promise<{ status: number; body: any; raw: APIGatewayProxyResult }> {
  const raw = await handler(event, context);
  answers.push(raw);
  return { status: raw.statusCode, body: JSON.parse(raw.body), raw };
}

/** The contact as DescribeContact returns it: connected to `userId`, waiting (undefined), or after the agent left. */
function contact(userId: string | undefined, extra: Partial<Contact> = {}): Contact {
  return {
    Id: CONTACT,
    InitialContactId: INITIAL,
    CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+15555550100' },
    ...(userId && { AgentInfo: { Id: userId, ConnectedToAgentTimestamp: new Date('2026-01-01T10:00:00Z') } }),
    ...extra,
  };
}

let attributes: Record<string, string>;
function world(options: { connectedTo?: string | undefined; contact?: Contact; users?: Array<{ Id: string; Username: string }> } = {}) {
  connect.on(SearchUsersCommand).resolves({ Users: options.users ?? [{ Id: AGENT_USER, Username: 'jane.doe' }] });
  connect
    .on(DescribeContactCommand)
    .resolves({ Contact: options.contact ?? contact('connectedTo' in options ? options.connectedTo : AGENT_USER) });
  connect.on(GetContactAttributesCommand).callsFake(() => ({ Attributes: { ...attributes } }));
  connect.on(UpdateContactAttributesCommand).callsFake((input: { Attributes: Record<string, string> }) => {
    Object.assign(attributes, input.Attributes);
    return {};
  });
}

function workflows(start: unknown = { status: 'CODE_SENT', sessionId: 'session-1' }, verify: unknown = { status: 'VERIFIED' }) {
  sfn.on(StartSyncExecutionCommand, { stateMachineArn: process.env.START_WORKFLOW_ARN }).resolves({
    status: 'SUCCEEDED',
    output: JSON.stringify(start),
  });
  sfn.on(StartSyncExecutionCommand, { stateMachineArn: process.env.VERIFY_WORKFLOW_ARN }).resolves({
    status: 'SUCCEEDED',
    output: JSON.stringify(verify),
  });
}

beforeEach(() => {
  connect.reset();
  sfn.reset();
  attributes = { ...CONTEXT_ATTRIBUTES, agentPromptText: 'not for agents' };
});

afterAll(() => {
  // No answer, of any test, holds the code, and none holds a stack.
  for (const a of answers) {
    expect(a.body).not.toContain(CODE);
    expect(a.body).not.toMatch(/\bat .+\(.*:\d+:\d+\)|stack/i);
  }
});

describe('identity', () => {
  it('maps an assumed-role session to the Connect user with that username (SearchUsers, exact)', async () => {
    world();
    workflows();
    const { status, body, raw } = await call(verification());
    expect([status, body]).toEqual([200, { status: 'CODE_SENT' }]);
    expect(raw.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(connect.commandCalls(SearchUsersCommand)[0]!.args[0].input).toEqual({
      InstanceId: INSTANCE,
      MaxResults: 2,
      SearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'jane.doe', ComparisonType: 'EXACT' } },
    });
    // The start runs for the confirmed ID, as this agent (the principal ARN is the audited identity).
    const input = JSON.parse(sfn.commandCalls(StartSyncExecutionCommand)[0]!.args[0].input.input!);
    expect(input).toMatchObject({
      contactId: CONTACT,
      employeeId: '1234567',
      callerNumber: '+15555550100',
      locale: 'en-US',
      action: 'VERIFY',
      actor: 'agent',
      agentId: AGENT_ARN,
    });
    // The attributes are read and written on the initial contact.
    expect(connect.commandCalls(GetContactAttributesCommand)[0]!.args[0].input).toEqual({
      InstanceId: INSTANCE,
      InitialContactId: INITIAL,
    });
    expect(connect.commandCalls(UpdateContactAttributesCommand)[0]!.args[0].input).toMatchObject({
      InstanceId: INSTANCE,
      InitialContactId: INITIAL,
    });
    expect(attributes[DESK_ATTRIBUTES.sessionId]).toBe('session-1');
  });

  it('reads the Connect username from an assumed role session or an IAM user, nothing else', () => {
    expect(connectUsernameOf('arn:aws:sts::123456789012:assumed-role/Agents/jane.doe@example.com')).toBe('jane.doe@example.com');
    expect(connectUsernameOf('arn:aws:iam::123456789012:user/desk/agent7')).toBe('agent7');
    expect(connectUsernameOf('arn:aws:iam::123456789012:root')).toBeUndefined();
    expect(connectUsernameOf('arn:aws:sts::123456789012:federated-user/jane')).toBeUndefined();
    expect(connectUsernameOf('arn:aws:sts::123456789012:assumed-role/Agents')).toBeUndefined();
  });

  it.each([
    ['a principal with no Connect user', { users: [] }, AGENT_ARN],
    ['a principal whose username only resembles a user', { users: [{ Id: AGENT_USER, Username: 'jane.doe2' }] }, AGENT_ARN],
    ['no principal', {}, null],
    ['a principal that is not a role session or a user', {}, 'arn:aws:iam::123456789012:root'],
  ])('403 for %s, with the one refusal text', async (_name, options, userArn) => {
    world(options);
    workflows();
    const { status, body } = await call(verification({ userArn }));
    expect([status, body]).toEqual([403, { message: REFUSALS.noActiveContact }]);
    expect(sfn.commandCalls(StartSyncExecutionCommand)).toHaveLength(0);
  });
});

describe('the contact must be connected to the calling agent', () => {
  const cases: Array<[string, Parameters<typeof world>[0]]> = [
    ['waiting in the queue', { connectedTo: undefined }],
    ['connected to another agent', { connectedTo: OTHER_USER }],
    ['routed to this agent, not answered', { contact: contact(undefined, { AgentInfo: { Id: AGENT_USER } }) }],
    [
      'left by this agent (after contact work)',
      {
        contact: contact(undefined, {
          AgentInfo: { Id: AGENT_USER, ConnectedToAgentTimestamp: new Date(), AfterContactWorkStartTimestamp: new Date() },
        }),
      },
    ],
    ['ended', { contact: contact(AGENT_USER, { DisconnectTimestamp: new Date() }) }],
  ];
  it.each(cases)('403 when the contact is %s (every route)', async (_name, options) => {
    world(options);
    workflows();
    attributes[DESK_ATTRIBUTES.sessionId] = 'session-1';
    attributes[DESK_ATTRIBUTES.verifiedBy] = AGENT_ARN;
    for (const event of [verification(), checkCode(), readout('RESET'), request('GET', '/contacts/{contactId}')]) {
      const { status, body } = await call(event);
      expect([status, body]).toEqual([403, { message: REFUSALS.noActiveContact }]);
    }
    expect(sfn.commandCalls(StartSyncExecutionCommand)).toHaveLength(0);
  });

  it('403 when Connect has no such contact (ResourceNotFoundException)', async () => {
    world();
    connect.on(DescribeContactCommand).rejects(new ResourceNotFoundException({ message: 'no contact', $metadata: {} }));
    const { status, body } = await call(verification());
    expect([status, body]).toEqual([403, { message: REFUSALS.noActiveContact }]);
  });

  it('GET answers the allow-listed context only, to the connected agent', async () => {
    world();
    const { status, body } = await call(request('GET', '/contacts/{contactId}'));
    expect(status).toBe(200);
    expect(body).toEqual({
      contactId: CONTACT,
      context: {
        employeeId: '1234567',
        verificationState: 'FAILED_2',
        transferReason: 'AUTH_NOT_COMPLETED',
        locale: 'en-US',
        callerNumberMasked: '+*******0100',
      },
    });
  });
});

describe('bad requests: 400 with a reason, before Connect is asked', () => {
  it.each([
    ['a contact ID that is not a UUID', verification({ contactId: '../../users' })],
    ['a body that is not JSON', request('POST', '/contacts/{contactId}/verification', { body: '{code' })],
    ['a JSON body that is not an object', request('POST', '/contacts/{contactId}/verification/code', { body: '["482913"]' })],
    ['a code of 5 digits', checkCode('48291')],
    ['a code as a number', checkCode(482913)],
    ['no code', request('POST', '/contacts/{contactId}/verification/code', { body: '{}' })],
    ['an unknown action', readout('DELETE')],
    ['no action', readout(undefined)],
  ])('%s', async (_name, event) => {
    world();
    const { status, body } = await call(event);
    expect(status).toBe(400);
    expect(typeof body.message).toBe('string');
    expect(body.message).not.toContain('48291');
    expect(connect.commandCalls(DescribeContactCommand)).toHaveLength(0);
  });
});

describe('verification and readout', () => {
  it('checks the code as this agent, and READOUT_READY only after that VERIFIED', async () => {
    world();
    workflows({ status: 'CODE_SENT', sessionId: 'session-1' }, { status: 'INVALID', attemptsLeft: 2 });
    // Before any verification: no readout.
    expect(await call(readout('RESET'))).toMatchObject({ status: 403, body: { message: REFUSALS.notVerified } });
    expect((await call(verification())).body).toEqual({ status: 'CODE_SENT' });
    expect((await call(checkCode())).body).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(await call(readout('RESET'))).toMatchObject({ status: 403, body: { message: REFUSALS.notVerified } });

    sfn.reset();
    workflows(undefined, { status: 'VERIFIED' });
    expect((await call(checkCode())).body).toEqual({ status: 'VERIFIED' });
    expect(attributes[DESK_ATTRIBUTES.verifiedBy]).toBe(AGENT_ARN);
    const verifyInput = JSON.parse(sfn.commandCalls(StartSyncExecutionCommand)[0]!.args[0].input.input!);
    expect(verifyInput).toMatchObject({ sessionId: 'session-1', code: CODE, contactId: CONTACT, actor: 'agent', agentId: AGENT_ARN });
    expect(sfn.commandCalls(StartSyncExecutionCommand)[0]!.args[0].input.name).toBe('agent-verify-req-1');

    expect(await call(readout('UNLOCK'))).toMatchObject({ status: 200, body: { status: 'READOUT_READY', action: 'UNLOCK' } });
    expect(attributes).toMatchObject({ [DESK_ATTRIBUTES.readout]: 'UNLOCK', [DESK_ATTRIBUTES.readoutBy]: AGENT_ARN });
  });

  it("another agent's VERIFIED on the contact does not let this agent ask for a readout", async () => {
    world();
    attributes[DESK_ATTRIBUTES.sessionId] = 'session-1';
    attributes[DESK_ATTRIBUTES.verifiedBy] = 'arn:aws:sts::123456789012:assumed-role/SupportDeskAgents/joe';
    expect(await call(readout('RESET'))).toMatchObject({ status: 403, body: { message: REFUSALS.notVerified } });
  });

  it('never passes on a workflow answer an agent may not see (a password)', async () => {
    world();
    attributes[DESK_ATTRIBUTES.sessionId] = 'session-1';
    workflows(undefined, { status: 'RESET', password: 'Tmp-Pass-123', passwordSsml: '<speak>Tmp</speak>' });
    const { status, raw } = await call(checkCode());
    expect(status).toBe(200);
    expect(JSON.parse(raw.body)).toEqual({ status: 'UNAVAILABLE' });
    expect(raw.body).not.toMatch(/Tmp|password/i);
  });
});

describe('failures: 503 or UNAVAILABLE, never a stack', () => {
  it('503 when Connect fails', async () => {
    world();
    connect
      .on(DescribeContactCommand)
      .rejects(Object.assign(new Error('Rate exceeded at /var/task/index.js:1:2'), { name: 'ThrottlingException' }));
    const { status, body } = await call(verification());
    expect([status, body]).toEqual([503, { message: 'the agent desk is unavailable' }]);
  });

  it('503 when the user search fails', async () => {
    world();
    connect.on(SearchUsersCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServiceException' }));
    expect(await call(checkCode())).toMatchObject({ status: 503, body: { message: 'the agent desk is unavailable' } });
  });

  it('a failed workflow is UNAVAILABLE to the agent (the desk catches it), with no detail', async () => {
    world();
    sfn.on(StartSyncExecutionCommand).resolves({ status: 'FAILED', error: 'States.TaskFailed', cause: 'secret detail' });
    const start = await call(verification());
    expect([start.status, start.body]).toEqual([200, { status: 'UNAVAILABLE' }]);
    attributes[DESK_ATTRIBUTES.sessionId] = 'session-1';
    const check = await call(checkCode());
    expect([check.status, check.body]).toEqual([200, { status: 'UNAVAILABLE' }]);
    expect(check.raw.body).not.toContain('secret detail');
  });

  it('404 for a route the API does not have', async () => {
    expect(await call(request('POST', '/contacts/{contactId}'))).toMatchObject({ status: 404 });
  });
});
