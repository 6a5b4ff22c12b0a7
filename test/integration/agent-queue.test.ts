/**
 * The twin's agent queue (issue #20, first slice): a call the flow transfers waits in its queue, and
 * `GET /api/agent/contacts` lists it, longest-waiting first, with the context the flow wrote before the
 * transfer — built only from the allow-listed agent* attributes, each checked. It leaves the queue when
 * its caller hangs up or after the maximum wait (30 minutes on the twin's clock, a fake one here); the
 * IVR side still reports the call ended, TRANSFERRED. The queue's capacity counts the calls waiting now.
 */
import { request } from 'node:http';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { Phone } from '../../local/softphone/phone';
import { fakeClock } from '../support/fake-clock';
import { DEFAULT_MAX_QUEUE_WAIT_MS } from '../../local/connect/agent-queue';
import type { AgentQueueContact } from '../../local/http/agent-api';
import { AGENT_CONTEXT_ATTRIBUTES } from '../../lambdas/domain/agent-context';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
// The wait runs on this clock: the test moves it instead of waiting 30 minutes.
const clock = fakeClock();
/** A flow that writes agent* attributes a bug might write, and others that must never reach an agent, then transfers. */
const FIXTURE_FLOW = 'agent-context-fixture';
const FIXTURE_SECRETS = { code: '482913', password: 'Xk7pQ2mN9rTz', unmasked: '+15557770199', longId: '12345678' };

beforeAll(async () => {
  // No digest writer: the test moves the clock by half an hour.
  twin = await startTestTwin({ clock, auditDigestIntervalMinutes: 0 });
  twin.calls.load(FIXTURE_FLOW, JSON.stringify(fixtureFlow(twin.calls.queueArn('PasswordReset'))));
});
afterAll(() => twin.cleanup());

let callers = 0;
const caller = () => `+1555777${String(1000 + (callers++ % 9000))}`;

async function waiting(): Promise<{ contacts: AgentQueueContact[]; text: string }> {
  const res = await fetch(`${twin.url}/api/agent/contacts`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { contacts: (JSON.parse(text) as { contacts: AgentQueueContact[] }).contacts, text };
}

const waitingIds = async () => (await waiting()).contacts.map((c) => c.contactId);

/** A caller who asks for an agent at the main menu (key 0): transferred, and waiting. */
async function callerAskingForAnAgent(from = caller()): Promise<Phone> {
  const p = new Phone(twin.url);
  await p.dial(from, 'en-US');
  expect(await p.key('0')).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset', queueState: 'WAITING' });
  return p;
}

async function hangUpEveryone(): Promise<void> {
  for (const { contactId } of twin.calls.agentContacts()) await twin.calls.hangUp(contactId);
}
afterEach(hangUpEveryone);

it('a caller who keys 0 at the menu waits in the queue with the context the flow wrote, and no other attribute', async () => {
  const p = await callerAskingForAnAgent('+15557770100');
  const enqueued = clock.now();
  clock.tick(90_000);
  const { contacts, text } = await waiting();
  expect(contacts).toEqual([
    {
      contactId: p.contactId,
      queue: 'PasswordReset',
      enqueuedAt: new Date(enqueued).toISOString(),
      waitingSeconds: 90,
      state: 'WAITING',
      // No employee ID: the caller confirmed none.
      context: { verificationState: 'NOT_STARTED', transferReason: 'AGENT_REQUESTED', locale: 'en-US', callerNumberMasked: '+*******0100' },
    },
  ]);
  // The contact holds much more (prompt texts, the flow's own notes): none of it is listed.
  const { record } = (await (await fetch(`${twin.url}/api/contact-records/${p.contactId}`)).json()) as {
    record: { Attributes: Record<string, string> };
  };
  const allowListed: string[] = Object.values(AGENT_CONTEXT_ATTRIBUTES);
  const shown = Object.values(contacts[0]!.context);
  const others = Object.entries(record.Attributes).filter(([name]) => !allowListed.includes(name));
  expect(others.map(([name]) => name)).toEqual(expect.arrayContaining(['transferReason', 'locale']));
  expect(others.filter(([name]) => name.startsWith('prm')).length).toBeGreaterThan(3);
  // The answer above is the whole answer (toEqual); and no other attribute's value is anywhere in its text.
  // A value the context legitimately shows too (the locale, the reason) is the agent* attribute's, not this one's.
  for (const [name, value] of others)
    if (value.length >= 6 && !shown.includes(value)) expect([name, text.includes(value)]).toEqual([name, false]);
});

it('lists the calls longest-waiting first', async () => {
  const first = await callerAskingForAnAgent();
  clock.tick(30_000);
  const second = await callerAskingForAnAgent();
  clock.tick(5_000);
  const { contacts } = await waiting();
  expect(contacts.map((c) => [c.contactId, c.waitingSeconds])).toEqual([
    [first.contactId, 35],
    [second.contactId, 5],
  ]);
});

it('a caller who hangs up while waiting leaves the queue; the IVR side still says TRANSFERRED; nothing more is recorded', async () => {
  const p = await callerAskingForAnAgent();
  expect(await waitingIds()).toContain(p.contactId);
  expect(await p.hangUp()).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset', queueState: 'ABANDONED' });
  expect(await waitingIds()).not.toContain(p.contactId);
  expect(await p.details()).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queue: 'PasswordReset', queueState: 'ABANDONED' });
  // Hanging up again changes nothing; input is refused as for any ended call.
  const again = await p.raw('DELETE', `/api/calls/${p.contactId}`);
  expect(again).toMatchObject({ status: 200, body: { disposition: 'TRANSFERRED', queueState: 'ABANDONED' } });
  expect((await p.raw('POST', `/api/calls/${p.contactId}/input`, { dtmf: '1' })).status).toBe(409);
  // The contact record was written once, at the transfer.
  const records = (await retainedRecords(twin, 'contactRecords')).filter((r) => r.ContactId === p.contactId);
  expect(records).toEqual([
    expect.objectContaining({ DisconnectReason: 'CONTACT_FLOW_TRANSFER', Queue: expect.objectContaining({ Name: 'PasswordReset' }) }),
  ]);
});

describe('an agent accepts and ends a call', () => {
  const act = async (contactId: string, action: 'accept' | 'end', body: unknown) => {
    const res = await fetch(`${twin.url}/api/agent/contacts/${contactId}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('accept: WAITING becomes CONNECTED to the agent, out of the waiting count; another agent gets 409; end by the agent: ENDED_BY_AGENT', async () => {
    const p = await callerAskingForAnAgent();
    const other = await callerAskingForAnAgent();
    clock.tick(12_000);
    expect(await act(p.contactId, 'accept', { agentId: 'agent-1' })).toEqual({
      status: 200,
      body: { contactId: p.contactId, state: 'CONNECTED', agentId: 'agent-1' },
    });
    // Accepting again as the same agent changes nothing; another agent is refused.
    expect((await act(p.contactId, 'accept', { agentId: 'agent-1' })).status).toBe(200);
    expect(await act(p.contactId, 'accept', { agentId: 'agent-2' })).toMatchObject({ status: 409 });
    clock.tick(3_000);
    const { contacts } = await waiting();
    expect(contacts.map((c) => [c.contactId, c.state, c.agentId, c.waitingSeconds])).toEqual([
      [p.contactId, 'CONNECTED', 'agent-1', 12],
      [other.contactId, 'WAITING', undefined, 15],
    ]);
    expect(twin.calls.waitingContacts().map((c) => c.contactId)).toEqual([other.contactId]);
    expect(await p.details()).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'CONNECTED' });
    // A connected contact no longer times out.
    clock.tick(DEFAULT_MAX_QUEUE_WAIT_MS);
    expect((await waiting()).contacts.map((c) => c.contactId)).toEqual([p.contactId]);

    // Only the connected agent ends it; a waiting contact cannot be ended.
    expect(await act(p.contactId, 'end', { agentId: 'agent-2' })).toMatchObject({ status: 403 });
    const third = await callerAskingForAnAgent();
    expect(await act(third.contactId, 'end', { agentId: 'agent-1' })).toMatchObject({ status: 403 });
    expect(await act(p.contactId, 'end', { agentId: 'agent-1' })).toEqual({
      status: 200,
      body: { contactId: p.contactId, state: 'ENDED' },
    });
    expect(await waitingIds()).toEqual([third.contactId]);
    // The caller goes on in the contact's disconnect flow (agent-readout): with nothing asked by the agent, a goodbye.
    const after = p.heard.length;
    expect(await p.listen()).toMatchObject({ ended: true, disposition: 'DISCONNECTED', queueState: 'ENDED_BY_AGENT' });
    expect(p.said(after)).toContain('Thank you for calling the Support Desk. Goodbye.');
    expect(await p.details()).toMatchObject({ ended: true, disposition: 'DISCONNECTED', queueState: 'ENDED_BY_AGENT' });
    expect(await p.hangUp()).toMatchObject({ queueState: 'ENDED_BY_AGENT' });
    expect(await act(p.contactId, 'end', { agentId: 'agent-1' })).toMatchObject({ status: 404 });
    expect(await act(p.contactId, 'accept', { agentId: 'agent-1' })).toMatchObject({ status: 404 });
  });

  it('the caller hanging up removes a connected contact (ENDED_BY_CALLER); 404 unknown, 400 a bad agent identity', async () => {
    const p = await callerAskingForAnAgent();
    expect(await act(p.contactId, 'accept', { agentId: 'bad agent' })).toMatchObject({ status: 400 });
    expect(await act(p.contactId, 'accept', {})).toMatchObject({ status: 400 });
    expect(await act('no-such-contact', 'accept', { agentId: 'agent-1' })).toMatchObject({ status: 404 });
    expect((await act(p.contactId, 'accept', { agentId: 'agent-1' })).status).toBe(200);
    expect(await p.hangUp()).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queueState: 'ENDED_BY_CALLER' });
    expect(await waitingIds()).toEqual([]);
    expect(await act(p.contactId, 'end', { agentId: 'agent-1' })).toMatchObject({ status: 404 });
  });
});

it('a malformed agent* value is dropped, and an attribute off the allow-list never appears, whatever it holds', async () => {
  const started = await twin.calls.startCall({ from: '+15557770199', flow: FIXTURE_FLOW });
  expect(started).toMatchObject({ ended: true, disposition: 'TRANSFERRED', queueState: 'WAITING' });
  const { contacts, text } = await waiting();
  const listed = contacts.find((c) => c.contactId === started.contactId)!;
  // Only the two well-formed values: an 8-digit ID, an unknown reason and an unmasked number are dropped.
  expect(listed.context).toEqual({ verificationState: 'CODE_SENT', locale: 'es-US' });
  for (const secret of [...Object.values(FIXTURE_SECRETS), 'verificationCode', 'temporaryPassword', 'agentNote', 'the caller said'])
    expect([secret, text.includes(secret)]).toEqual([secret, false]);
});

it('a call still waiting after the maximum wait (30 minutes on the twin clock) leaves the queue', async () => {
  expect(DEFAULT_MAX_QUEUE_WAIT_MS).toBe(30 * 60_000);
  const p = await callerAskingForAnAgent();
  clock.tick(DEFAULT_MAX_QUEUE_WAIT_MS - 1_000);
  expect((await waiting()).contacts).toEqual([expect.objectContaining({ contactId: p.contactId, waitingSeconds: 30 * 60 - 1 })]);
  clock.tick(1_000);
  expect(await waitingIds()).toEqual([]);
  expect(await p.details()).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'TIMED_OUT' });
  // The caller hanging up afterwards does not make it an abandoned call.
  expect(await p.hangUp()).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'TIMED_OUT' });
});

it("the queue's capacity counts the calls waiting in it now, as Connect's maximum contacts in queue", async () => {
  twin.calls.setQueueCapacity(1);
  try {
    const first = await callerAskingForAnAgent();
    const refused = new Phone(twin.url);
    await refused.dial(caller(), 'en-US');
    const full = await refused.key('0');
    expect(full).toMatchObject({ ended: true, disposition: 'DISCONNECTED' });
    expect(full.queueState).toBeUndefined();
    expect(full.prompts.at(-1)!.text).toContain('All of our agents are busy');
    // The first caller gives up: there is room again (a transferred call no longer counts once it left).
    await first.hangUp();
    const next = await callerAskingForAnAgent();
    expect(await waitingIds()).toEqual([next.contactId]);
  } finally {
    twin.calls.setQueueCapacity(Number.POSITIVE_INFINITY);
  }
});

it('answers only on loopback, to its own origin, and only GET', async () => {
  const { host } = new URL(twin.url);
  const port = new URL(twin.url).port;
  expect((await raw({ host: `attacker.example:${port}` })).status).toBe(421);
  expect((await raw({ host, origin: 'https://attacker.example' })).status).toBe(403);
  expect((await raw({ host })).status).toBe(200);
  const post = await fetch(`${twin.url}/api/agent/contacts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(post.status).toBe(405);
});

function raw(headers: Record<string, string>): Promise<{ status: number }> {
  const { hostname, port } = new URL(twin.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/agent/contacts', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

function fixtureFlow(queueArn: string) {
  const onError = (next: string) => ({ Errors: [{ NextAction: next, ErrorType: 'NoMatchingError' }] });
  return {
    Version: '2019-10-30',
    StartAction: 'set-attributes',
    Metadata: { name: FIXTURE_FLOW, description: 'Test fixture: malformed agent context and secrets in other attributes' },
    Actions: [
      {
        Identifier: 'set-attributes',
        Type: 'UpdateContactAttributes',
        Parameters: {
          TargetContact: 'Current',
          Attributes: {
            agentEmployeeId: FIXTURE_SECRETS.longId,
            agentVerificationState: 'CODE_SENT',
            agentTransferReason: `LOCKED; code ${FIXTURE_SECRETS.code}`,
            agentLocale: 'es-US',
            agentCallerNumberMasked: FIXTURE_SECRETS.unmasked,
            verificationCode: FIXTURE_SECRETS.code,
            temporaryPassword: FIXTURE_SECRETS.password,
            agentNote: 'the caller said',
          },
        },
        Transitions: { NextAction: 'set-queue', ...onError('disconnect') },
      },
      {
        Identifier: 'set-queue',
        Type: 'UpdateContactTargetQueue',
        Parameters: { QueueId: queueArn },
        Transitions: { NextAction: 'transfer', ...onError('disconnect') },
      },
      {
        Identifier: 'transfer',
        Type: 'TransferContactToQueue',
        Parameters: {},
        Transitions: {
          NextAction: 'disconnect',
          Errors: [
            { NextAction: 'disconnect', ErrorType: 'QueueAtCapacity' },
            { NextAction: 'disconnect', ErrorType: 'NoMatchingError' },
          ],
        },
      },
      { Identifier: 'disconnect', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
  };
}
