/**
 * The numbers of the timing budget (docs/design.md, "Timing budget"): how long each caller-facing
 * Lambda waits for its workflow, and the most each irreversible call may take. The timing-budget test
 * (test/unit/timing-budget.test.ts) reads these with the flow's Lambda limits, the function catalogue
 * and the ASL, and fails when a worst case no longer fits its deadline. Plain data.
 */
export const TIME_BUDGET = {
  /** The code hook waits this long for `password-reset-start` (Lex waits up to the hook's Lambda timeout). */
  startWorkflowCallMs: 6000,
  /** `verify-code` waits this long for `password-reset-verify` (Connect waits `InvocationTimeLimitSeconds`). */
  verifyWorkflowCallMs: 6000,
  /** Kept back from a call for the answer's way back through the caller's Lambda. */
  responseMarginMs: 500,
  /** What Connect's limit also covers before the handler runs: the invocation and a cold start. */
  invocationOverheadMs: 1000,
  /** The least time an irreversible step must leave the states before it (cold starts included). */
  stepsBeforeMs: 1500,
  /** The most setting a temporary password in the directory may take. */
  passwordSetMs: 2000,
  /** The most clearing a lock-out in the directory may take ("unlock my account"). */
  accountUnlockMs: 2000,
} as const;
