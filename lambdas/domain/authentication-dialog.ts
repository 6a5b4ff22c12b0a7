/**
 * The authentication bot's dialog, turn by turn (pure: the reset start is injected):
 * ID → read back and confirm (a yes/no slot, so keypad 1/2 works: Lex's built-in confirmation has no
 * keypad mapping) → where the code should go (text or e-mail: asked of every caller alike, whatever
 * channels the ID has, security rule 5) → start the reset (or the unlock the caller chose at the menu)
 * → elicit the code → close so the contact flow can verify it. Session attributes keep only the reset
 * session id, the outcome and the confirmed ID (for an agent, issue #20) — never a code, a password, an
 * email or a phone number. Lex V2 event and response shapes as AWS documents them.
 */
import type { LexV2Event, LexV2Result, LexV2Slots, LexV2IntentState } from 'aws-lambda';
import { isLocale, type Locale } from './locale';
import { EMPLOYEE_ID_PATTERN } from './employee';
import { CODE_PATTERN } from './verification-code';
import type { ResetAction, StartResetInput, StartResetOutput } from './reset-session';
import type { DeliveryChannel } from './recovery-channel';
import { authenticationMessages } from './authentication-messages';

export const EMPLOYEE_ID_SLOT = 'EmployeeId';
export const VERIFICATION_CODE_SLOT = 'VerificationCode';
/** yes / no: whether the ID read back is right. */
export const ID_CONFIRMATION_SLOT = 'EmployeeIdConfirmed';
/** text / email (keypad 1 / 2): where the caller wants the code. */
export const CODE_CHANNEL_SLOT = 'CodeChannel';
/** The CodeChannel slot type's values, and the delivery channel each asks for. */
export const CODE_CHANNEL_VALUES: Record<string, DeliveryChannel> = { text: 'SMS', email: 'EMAIL' };
export const MAX_ID_DENIALS = 3;

/** Session attribute names the contact flow reads. */
export const AUTH_ATTRIBUTES = {
  resetSessionId: 'resetSessionId',
  outcome: 'authOutcome',
  callerNumber: 'callerNumber',
  idDenials: 'employeeIdDenials',
  /** Set by the contact flow from the menu choice: RESET or UNLOCK. */
  action: 'resetAction',
  /** The ID once the caller confirmed it (not a secret): what an agent sees if the call is transferred. */
  confirmedEmployeeId: 'confirmedEmployeeId',
} as const;

export type AuthOutcome = 'CODE_SENT' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'ID_NOT_CONFIRMED';

export interface AuthenticationDependencies {
  /** Runs password-reset-start; throws on error or timeout. */
  startReset(input: StartResetInput): Promise<StartResetOutput>;
}

/** The desk's locale for a Lex locale id (`es_US` → `es-US`); English for one the desk does not speak. */
export function lexLocale(localeId: string): Locale {
  const locale = localeId.replace('_', '-');
  return isLocale(locale) ? locale : 'en-US';
}

function slotValue(slots: LexV2Slots | undefined, name: string): string | undefined {
  const slot = slots?.[name];
  const value = slot?.value.interpretedValue ?? slot?.value.originalValue;
  return typeof value === 'string' ? value.replace(/[\s#-]/g, '') : undefined;
}

export async function authenticationTurn(event: LexV2Event, deps: AuthenticationDependencies): Promise<LexV2Result> {
  const intent = event.sessionState.intent;
  const attributes: Record<string, string> = { ...(event.sessionState.sessionAttributes ?? {}) };
  const say = authenticationMessages(lexLocale(event.bot.localeId));
  const slots = intent.slots ?? {};

  const respond = (
    dialogAction: LexV2Result['sessionState']['dialogAction'],
    state: LexV2IntentState,
    message?: string,
    newSlots: LexV2Slots = slots,
    confirmationState = intent.confirmationState,
  ): LexV2Result => ({
    sessionState: {
      sessionAttributes: attributes,
      dialogAction,
      intent: { name: intent.name, state, slots: newSlots, confirmationState } as LexV2Result['sessionState']['intent'],
    },
    ...(message ? { messages: [{ contentType: 'SSML' as const, content: message }] } : {}),
  });
  const fail = (outcome: AuthOutcome, message: string) => {
    attributes[AUTH_ATTRIBUTES.outcome] = outcome;
    return respond({ type: 'Close' }, 'Failed', message);
  };
  const elicitEmployeeId = (message: string) =>
    respond(
      { type: 'ElicitSlot', slotToElicit: EMPLOYEE_ID_SLOT },
      'InProgress',
      message,
      { ...slots, [EMPLOYEE_ID_SLOT]: null, [ID_CONFIRMATION_SLOT]: null, [CODE_CHANNEL_SLOT]: null },
      'None',
    );

  const code = slotValue(slots, VERIFICATION_CODE_SLOT);
  const codeCollected = Boolean(attributes[AUTH_ATTRIBUTES.resetSessionId]) && code !== undefined && CODE_PATTERN.test(code);
  // Fulfillment (if an alias enables it): nothing to do but close; the flow verifies the code.
  if (event.invocationSource === 'FulfillmentCodeHook') return respond({ type: 'Close' }, codeCollected ? 'Fulfilled' : 'Failed');

  // After the reset started: collect the code, then close so the flow verifies it.
  if (attributes[AUTH_ATTRIBUTES.resetSessionId]) {
    if (codeCollected) return respond({ type: 'Close' }, 'Fulfilled');
    return respond({ type: 'ElicitSlot', slotToElicit: VERIFICATION_CODE_SLOT }, 'InProgress', undefined, {
      ...slots,
      [VERIFICATION_CODE_SLOT]: null,
    });
  }

  const employeeId = slotValue(slots, EMPLOYEE_ID_SLOT);
  if (employeeId === undefined) return respond({ type: 'Delegate' }, 'InProgress');
  if (!EMPLOYEE_ID_PATTERN.test(employeeId)) return elicitEmployeeId(say.retryId);

  const confirmed = slotValue(slots, ID_CONFIRMATION_SLOT)?.toLowerCase();
  if (confirmed !== 'yes' && confirmed !== 'no')
    return respond({ type: 'ElicitSlot', slotToElicit: ID_CONFIRMATION_SLOT }, 'InProgress', say.confirmId(employeeId), {
      ...slots,
      [ID_CONFIRMATION_SLOT]: null,
    });

  if (confirmed === 'no') {
    delete attributes[AUTH_ATTRIBUTES.confirmedEmployeeId];
    const denials = Number(attributes[AUTH_ATTRIBUTES.idDenials] ?? '0') + 1;
    attributes[AUTH_ATTRIBUTES.idDenials] = String(denials);
    if (denials >= MAX_ID_DENIALS) return fail('ID_NOT_CONFIRMED', say.notConfirmed);
    return elicitEmployeeId(say.retryId);
  }

  // Confirmed: where should the code go? The same question for every ID (rule 5).
  attributes[AUTH_ATTRIBUTES.confirmedEmployeeId] = employeeId;
  const channel = CODE_CHANNEL_VALUES[slotValue(slots, CODE_CHANNEL_SLOT)?.toLowerCase() ?? ''];
  if (!channel)
    return respond({ type: 'ElicitSlot', slotToElicit: CODE_CHANNEL_SLOT }, 'InProgress', say.chooseChannel, {
      ...slots,
      [CODE_CHANNEL_SLOT]: null,
    });

  // Start the reset (or unlock) while the caller is on the line.
  const action: ResetAction = attributes[AUTH_ATTRIBUTES.action] === 'UNLOCK' ? 'UNLOCK' : 'RESET';
  let started: StartResetOutput;
  try {
    started = await deps.startReset({
      contactId: event.sessionId,
      employeeId,
      callerNumber: attributes[AUTH_ATTRIBUTES.callerNumber] ?? 'anonymous',
      locale: lexLocale(event.bot.localeId),
      action,
      channelPreference: channel,
    });
  } catch {
    return fail('UNAVAILABLE', say.unavailable);
  }
  if (started.status === 'RATE_LIMITED') return fail('RATE_LIMITED', say.rateLimited);
  if (started.status !== 'CODE_SENT' || !started.sessionId) return fail('UNAVAILABLE', say.unavailable);
  attributes[AUTH_ATTRIBUTES.resetSessionId] = started.sessionId;
  attributes[AUTH_ATTRIBUTES.outcome] = 'CODE_SENT';
  return respond({ type: 'ElicitSlot', slotToElicit: VERIFICATION_CODE_SLOT }, 'InProgress', say.codeSent, {
    ...slots,
    [VERIFICATION_CODE_SLOT]: null,
  });
}
