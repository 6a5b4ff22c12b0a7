/**
 * Agent-initiated verification (issue #20), in plain TypeScript: the VERIFY action is an agent's only
 * (prepareReset), the verify workflow's VERIFY branch reaches nothing irreversible, CallerVerified's
 * schema, and the agent desk (lambdas/domain/agent-desk.ts, with in-memory ports; the twin's CCP side in local/connect/agent-desk.ts):
 * its refusals, what it sends the workflows, that it passes on only a status and the attempts left, and
 * that a readout is asked for only after that agent's VERIFIED on that contact.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepareReset } from '../../lambdas/domain/reset-start';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import { RESET_ACTIONS, VERIFY_STATUSES } from '../../lambdas/domain/reset-session';
import { DETAIL_SCHEMAS, DETAIL_TYPES } from '../../events/password-reset-events';
import { RULES } from '../../events/rule-catalogue';
import { detailProblems, sampleEventBase } from '../support/event-validator';
import { AgentDesk, AgentDeskError, REFUSALS } from '../../local/connect/agent-desk';
import { AgentDesk as SharedAgentDesk, agentIdOf, codeOf, DESK_ATTRIBUTES, readoutActionOf } from '../../lambdas/domain/agent-desk';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../../state-machines/state-machine-catalogue';

describe('the VERIFY action', () => {
  const now = new Date('2026-11-25T20:42:05.123Z');
  const input = { contactId: 'c-1', employeeId: '1234567', callerNumber: '+15555550100', locale: 'en-US' };
  const prepare = (extra: Record<string, unknown>) => prepareReset({ ...input, ...extra }, now, DEFAULT_POLICY, 'a-test-pepper');

  it('is a session action, and VERIFIED a verify status', () => {
    expect(RESET_ACTIONS).toEqual(['RESET', 'UNLOCK', 'VERIFY']);
    expect(VERIFY_STATUSES).toContain('VERIFIED');
  });

  it('is accepted with an agent actor only', () => {
    expect(prepare({ action: 'VERIFY', actor: 'agent', agentId: 'agent-7' })).toMatchObject({
      valid: true,
      action: 'VERIFY',
      actor: 'agent',
      agentId: 'agent-7',
      employeeId: '1234567',
    });
    // Agents may still start what a caller can.
    expect(prepare({ action: 'RESET', actor: 'agent', agentId: 'agent-7' })).toMatchObject({ valid: true, action: 'RESET' });
  });

  it.each([
    [{ action: 'VERIFY' }],
    [{ action: 'VERIFY', actor: 'caller' }],
    [{ action: 'VERIFY', actor: 'caller', agentId: '-' }],
    [{ action: 'VERIFY', actor: 'agent' }],
    [{ action: 'VERIFY', actor: 'agent', agentId: 'agent 7' }],
    [{ action: 'verify', actor: 'agent', agentId: 'agent-7' }],
  ])('%j is invalid input (never a live session, never a VERIFY one)', (extra) => {
    const p = prepare(extra);
    expect(p.valid).toBe(false);
    expect(p.employeeId).toBe('-');
    expect(p.action).toBe('RESET');
  });
});

describe("the verify workflow's VERIFY branch", () => {
  type State = {
    Type: string;
    Next?: string;
    Default?: string;
    Choices?: Array<{ Next: string }>;
    Catch?: Array<{ Next: string }>;
    Resource?: string;
  };
  const asl = JSON.parse(readFileSync(resolve(__dirname, '../../state-machines/password-reset-verify.asl.json'), 'utf8')) as {
    States: Record<string, State>;
  };
  const reachable = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const s = asl.States[name]!;
      todo.push(
        ...[s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)].filter(
          (n): n is string => !!n,
        ),
      );
    }
    return seen;
  };

  it('the session action VERIFY leads to VerifyAuthorized: VERIFIED, AUTHORIZED', () => {
    expect(JSON.stringify(asl.States['Action?']!.Choices)).toContain('"StringEquals":"VERIFY"');
    expect(asl.States.VerifyAuthorized).toMatchObject({
      Type: 'Pass',
      Result: { status: 'VERIFIED', outcome: 'VERIFIED', reason: 'AUTHORIZED' },
      Next: 'Audit',
    });
  });

  it('the directory steps are reachable only through the reset and unlock outcomes (Authorized? chooses by outcome)', () => {
    const authorized = asl.States['Authorized?'] as unknown as { Choices: Array<{ StringEquals: string; Next: string }> };
    expect(authorized.Choices.map((c) => [c.StringEquals, c.Next])).toEqual([
      ['RESET', 'SetTemporaryPassword'],
      ['UNLOCKED', 'UnlockAccount'],
    ]);
    // From the VERIFIED outcome's own states (the event, the answer), no Lambda task is reachable.
    const after = [...reachable('EmitCallerVerified')];
    expect(after.filter((name) => asl.States[name]!.Resource?.includes('FunctionArn'))).toEqual([]);
    // An unrecorded verification is not given: the session reopens and the agent hears UNAVAILABLE.
    expect(JSON.stringify(asl.States['Unrecorded?'])).toContain('"StringEquals":"VERIFIED"');
  });

  it('CallerVerified: a known, versioned, closed schema; counted by event-metrics like every type', () => {
    expect(DETAIL_TYPES).toContain('CallerVerified');
    expect(DETAIL_SCHEMAS.CallerVerified).toMatchObject({ title: 'CallerVerified v1', additionalProperties: false });
    const detail = {
      ...sampleEventBase(),
      actor: 'agent',
      agentId: 'agent-7',
    };
    expect(detailProblems('CallerVerified', detail)).toEqual([]);
    expect(detailProblems('CallerVerified', { ...detail, code: '123456' })).not.toEqual([]);
    const consumers = RULES.filter((r) => JSON.stringify(r.eventPattern).includes('CallerVerified')).map((r) => r.name);
    expect(consumers).toEqual([]);
    expect(RULES.find((r) => r.name === 'event-metrics')!.eventPattern).toEqual({ source: [{ prefix: 'support-desk.' }] });
  });
});

describe('the agent desk', () => {
  interface FakeContact {
    state: 'WAITING' | 'CONNECTED';
    agentId?: string;
    attributes: Record<string, string>;
  }
  /** A contact connected to agent-7 (or waiting, with agentId null). */
  const connectedWith = (attributes: Record<string, string>, agentId: string | null = 'agent-7'): FakeContact => ({
    attributes: { ...attributes },
    ...(agentId ? { state: 'CONNECTED', agentId } : { state: 'WAITING' }),
  });
  const confirmed = () => connectedWith({ agentEmployeeId: '1234567', agentLocale: 'es-US', prmSecret: 'x' });

  function deskWith(contact: FakeContact | undefined, answers: Record<string, unknown | Error>) {
    const contacts = new Map<string, FakeContact>(contact ? [['c-1', contact]] : []);
    const runs: Array<{ workflow: string; input: Record<string, unknown> }> = [];
    const actions: string[] = [];
    // The twin's CCP side (accept, end); the agent API proper is the Lambda (test/integration), not invoked here.
    const ccp = new AgentDesk({
      accept: (contactId, agentId) => {
        actions.push(`accept ${contactId} ${agentId}`);
        return contactId === 'gone' ? 'UNKNOWN' : agentId === 'agent-9' ? 'NOT_YOURS' : 'OK';
      },
      end: (contactId, agentId) => {
        actions.push(`end ${contactId} ${agentId}`);
        return contactId === 'gone' ? 'UNKNOWN' : agentId === 'agent-9' ? 'NOT_YOURS' : 'OK';
      },
      invoke: async () => {
        throw new Error('not invoked in unit tests');
      },
    });
    // The shared rules with in-memory ports, as the Lambda runs them with Connect and Step Functions behind them.
    const shared = new SharedAgentDesk({
      contact: async (contactId) => {
        const c = contacts.get(contactId);
        if (!c) return undefined;
        return {
          ...(c.state === 'CONNECTED' ? { connectedUserId: c.agentId } : {}),
          attributes: { ...c.attributes },
          callerNumber: '+15555550100',
        };
      },
      updateAttributes: async (contactId, attributes) => {
        Object.assign(contacts.get(contactId)!.attributes, attributes);
      },
      start: (input) => run(START_WORKFLOW, input),
      verify: (input) => run(VERIFY_WORKFLOW, input),
      now: () => Date.parse('2026-11-25T20:42:05.000Z'),
    });
    async function run(workflow: string, input: unknown): Promise<unknown> {
      runs.push({ workflow, input: input as Record<string, unknown> });
      const answer = answers[workflow];
      if (answer instanceof Error) throw answer;
      return answer;
    }
    // The agent as a request names it (the user is the agent's own ID here), the code and the action from the body.
    const agent = (body: unknown) => {
      const agentId = agentIdOf(body);
      return { agentId, userId: agentId };
    };
    const desk = {
      accept: (contactId: string, body: unknown) => ccp.accept(contactId, body),
      end: (contactId: string, body: unknown) => ccp.end(contactId, body),
      startVerification: async (contactId: string, body: unknown) => shared.startVerification(contactId, agent(body)),
      checkCode: async (contactId: string, body: unknown) => shared.checkCode(contactId, agent(body), codeOf(body)),
      requestReadout: async (contactId: string, body: unknown) => shared.requestReadout(contactId, agent(body), readoutActionOf(body)),
    };
    return { desk, runs, actions, contacts };
  }
  const refusal = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (e) {
      return e instanceof AgentDeskError ? [e.status, e.message] : e;
    }
    return 'not refused';
  };

  it('the agent identity, the code and the readout action are checked (400), the code never repeated', () => {
    expect(agentIdOf({ agentId: 'agent-7' })).toBe('agent-7');
    for (const body of [undefined, null, [], {}, { agentId: '-' }, { agentId: '?' }, { agentId: 'a b' }, { agentId: 1 }])
      expect(() => agentIdOf(body)).toThrow(REFUSALS.badAgentId);
    expect(codeOf({ code: '012345' })).toBe('012345');
    for (const code of ['01234', '0123456', 12345, ' 012345', '01234a']) expect(() => codeOf({ code })).toThrow(REFUSALS.badCode);
    expect(REFUSALS.badCode).not.toMatch(/\d{6}/);
    expect(readoutActionOf({ action: 'RESET' })).toBe('RESET');
    expect(readoutActionOf({ action: 'UNLOCK' })).toBe('UNLOCK');
    for (const action of ['VERIFY', 'reset', '', undefined, 1]) expect(() => readoutActionOf({ action })).toThrow(REFUSALS.badAction);
  });

  it('starts VERIFY as the agent for the confirmed ID, with the contact number and locale; answers the status only', async () => {
    const { desk, runs, contacts } = deskWith(confirmed(), { [START_WORKFLOW]: { status: 'CODE_SENT', sessionId: 's-1' } });
    expect(await desk.startVerification('c-1', { agentId: 'agent-7' })).toEqual({ status: 'CODE_SENT' });
    expect(runs).toEqual([
      {
        workflow: START_WORKFLOW,
        input: {
          contactId: 'c-1',
          employeeId: '1234567',
          callerNumber: '+15555550100',
          locale: 'es-US',
          action: 'VERIFY',
          actor: 'agent',
          agentId: 'agent-7',
        },
      },
    ]);
    // The session is kept on the contact (where the readout flow finds it), never in an answer.
    expect(contacts.get('c-1')!.attributes[DESK_ATTRIBUTES.sessionId]).toBe('s-1');
  });

  it('verifies with the session kept on the contact, as the agent, with a deadline; passes on status and attempts left only', async () => {
    const { desk, runs } = deskWith(confirmed(), {
      [START_WORKFLOW]: { status: 'CODE_SENT', sessionId: 's-1' },
      [VERIFY_WORKFLOW]: { status: 'INVALID', attemptsLeft: 2, extra: 'dropped' },
    });
    await desk.startVerification('c-1', { agentId: 'agent-7' });
    expect(await desk.checkCode('c-1', { agentId: 'agent-7', code: '123456' })).toEqual({ status: 'INVALID', attemptsLeft: 2 });
    expect(runs[1]).toEqual({
      workflow: VERIFY_WORKFLOW,
      input: {
        sessionId: 's-1',
        code: '123456',
        contactId: 'c-1',
        actor: 'agent',
        agentId: 'agent-7',
        respondBy: '2026-11-25T20:42:25.000Z',
      },
    });
  });

  it('an answer an agent must never get (a password) is not passed on: UNAVAILABLE; a failed execution is UNAVAILABLE', async () => {
    const leaky = deskWith(confirmed(), {
      [START_WORKFLOW]: { status: 'CODE_SENT', sessionId: 's-1' },
      [VERIFY_WORKFLOW]: { status: 'RESET', password: 'Xk7pQ2mN9rTz' },
    });
    await leaky.desk.startVerification('c-1', { agentId: 'agent-7' });
    expect(await leaky.desk.checkCode('c-1', { agentId: 'agent-7', code: '123456' })).toEqual({ status: 'UNAVAILABLE' });
    expect(leaky.contacts.get('c-1')!.attributes[DESK_ATTRIBUTES.verifiedBy]).toBe('');
    const failing = deskWith(confirmed(), { [START_WORKFLOW]: new Error('FAILED') });
    expect(await failing.desk.startVerification('c-1', { agentId: 'agent-7' })).toEqual({ status: 'UNAVAILABLE' });
  });

  it("refuses (403): no contact, a waiting one, another agent's, no confirmed ID, no verification started (or one that did not send a code)", async () => {
    const none = deskWith(undefined, {});
    expect(await refusal(none.desk.startVerification('c-1', { agentId: 'agent-7' }))).toEqual([403, REFUSALS.noActiveContact]);
    const waiting = deskWith(connectedWith({ agentEmployeeId: '1234567' }, null), {});
    expect(await refusal(waiting.desk.startVerification('c-1', { agentId: 'agent-7' }))).toEqual([403, REFUSALS.noActiveContact]);
    const others = deskWith(confirmed(), { [START_WORKFLOW]: { status: 'CODE_SENT', sessionId: 's-1' } });
    expect(await refusal(others.desk.startVerification('c-1', { agentId: 'agent-8' }))).toEqual([403, REFUSALS.noActiveContact]);
    await others.desk.startVerification('c-1', { agentId: 'agent-7' });
    expect(await refusal(others.desk.checkCode('c-1', { agentId: 'agent-8', code: '123456' }))).toEqual([403, REFUSALS.noActiveContact]);
    expect(others.runs).toHaveLength(1);
    const unconfirmed = deskWith(connectedWith({ agentLocale: 'en-US' }), {});
    expect(await refusal(unconfirmed.desk.startVerification('c-1', { agentId: 'agent-7' }))).toEqual([403, REFUSALS.noConfirmedId]);
    expect(unconfirmed.runs).toEqual([]);
    const limited = deskWith(confirmed(), { [START_WORKFLOW]: { status: 'RATE_LIMITED', sessionId: 's-9' } });
    expect(await limited.desk.startVerification('c-1', { agentId: 'agent-7' })).toEqual({ status: 'RATE_LIMITED' });
    expect(await refusal(limited.desk.checkCode('c-1', { agentId: 'agent-7', code: '123456' }))).toEqual([403, REFUSALS.noVerification]);
  });

  it("accepts and ends as the agent: 404 unknown, 409 accepting another agent's, 403 ending one not connected to the agent", async () => {
    const { desk, actions } = deskWith(confirmed(), {});
    expect(desk.accept('c-1', { agentId: 'agent-7' })).toEqual({ contactId: 'c-1', state: 'CONNECTED', agentId: 'agent-7' });
    expect(await refusal((async () => desk.accept('c-1', { agentId: 'agent-9' }))())).toEqual([409, REFUSALS.otherAgent]);
    expect(await refusal((async () => desk.accept('gone', { agentId: 'agent-7' }))())).toEqual([404, REFUSALS.unknownContact]);
    expect(await refusal((async () => desk.accept('c-1', { agentId: 'agent 7' }))())).toEqual([400, REFUSALS.badAgentId]);
    expect(await refusal((async () => desk.end('c-1', { agentId: 'agent-9' }))())).toEqual([403, REFUSALS.notConnected]);
    expect(await refusal((async () => desk.end('gone', { agentId: 'agent-7' }))())).toEqual([404, REFUSALS.unknownContact]);
    expect(desk.end('c-1', { agentId: 'agent-7' })).toEqual({ contactId: 'c-1', state: 'ENDED' });
    expect(actions).toEqual([
      'accept c-1 agent-7',
      'accept c-1 agent-9',
      'accept gone agent-7',
      'end c-1 agent-9',
      'end gone agent-7',
      'end c-1 agent-7',
    ]);
  });

  it("asks for a readout only after that agent's VERIFIED on that contact; a new verification withdraws it", async () => {
    const { desk, contacts } = deskWith(confirmed(), {
      [START_WORKFLOW]: { status: 'CODE_SENT', sessionId: 's-1' },
      [VERIFY_WORKFLOW]: { status: 'INVALID', attemptsLeft: 2 },
    });
    const attributes = () => contacts.get('c-1')!.attributes;
    expect(await refusal(desk.requestReadout('c-1', { agentId: 'agent-7', action: 'RESET' }))).toEqual([403, REFUSALS.notVerified]);
    await desk.startVerification('c-1', { agentId: 'agent-7' });
    await desk.checkCode('c-1', { agentId: 'agent-7', code: '123456' });
    expect(await refusal(desk.requestReadout('c-1', { agentId: 'agent-7', action: 'RESET' }))).toEqual([403, REFUSALS.notVerified]);
    const verified = deskWith(confirmed(), {
      [START_WORKFLOW]: { status: 'CODE_SENT', sessionId: 's-2' },
      [VERIFY_WORKFLOW]: { status: 'VERIFIED' },
    });
    await verified.desk.startVerification('c-1', { agentId: 'agent-7' });
    expect(await verified.desk.checkCode('c-1', { agentId: 'agent-7', code: '123456' })).toEqual({ status: 'VERIFIED' });
    expect(await refusal(verified.desk.requestReadout('c-1', { agentId: 'agent-7', action: 'VERIFY' }))).toEqual([400, REFUSALS.badAction]);
    expect(await verified.desk.requestReadout('c-1', { agentId: 'agent-7', action: 'UNLOCK' })).toEqual({
      status: 'READOUT_READY',
      action: 'UNLOCK',
    });
    expect(verified.contacts.get('c-1')!.attributes).toMatchObject({
      [DESK_ATTRIBUTES.sessionId]: 's-2',
      [DESK_ATTRIBUTES.verifiedBy]: 'agent-7',
      [DESK_ATTRIBUTES.readout]: 'UNLOCK',
      [DESK_ATTRIBUTES.readoutBy]: 'agent-7',
    });
    // Another agent, even connected now, cannot ride on agent-7's verification.
    verified.contacts.get('c-1')!.agentId = 'agent-8';
    expect(await refusal(verified.desk.requestReadout('c-1', { agentId: 'agent-8', action: 'RESET' }))).toEqual([
      403,
      REFUSALS.notVerified,
    ]);
    verified.contacts.get('c-1')!.agentId = 'agent-7';
    // Verifying again withdraws what the earlier verification allowed.
    await verified.desk.startVerification('c-1', { agentId: 'agent-7' });
    expect(verified.contacts.get('c-1')!.attributes).toMatchObject({
      [DESK_ATTRIBUTES.verifiedBy]: '',
      [DESK_ATTRIBUTES.readout]: '',
      [DESK_ATTRIBUTES.readoutBy]: '',
    });
    expect(attributes()[DESK_ATTRIBUTES.readout]).toBe('');
  });
});
