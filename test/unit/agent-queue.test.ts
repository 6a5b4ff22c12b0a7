/**
 * The twin's agent queue (local/connect/agent-queue.ts) and what an agent may see of a queued contact
 * (lambdas/domain/shown-agent-context.ts): only the allow-listed agent* attributes, each checked; a
 * malformed value is dropped; no other attribute ever passes. Time moves on a fake clock.
 */
import { AgentQueues, type QueueExit } from '../../local/connect/agent-queue';
import { shownAgentContext } from '../../lambdas/domain/shown-agent-context';
import { AGENT_CONTEXT_ATTRIBUTES, agentContext, agentContextAttributes } from '../../lambdas/domain/agent-context';
import { fakeClock } from '../support/fake-clock';

const QUEUE = { name: 'PasswordReset', arn: 'arn:aws:connect:us-east-1:000000000000:instance/x/queue/PasswordReset' };

describe('shownAgentContext', () => {
  const good = {
    agentEmployeeId: '1234567',
    agentVerificationState: 'FAILED_2',
    agentTransferReason: 'NO_CODE_ENTERED',
    agentLocale: 'es-US',
    agentCallerNumberMasked: '+*******0100',
  };

  it('takes the five allow-listed attributes, by the names the flow writes them under', () => {
    expect(Object.values(AGENT_CONTEXT_ATTRIBUTES).sort()).toEqual(Object.keys(good).sort());
    expect(shownAgentContext(good)).toEqual({
      employeeId: '1234567',
      verificationState: 'FAILED_2',
      transferReason: 'NO_CODE_ENTERED',
      locale: 'es-US',
      callerNumberMasked: '+*******0100',
    });
  });

  it('reads what the agent-context Lambda writes, whatever the path', () => {
    const context = agentContext({ transferReason: 'AGENT_REQUESTED', locale: 'en-US', callerNumber: 'anonymous' }, 3);
    // No confirmed ID is written as an empty attribute: absent, not an error.
    expect(shownAgentContext(agentContextAttributes(context))).toEqual(context);
    const noNumber = agentContext({ transferReason: 'TECHNICAL_ERROR' }, 3);
    expect(shownAgentContext(agentContextAttributes(noNumber))).toEqual(noNumber);
  });

  it('never copies any other attribute, whatever it holds', () => {
    const context = shownAgentContext({
      ...good,
      prmTransfer: '<speak>Please hold</speak>',
      verificationCode: '482913',
      temporaryPassword: 'Xk7pQ2mN9rTz',
      agentNote: 'the code is 482913',
      employeeId: '7654321',
      transferReason: 'LOCKED',
    });
    expect(Object.keys(context).sort()).toEqual(['callerNumberMasked', 'employeeId', 'locale', 'transferReason', 'verificationState']);
    expect(JSON.stringify(context)).not.toMatch(/482913|Xk7pQ2mN9rTz|7654321|speak/);
  });

  it.each([
    ['agentEmployeeId', '12345678'],
    ['agentEmployeeId', '123456'],
    ['agentEmployeeId', '123456 7'],
    ['agentEmployeeId', '１２３４５６７'],
    ['agentEmployeeId', '1234567\n'],
    ['agentVerificationState', 'code_sent'],
    ['agentVerificationState', 'CODE_SENT 482913'],
    ['agentTransferReason', 'BECAUSE'],
    ['agentTransferReason', ''],
    ['agentLocale', 'fr-FR'],
    ['agentLocale', 'en-us'],
    ['agentCallerNumberMasked', '+15555550100'],
    ['agentCallerNumberMasked', '+*****550100'],
    ['agentCallerNumberMasked', '+************0100'],
    ['agentCallerNumberMasked', 'the code is 482913'],
  ])('drops a malformed %s (%j), keeps the rest', (name, value) => {
    const context = shownAgentContext({ ...good, [name]: value });
    const field = Object.entries(AGENT_CONTEXT_ATTRIBUTES).find(([, attribute]) => attribute === name)![0];
    expect(context).not.toHaveProperty(field);
    expect(Object.keys(context)).toHaveLength(4);
  });

  it('drops what is not a string, and reads nothing from the prototype', () => {
    expect(shownAgentContext({ agentEmployeeId: 1234567, agentLocale: ['en-US'] })).toEqual({});
    const inherited = Object.create({ agentLocale: 'en-US' }) as Record<string, unknown>;
    expect(shownAgentContext(inherited)).toEqual({});
  });
});

describe('AgentQueues', () => {
  const setUp = (maxWaitMs = 60_000) => {
    const clock = fakeClock(Date.UTC(2026, 0, 5, 9));
    const left: Array<[string, QueueExit] | [string, QueueExit, string]> = [];
    const queues = new AgentQueues({
      clock,
      maxWaitMs,
      onLeave: (c, exit, endedBy) => left.push(endedBy ? [c.contactId, exit, endedBy] : [c.contactId, exit]),
    });
    return { clock, queues, left };
  };

  it('lists the waiting contacts longest-waiting first, with how long each has waited', () => {
    const { clock, queues } = setUp();
    queues.enqueue({ contactId: 'a', queue: QUEUE, attributes: {} });
    clock.tick(5_000);
    queues.enqueue({ contactId: 'b', queue: QUEUE, attributes: {} });
    queues.enqueue({ contactId: 'c', queue: { ...QUEUE, name: 'Other' }, attributes: {} });
    clock.tick(2_500);
    expect(queues.list().map((c) => [c.contactId, c.waitingMs])).toEqual([
      ['a', 7_500],
      ['b', 2_500],
      ['c', 2_500],
    ]);
    expect(queues.list('PasswordReset').map((c) => c.contactId)).toEqual(['a', 'b']);
    expect([queues.size('PasswordReset'), queues.size('Other')]).toEqual([2, 1]);
    queues.close();
  });

  it('keeps the attributes as they were at the transfer', () => {
    const { queues } = setUp();
    const attributes = { agentLocale: 'en-US' };
    queues.enqueue({ contactId: 'a', queue: QUEUE, attributes });
    attributes.agentLocale = 'es-US';
    expect(queues.list()[0]!.attributes).toEqual({ agentLocale: 'en-US' });
    expect(Object.isFrozen(queues.list()[0]!.attributes)).toBe(true);
    queues.close();
  });

  it('a contact leaves when its caller hangs up, or after the maximum wait; only once', () => {
    const { clock, queues, left } = setUp(60_000);
    queues.enqueue({ contactId: 'a', queue: QUEUE, attributes: {} });
    clock.tick(10_000);
    queues.enqueue({ contactId: 'b', queue: QUEUE, attributes: {} });
    expect(queues.leave('b', 'ABANDONED')).toBe(true);
    expect(queues.leave('b', 'ABANDONED')).toBe(false);
    clock.tick(49_999);
    expect(queues.has('a')).toBe(true);
    clock.tick(1);
    expect(queues.has('a')).toBe(false);
    expect(left).toEqual([
      ['b', 'ABANDONED'],
      ['a', 'TIMED_OUT'],
    ]);
    // The hung-up contact's timer was cleared: nothing is left to fire.
    expect(clock.countTimers()).toBe(0);
  });

  it('an agent accepts a waiting contact (CONNECTED, no wait limit), only one agent; the agent or the caller ends it', () => {
    const { clock, queues, left } = setUp(60_000);
    queues.enqueue({ contactId: 'a', queue: QUEUE, attributes: {} });
    queues.enqueue({ contactId: 'b', queue: QUEUE, attributes: {} });
    queues.enqueue({ contactId: 'c', queue: QUEUE, attributes: {} });
    clock.tick(4_000);
    expect(queues.accept('a', 'agent-1')).toBe('OK');
    expect(queues.accept('a', 'agent-1')).toBe('OK');
    expect(queues.accept('a', 'agent-2')).toBe('NOT_YOURS');
    expect(queues.accept('x', 'agent-1')).toBe('UNKNOWN');
    expect(queues.accept('b', 'agent-2')).toBe('OK');
    expect([queues.has('a'), queues.agentOf('a'), queues.size('PasswordReset')]).toEqual([false, 'agent-1', 1]);
    clock.tick(1_000);
    expect(queues.contacts().map((c) => [c.contactId, c.state, c.agentId, c.waitingMs])).toEqual([
      ['a', 'CONNECTED', 'agent-1', 4_000],
      ['b', 'CONNECTED', 'agent-2', 4_000],
      ['c', 'WAITING', undefined, 5_000],
    ]);
    expect(queues.end('a', 'agent-2')).toBe('NOT_YOURS');
    expect(queues.end('c', 'agent-1')).toBe('NOT_YOURS');
    expect(queues.end('a', 'agent-1')).toBe('OK');
    expect(queues.end('a', 'agent-1')).toBe('UNKNOWN');
    expect(queues.hangUp('b')).toBe(true);
    expect(queues.hangUp('b')).toBe(false);
    // The connected contacts no longer time out; the waiting one does.
    clock.tick(60_000);
    expect(left).toEqual([
      ['a', 'ENDED', 'AGENT'],
      ['b', 'ENDED', 'CALLER'],
      ['c', 'TIMED_OUT'],
    ]);
    expect(queues.contacts()).toEqual([]);
    expect(clock.countTimers()).toBe(0);
  });

  it('refuses a maximum wait that is not positive, and a contact queued twice', () => {
    const clock = fakeClock();
    expect(() => new AgentQueues({ clock, maxWaitMs: 0 })).toThrow(/positive/);
    const queues = new AgentQueues({ clock, maxWaitMs: 1_000 });
    queues.enqueue({ contactId: 'a', queue: QUEUE, attributes: {} });
    expect(() => queues.enqueue({ contactId: 'a', queue: QUEUE, attributes: {} })).toThrow(/already queued/);
    queues.close();
    expect(clock.countTimers()).toBe(0);
  });
});
