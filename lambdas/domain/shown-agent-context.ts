/**
 * What an agent may see of a queued contact (issue #20, "context on arrival"): built ONLY from the
 * allow-listed agent* contact attributes the flow writes before the transfer
 * (AGENT_CONTEXT_ATTRIBUTES, lambdas/domain/agent-context.ts), each checked against its pattern or
 * enum here, at the point of showing it; a value that fails its check is dropped, so its field is
 * absent. No other attribute is ever copied: a contact also holds prompt texts and session state, and
 * a future bug could put a secret there. The allow-list is the guard, not the writer's good behaviour.
 */
import { AGENT_CONTEXT_ATTRIBUTES, TRANSFER_REASONS, VERIFICATION_STATES, type AgentContext } from './agent-context';
import { EMPLOYEE_ID_PATTERN } from './employee';
import { isLocale } from './locale';

/** The context as shown: any field whose attribute is absent or fails its check is left out. */
export type ShownAgentContext = Partial<AgentContext>;

/**
 * A calling number as lambdas/domain/masking.ts masks it (`+*******0100`: at most 4 digits shown, of
 * an E.164 number of at most 15), `****` for a number too short to mask, or `unknown` when there was none.
 */
export const MASKED_NUMBER_PATTERN = /^(?:\+\*{0,11}[0-9]{4}|\*{4}|unknown)$/;

const oneOf =
  (values: readonly string[]) =>
  (value: string): boolean =>
    values.includes(value);

/** Each field's check; `-?` makes the compiler insist on one per field of AgentContext. */
const CHECKS: { readonly [K in keyof AgentContext]-?: (value: string) => boolean } = {
  employeeId: (value) => EMPLOYEE_ID_PATTERN.test(value),
  verificationState: oneOf(VERIFICATION_STATES),
  transferReason: oneOf(TRANSFER_REASONS),
  locale: isLocale,
  callerNumberMasked: (value) => MASKED_NUMBER_PATTERN.test(value),
};

export function shownAgentContext(attributes: Readonly<Record<string, unknown>>): ShownAgentContext {
  const context: Partial<Record<keyof AgentContext, string>> = {};
  for (const field of Object.keys(CHECKS) as Array<keyof AgentContext>) {
    const name = AGENT_CONTEXT_ATTRIBUTES[field];
    const value = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
    if (typeof value === 'string' && CHECKS[field](value)) context[field] = value;
  }
  return context as ShownAgentContext;
}
