/**
 * What an agent sees on arrival (lambdas/domain/agent-context.ts): each field derived from what the flow
 * knew, allow-listed, and nothing else — a caller's free text never reaches an agent.
 */
import { agentContext, agentContextAttributes } from '../../lambdas/domain/agent-context';

const MAX = 3;

it('a caller who asked for an agent at the menu: not started, no ID, the number masked', () => {
  expect(agentContext({ transferReason: 'AGENT_REQUESTED', locale: 'es-US', callerNumber: '+15555550100' }, MAX)).toEqual({
    verificationState: 'NOT_STARTED',
    transferReason: 'AGENT_REQUESTED',
    locale: 'es-US',
    callerNumberMasked: '+*******0100',
  });
});

it.each([
  [{ authOutcome: 'CODE_SENT' }, 'CODE_SENT'],
  [{ authOutcome: 'RATE_LIMITED' }, 'RATE_LIMITED'],
  [{ authOutcome: 'ID_NOT_CONFIRMED' }, 'ID_NOT_CONFIRMED'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'INVALID', attemptsLeft: '2' }, 'FAILED_1'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'INVALID', attemptsLeft: '1' }, 'FAILED_2'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'LOCKED', attemptsLeft: '0' }, 'LOCKED'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'RESET' }, 'RESET_DONE'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'UNLOCKED' }, 'UNLOCKED'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'EXPIRED' }, 'EXPIRED'],
  [{ authOutcome: 'CODE_SENT', verifyStatus: 'UNAVAILABLE' }, 'UNAVAILABLE'],
  [{ authOutcome: 'whatever a bug put there' }, 'NOT_STARTED'],
] as const)('%j → %s', (facts, state) => {
  expect(agentContext(facts, MAX).verificationState).toBe(state);
});

it('only a confirmed seven-digit ID, only a known reason and locale; a code-shaped or free value never passes', () => {
  const context = agentContext(
    { confirmedEmployeeId: '123456', transferReason: 'your code is 123456', locale: 'fr-FR', callerNumber: '' },
    MAX,
  );
  expect(context).toEqual({
    verificationState: 'NOT_STARTED',
    transferReason: 'UNSPECIFIED',
    locale: 'en-US',
    callerNumberMasked: 'unknown',
  });
  expect(agentContext({ confirmedEmployeeId: '1234567' }, MAX).employeeId).toBe('1234567');
});

it('as contact attributes: the agent* names, no attribute for an ID nobody confirmed', () => {
  expect(
    agentContextAttributes(agentContext({ transferReason: 'LOCKED', confirmedEmployeeId: '1234567', verifyStatus: 'LOCKED' }, MAX)),
  ).toEqual({
    agentEmployeeId: '1234567',
    agentVerificationState: 'LOCKED',
    agentTransferReason: 'LOCKED',
    agentLocale: 'en-US',
    agentCallerNumberMasked: 'unknown',
  });
  expect(Object.keys(agentContextAttributes(agentContext({}, MAX)))).not.toContain('agentEmployeeId');
});
