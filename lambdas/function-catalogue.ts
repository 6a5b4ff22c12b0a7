/**
 * Every Lambda function of the product, declared once: the twin's Lambda host loads these handlers
 * in-process; the CDK stacks build each entry with NodejsFunction. Plain data, no AWS import.
 */

export interface FunctionDefinition {
  /** Function name in the twin and the base of the physical name in AWS. */
  readonly name: string;
  /** Handler module, relative to the repository root. */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'prepare-reset',
    entry: 'lambdas/handlers/prepare-reset.ts',
    handler: 'handler',
    description: 'password-reset-start: validate input, derive keys and TTLs',
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  {
    name: 'issue-verification-code',
    entry: 'lambdas/handlers/issue-verification-code.ts',
    handler: 'handler',
    description: 'password-reset-start: issue the verification code and e-mail it',
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    name: 'check-verification-code',
    entry: 'lambdas/handlers/check-verification-code.ts',
    handler: 'handler',
    description: 'password-reset-verify: constant-time compare of the code HMAC',
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  {
    name: 'set-temporary-password',
    entry: 'lambdas/handlers/set-temporary-password.ts',
    handler: 'handler',
    description: 'password-reset-verify: generate the temporary password and set it in the directory',
    timeoutSeconds: 10,
    // scrypt is memory-hard; more memory also means more CPU in Lambda.
    memoryMb: 1024,
  },
  {
    name: 'authentication-code-hook',
    entry: 'lambdas/handlers/authentication-code-hook.ts',
    handler: 'handler',
    description: 'employee-authentication-bot dialog code hook: confirm the ID, start the reset, collect the code',
    timeoutSeconds: 8,
    memoryMb: 256,
  },
  {
    name: 'get-prompts',
    entry: 'lambdas/handlers/get-prompts.ts',
    handler: 'handler',
    description: 'Connect: the prompts of a flow in the caller locale',
    timeoutSeconds: 3,
    memoryMb: 256,
  },
  {
    name: 'verify-code',
    entry: 'lambdas/handlers/verify-code.ts',
    handler: 'handler',
    description: 'Connect: runs password-reset-verify and returns status, attemptsLeft, passwordSsml',
    timeoutSeconds: 8,
    memoryMb: 256,
  },
  {
    name: 'security-notice',
    entry: 'lambdas/handlers/security-notice.ts',
    handler: 'handler',
    description: 'PasswordReset → security notice to the employee',
    timeoutSeconds: 15,
    memoryMb: 256,
  },
  {
    name: 'security-alert',
    entry: 'lambdas/handlers/security-alert.ts',
    handler: 'handler',
    description: 'AccountLocked, SuspiciousActivity → alert to the security team (email, SMS)',
    timeoutSeconds: 15,
    memoryMb: 256,
  },
  {
    name: 'sweep-detector',
    entry: 'lambdas/handlers/sweep-detector.ts',
    handler: 'handler',
    description: 'ResetStarted, AccountLocked → SuspiciousActivity once per window over the threshold',
    timeoutSeconds: 15,
    memoryMb: 256,
  },
  {
    name: 'event-metrics',
    entry: 'lambdas/handlers/event-metrics.ts',
    handler: 'handler',
    description: 'every event → EMF metrics by type, locale and reason',
    timeoutSeconds: 10,
    memoryMb: 256,
  },
];

export function functionByName(name: string, catalogue: readonly FunctionDefinition[] = FUNCTIONS): FunctionDefinition {
  const fn = catalogue.find((f) => f.name === name);
  if (!fn) throw new Error(`unknown function ${name}`);
  return fn;
}
