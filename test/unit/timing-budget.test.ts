/**
 * The timing budget holds by construction (docs/design.md, "Timing budget"): read from the ASL, the
 * function catalogue, the flow and TIME_BUDGET, every worst case fits its deadline; and the check is
 * not blind: each planted violation (a task timeout raised past its deadline, a missing timeout, a
 * function outliving its state, a step budget too large, a caller waiting too long) is caught.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBudgetInputs, timingBudget, type BudgetInputs } from '../../state-machines/timing-budget';
import { taskWorstCaseSeconds, worstCaseSeconds, tailAfterSeconds, type AslDefinition } from '../../state-machines/worst-case';
import { DeadlineExceededError, respondBy, timeForIrreversibleStep, within } from '../../lambdas/domain/deadline';

const ROOT = resolve(__dirname, '../..');
const real = loadBudgetInputs(ROOT);

/** A deep copy of the real inputs with one change. */
function planted(change: (inputs: BudgetInputs) => void): BudgetInputs {
  const copy = JSON.parse(JSON.stringify({ ...real, budget: { ...real.budget } })) as BudgetInputs;
  change(copy);
  return copy;
}

describe('the real numbers', () => {
  const budget = timingBudget(real);

  it('have no finding', () => {
    expect(budget.findings).toEqual([]);
  });

  it("cover the irreversible steps in a caller's path, with room before them and a reserve that covers what follows", () => {
    // The code is sent off the caller's path (issue-verification-code consumes VerificationCodeRequested);
    // setting a password and unlocking an account are in it.
    expect(budget.steps.map((s) => `${s.workflow}.${s.task}`)).toEqual([
      'password-reset-verify.SetTemporaryPassword',
      'password-reset-verify.UnlockAccount',
    ]);
    for (const step of budget.steps) {
      expect(step.tailSeconds).toBeLessThanOrEqual(step.reserveSeconds);
      expect(step.latestStartMs).toBeGreaterThanOrEqual(real.budget.stepsBeforeMs);
    }
  });

  it('are the ones docs/design.md states', () => {
    const design = readFileSync(resolve(ROOT, 'docs/design.md'), 'utf8');
    for (const w of budget.workflows) expect(design).toContain(`\`${w.name}\` worst case ${w.worstCaseSeconds} s`);
    for (const s of budget.steps) expect(design).toContain(`\`${s.task}\`: latest start ${s.latestStartMs} ms`);
  });
});

describe('planted violations are caught', () => {
  const findingsOf = (inputs: BudgetInputs) => timingBudget(inputs).findings.join('\n');

  it('a task timeout after the password step raised past its reserve', () => {
    const inputs = planted((i) => {
      i.workflows['password-reset-verify']!.States.EmitPasswordReset!.TimeoutSeconds = 3;
    });
    expect(findingsOf(inputs)).toMatch(/SetTemporaryPassword: the states after it can take 3 s, more than its reserveSeconds 1/);
  });

  it('a task timeout after the unlock raised past its reserve', () => {
    const inputs = planted((i) => {
      i.workflows['password-reset-verify']!.States.EmitAccountUnlocked!.TimeoutSeconds = 2;
    });
    expect(findingsOf(inputs)).toMatch(/UnlockAccount: the states after it can take 2 s, more than its reserveSeconds 1/);
  });

  it('an unlock that outlives its state, or whose budget leaves no room before it', () => {
    const outlives = planted((i) => {
      i.functions = i.functions.map((f) => (f.name === 'unlock-account' ? { ...f, timeoutSeconds: 6 } : f));
    });
    expect(findingsOf(outlives)).toMatch(/UnlockAccount: TimeoutSeconds 5 is shorter than unlock-account's timeout 6 s/);
    const tooLong = planted((i) => {
      (i.budget as { accountUnlockMs: number }).accountUnlockMs = 3500;
    });
    expect(findingsOf(tooLong)).toMatch(/UnlockAccount: it must start within 1000 ms of the call/);
  });

  it('a task timeout raised until a path outlasts the execution timeout', () => {
    const inputs = planted((i) => {
      i.workflows['password-reset-verify']!.States.LoadSession!.TimeoutSeconds = 100;
    });
    expect(findingsOf(inputs)).toMatch(/password-reset-verify: worst case \d+ s exceeds the execution's TimeoutSeconds 270/);
  });

  it('a Task without TimeoutSeconds', () => {
    const inputs = planted((i) => {
      delete i.workflows['password-reset-start']!.States.LookUpEmployee!.TimeoutSeconds;
    });
    expect(findingsOf(inputs)).toMatch(/LookUpEmployee: a Task without TimeoutSeconds/);
  });

  it('a function that outlives its state', () => {
    const inputs = planted((i) => {
      i.functions = i.functions.map((f) => (f.name === 'set-temporary-password' ? { ...f, timeoutSeconds: 12 } : f));
    });
    expect(findingsOf(inputs)).toMatch(/SetTemporaryPassword: TimeoutSeconds 10 is shorter than set-temporary-password's timeout 12 s/);
  });

  it('an irreversible step whose budget leaves no room for the states before it', () => {
    const inputs = planted((i) => {
      (i.budget as { passwordSetMs: number }).passwordSetMs = 4000;
    });
    expect(findingsOf(inputs)).toMatch(/SetTemporaryPassword: it must start within 500 ms of the call/);
  });

  it('an irreversible step without a deadline', () => {
    const inputs = planted((i) => {
      delete i.workflows['password-reset-verify']!.States.SetTemporaryPassword!.Parameters!['respondBy.$'];
    });
    expect(findingsOf(inputs)).toMatch(/SetTemporaryPassword: an irreversible step needs respondBy/);
  });

  it('a caller that waits longer than Connect does', () => {
    const inputs = planted((i) => {
      (i.budget as { verifyWorkflowCallMs: number }).verifyWorkflowCallMs = 7000;
    });
    expect(findingsOf(inputs)).toMatch(/verify-code needs 8500 ms/);
  });

  it('a Connect limit past 8 seconds, and a Lambda that outlives it', () => {
    const inputs = planted((i) => {
      i.connectLambdaLimits = [
        { functionName: 'verify-code', seconds: 9 },
        { functionName: 'get-prompts', seconds: 2 },
      ];
    });
    expect(findingsOf(inputs)).toMatch(/verify-code with InvocationTimeLimitSeconds 9/);
    expect(findingsOf(inputs)).toMatch(/get-prompts may run 3 s, longer than Connect waits \(2 s\)/);
  });

  it('a loop no counter bounds', () => {
    const inputs = planted((i) => {
      i.workflows['password-reset-verify']!.States.AuditRace!.Next = 'ReadAuditChain';
    });
    expect(findingsOf(inputs)).toMatch(/AuditRace → ReadAuditChain: a loop no Choice bounds/);
  });
});

describe('worst case of ASL', () => {
  it('counts attempts, capped backoff and a counted loop', () => {
    expect(
      taskWorstCaseSeconds('T', {
        Type: 'Task',
        TimeoutSeconds: 2,
        Retry: [{ ErrorEquals: ['X'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 3 }],
      }),
    ).toBe(4 * 2 + 1 + 2 + 3);
    const loop: AslDefinition = {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Next: 'Work' },
        Work: { Type: 'Task', Resource: 'r', TimeoutSeconds: 1, Next: 'Again?' },
        'Again?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 4, Next: 'Work' }], Default: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    };
    expect(worstCaseSeconds(loop)).toBe(1 + 4 * 1);
  });

  it('follows what is known of $.result, so a second pass with another outcome is not a loop', () => {
    const twice: AslDefinition = {
      StartAt: 'Authorize',
      States: {
        Authorize: { Type: 'Pass', Result: { outcome: 'GO' }, ResultPath: '$.result', Next: 'Record' } as never,
        Record: { Type: 'Task', Resource: 'r', TimeoutSeconds: 1, Next: 'Go?' },
        'Go?': { Type: 'Choice', Choices: [{ Variable: '$.result.outcome', StringEquals: 'GO', Next: 'Act' } as never], Default: 'Done' },
        Act: { Type: 'Task', Resource: 'r', TimeoutSeconds: 5, Next: 'Done', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] },
        Failed: { Type: 'Pass', Result: { outcome: 'ERROR', status: 'UNAVAILABLE' }, ResultPath: '$.result', Next: 'Record' } as never,
        Done: { Type: 'Pass', End: true },
      },
    };
    expect(worstCaseSeconds(twice)).toBe(1 + 5 + 1);
    expect(tailAfterSeconds(twice, 'Act', { outcome: 'GO' })).toBe(0);
  });
});

describe('the deadline guard (lambdas/domain/deadline.ts)', () => {
  const now = Date.parse('2026-11-26T10:00:00.000Z');
  const deadline = respondBy(6000, 500, now);

  it('lets a step start while it and the reserve still end by respondBy', () => {
    expect(deadline).toBe('2026-11-26T10:00:05.500Z');
    expect(timeForIrreversibleStep({ respondBy: deadline, reserveSeconds: 1 }, 2000, now + 2500)).toBe(2000);
  });

  it('refuses a step that could end after respondBy, and a missing or malformed deadline', () => {
    expect(() => timeForIrreversibleStep({ respondBy: deadline, reserveSeconds: 1 }, 2000, now + 2501)).toThrow(DeadlineExceededError);
    for (const bad of [undefined, '', 'soon', '2026-11-26T10:00:05Z', 1_700_000_000_000])
      expect(() => timeForIrreversibleStep({ respondBy: bad, reserveSeconds: 1 }, 2000, now)).toThrow(/no valid respondBy/);
    expect(() => timeForIrreversibleStep({ respondBy: deadline, reserveSeconds: '1' }, 2000, now)).toThrow(/no valid reserveSeconds/);
  });

  it('gives up on a call that outlasts its budget, aborting it', async () => {
    let aborted = false;
    const slow = (signal: AbortSignal) =>
      new Promise<never>(() => {
        signal.addEventListener('abort', () => {
          aborted = true;
        });
      });
    await expect(within(20, slow, () => new Error('gave up'))).rejects.toThrow('gave up');
    expect(aborted).toBe(true);
    await expect(
      within(
        1000,
        async () => 'done',
        () => new Error('no'),
      ),
    ).resolves.toBe('done');
  });
});
