/**
 * Who acts (issue #20), in plain TypeScript: the actor claim's rules (lambdas/domain/actor.ts), the start's
 * validation of it (prepareReset), the verify's (validate-actor), and the audit chain's two formats
 * (lambdas/domain/audit-chain.ts): v1 without who acted, v2 with `actor` and `agentId` after the v1 fields.
 */
import type { Context } from 'aws-lambda';
import { AGENT_ID_PATTERN, parseActor } from '../../lambdas/domain/actor';
import {
  auditHash,
  CHAINED_FIELDS_V1,
  CHAINED_FIELDS_V2,
  chainFieldsOf,
  chainInput,
  GENESIS,
  storedFieldsOf,
  verifyChain,
  type AuditRecord,
} from '../../lambdas/domain/audit-chain';
import { prepareReset } from '../../lambdas/domain/reset-start';
import { DEFAULT_POLICY } from '../../lambdas/domain/reset-policy';
import { DETAIL_SCHEMAS } from '../../events/password-reset-events';
import { detailProblems, sampleEventBase } from '../support/event-validator';
import type * as ValidateActor from '../../lambdas/handlers/validate-actor';

describe('the actor claim', () => {
  it.each([
    [{}, { valid: true, actor: 'caller', agentId: '-' }],
    [{ actor: 'caller' }, { valid: true, actor: 'caller', agentId: '-' }],
    [
      { actor: 'caller', agentId: '-' },
      { valid: true, actor: 'caller', agentId: '-' },
    ],
    [{ agentId: '-' }, { valid: true, actor: 'caller', agentId: '-' }],
    [
      { actor: 'agent', agentId: 'agent-7' },
      { valid: true, actor: 'agent', agentId: 'agent-7' },
    ],
    [
      { actor: 'agent', agentId: 'a'.repeat(128) },
      { valid: true, actor: 'agent', agentId: 'a'.repeat(128) },
    ],
    [
      { actor: 'agent', agentId: 'arn:aws:sts::123456789012:assumed-role/Agent/jane+x=y@example.com' },
      { valid: true, actor: 'agent', agentId: 'arn:aws:sts::123456789012:assumed-role/Agent/jane+x=y@example.com' },
    ],
  ])('%j is valid', (input, expected) => {
    expect(parseActor(input)).toEqual(expected);
  });

  it.each([
    { actor: 'agent' },
    { actor: 'agent', agentId: '' },
    { actor: 'agent', agentId: '-' },
    { actor: 'agent', agentId: '?' },
    { actor: 'agent', agentId: 'a'.repeat(129) },
    { actor: 'agent', agentId: 'agent 7' },
    { actor: 'agent', agentId: 'agent|7' },
    { actor: 'agent', agentId: 'agént' },
    { actor: 'agent', agentId: 'agent\n7' },
    { actor: 'agent', agentId: 7 },
    { actor: 'Agent', agentId: 'agent-7' },
    { actor: 'caller', agentId: 'agent-7' },
    { agentId: 'agent-7' },
    { actor: null },
    { actor: ['agent'], agentId: 'agent-7' },
  ])('%j is not valid: an unverified agent ("?"), never the caller', (input) => {
    expect(parseActor(input)).toEqual({ valid: false, actor: 'agent', agentId: '?' });
  });

  it('an identity cannot hold the hash separator, and "?" can never be a real one', () => {
    expect(AGENT_ID_PATTERN.test('a|b')).toBe(false);
    expect(AGENT_ID_PATTERN.test('?')).toBe(false);
  });

  const now = new Date('2026-11-25T20:42:05.123Z');
  const input = { contactId: 'c-1', employeeId: '1234567', callerNumber: '+15555550100', locale: 'en-US' };

  it('prepareReset (the start) passes who acts to the workflow, and refuses an invalid claim as invalid input', () => {
    expect(prepareReset(input, now, DEFAULT_POLICY, 'pepper')).toMatchObject({ valid: true, actor: 'caller', agentId: '-' });
    expect(prepareReset({ ...input, actor: 'agent', agentId: 'agent-7' }, now, DEFAULT_POLICY, 'pepper')).toMatchObject({
      valid: true,
      actor: 'agent',
      agentId: 'agent-7',
      employeeId: '1234567',
    });
    expect(prepareReset({ ...input, actor: 'agent', agentId: 'agent 7' }, now, DEFAULT_POLICY, 'pepper')).toMatchObject({
      valid: false,
      actor: 'agent',
      agentId: '?',
      employeeId: '-',
    });
  });

  it('validate-actor (the verify) answers the same', async () => {
    process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'SupportDesk';
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // Loaded here: the handler reads its environment when loaded.
      const { handler } = require('../../lambdas/handlers/validate-actor') as typeof ValidateActor;
      const context = { functionName: 'validate-actor', awsRequestId: 'r', getRemainingTimeInMillis: () => 3000 } as unknown as Context;
      expect(await handler({ actor: 'agent', agentId: 'agent-7' }, context)).toEqual({ valid: true, actor: 'agent', agentId: 'agent-7' });
      expect(await handler({ actor: 'agent', agentId: 'x'.repeat(129) }, context)).toEqual({ valid: false, actor: 'agent', agentId: '?' });
      expect(await handler(null, context)).toEqual({ valid: true, actor: 'caller', agentId: '-' });
    } finally {
      quiet.mockRestore();
    }
  });

  it('the events may say who acted, and nothing else: closed schemas', () => {
    const detail = {
      ...sampleEventBase('password-reset-start'),
    };
    expect(detailProblems('ResetStarted', detail)).toEqual([]);
    expect(detailProblems('ResetStarted', { ...detail, actor: 'agent', agentId: 'agent-7' })).toEqual([]);
    expect(detailProblems('ResetStarted', { ...detail, actor: 'agent', agentId: '?' })).toEqual([]);
    expect(detailProblems('ResetStarted', { ...detail, actor: 'caller', agentId: '-' })).toEqual([]);
    expect(detailProblems('ResetStarted', { ...detail, actor: 'supervisor', agentId: '-' })).not.toEqual([]);
    expect(detailProblems('ResetStarted', { ...detail, actor: 'agent', agentId: 'agent 7' })).not.toEqual([]);
    expect((DETAIL_SCHEMAS.ResetStarted as { required: string[] }).required).not.toContain('actor');
  });
});

describe('the audit chain: format v1 (no actor), then v2 (actor, agentId)', () => {
  const base = (seq: number, prevHash: string): AuditRecord => ({
    employeeId: '1234567',
    seq,
    day: '2026-11-25',
    at: '2026-11-25T20:42:05.123Z',
    eventId: `e-${seq}`,
    workflow: 'password-reset-start',
    step: 'START',
    outcome: 'CODE_SENT',
    reason: 'OK',
    sessionId: `s-${seq}`,
    contactId: 'c-1',
    callerNumberMasked: '+*******0100',
    locale: 'en-US',
    executionId: `x-${seq}`,
    prevHash,
    hash: '',
  });
  const seal = (record: AuditRecord): AuditRecord => ({ ...record, hash: auditHash(record) });

  function mixedChain(): AuditRecord[] {
    const r1 = seal(base(1, GENESIS));
    const r2 = seal(base(2, r1.hash));
    const r3 = seal({ ...base(3, r2.hash), actor: 'agent', agentId: 'agent-7' });
    const r4 = seal({ ...base(4, r3.hash), actor: 'caller', agentId: '-' });
    return [r1, r2, r3, r4];
  }

  it('v2 is the v1 fields in the v1 order, then actor, then agentId', () => {
    expect(CHAINED_FIELDS_V2).toEqual([...CHAINED_FIELDS_V1, 'actor', 'agentId']);
    expect(CHAINED_FIELDS_V1).toHaveLength(15);
    const [r1, , r3] = mixedChain();
    expect(chainFieldsOf(r1!)).toBe(CHAINED_FIELDS_V1);
    expect(chainFieldsOf(r3!)).toBe(CHAINED_FIELDS_V2);
    expect(chainInput(r3!)).toBe(`${chainInput({ ...r3!, actor: undefined })}|agent|agent-7`);
    // What the ASL's States.Format writes: 17 fields joined by "|".
    expect(chainInput(r3!).split('|')).toHaveLength(17);
    expect(storedFieldsOf(r1!).has('actor')).toBe(false);
    expect(storedFieldsOf(r3!).has('agentId')).toBe(true);
  });

  it('a chain of v1 records followed by v2 records verifies', () => {
    expect(verifyChain(mixedChain())).toEqual([]);
  });

  it.each([
    ['an agent made a caller', (c: AuditRecord[]) => (c[2] = { ...c[2]!, actor: 'caller', agentId: '-' }), 3],
    ['another agent', (c: AuditRecord[]) => (c[2] = { ...c[2]!, agentId: 'agent-8' }), 3],
    ['a caller made an agent', (c: AuditRecord[]) => (c[3] = { ...c[3]!, actor: 'agent', agentId: 'agent-7' }), 4],
    ['a v1 record given an actor', (c: AuditRecord[]) => (c[0] = { ...c[0]!, actor: 'caller', agentId: '-' }), 1],
    [
      'a v2 record stripped to v1',
      (c: AuditRecord[]) => {
        const { actor: _a, agentId: _d, ...v1 } = c[2]!;
        c[2] = v1;
      },
      3,
    ],
  ])('%s is HASH_MISMATCH', (_name, tamper, seq) => {
    const chain = mixedChain();
    tamper(chain);
    expect(verifyChain(chain)).toEqual([expect.objectContaining({ seq, problem: 'HASH_MISMATCH' })]);
  });
});
