/**
 * How Lex V2 reads keypad (DTMF) input on a call, from its DTMF settings
 * (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_DTMFSpecification.html):
 * - the end character ends the input at once;
 * - the deletion character clears what was keyed and ends the input at once (an empty input);
 * - at `maxLength` digits the input ends, and any key pressed after that belongs to the next input
 *   (a "1234567#" with maxLength 7 leaves a lone "#" for the next prompt);
 * - otherwise the input ends `endTimeoutMs` after the last key.
 * Settings come from `x-amz-lex:dtmf:<setting>:<intent>:<slot>` session attributes (`*` for any;
 * the most specific wins, https://docs.aws.amazon.com/lexv2/latest/dg/session-attribs-speech.html),
 * then the slot's own DTMF specification, then Connect's defaults (end `#`, deletion `*`, end timeout
 * 5 s, maximum 1,024 digits: "Configurable fields for DTMF input" in
 * https://docs.aws.amazon.com/connect/latest/adminguide/get-customer-input.html). Where AWS does not
 * document the order between a session attribute and the slot's setting, the session attribute wins.
 */
import type { DtmfSpecification } from '../../lex/bot-definition';

export const CONNECT_DTMF_DEFAULTS: DtmfSpecification = { maxLength: 1024, endCharacter: '#', deletionCharacter: '*', endTimeoutMs: 5000 };

export interface KeypadRead {
  /** The digits Lex hears (without the end character). */
  value: string;
  /** What ended the input. */
  endedBy: 'end-character' | 'deletion-character' | 'max-length' | 'end-timeout';
  /** Keys pressed after the input ended: the start of the next input. */
  rest: string;
}

export function readKeypad(keys: string, spec: DtmfSpecification): KeypadRead {
  let value = '';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    const rest = keys.slice(i + 1);
    if (key === spec.deletionCharacter) return { value: '', endedBy: 'deletion-character', rest };
    if (key === spec.endCharacter) return { value, endedBy: 'end-character', rest };
    value += key;
    if (value.length >= spec.maxLength) return { value, endedBy: 'max-length', rest };
  }
  return { value, endedBy: 'end-timeout', rest: '' };
}

const SETTINGS = {
  maxLength: 'max-length',
  endCharacter: 'end-character',
  deletionCharacter: 'deletion-character',
  endTimeoutMs: 'end-timeout-ms',
} as const;

/** The DTMF settings in force while Lex elicits `slot` of `intent` (or an intent, when both are absent). */
export function dtmfSettings(
  sessionAttributes: Readonly<Record<string, string>>,
  target: { intent?: string; slot?: string; slotSpec?: DtmfSpecification },
): DtmfSpecification {
  const scopes = [`${target.intent ?? '*'}:${target.slot ?? '*'}`, `${target.intent ?? '*'}:*`, `*:${target.slot ?? '*'}`, '*:*'];
  const base = target.slotSpec ?? CONNECT_DTMF_DEFAULTS;
  const pick = <K extends keyof DtmfSpecification>(key: K): DtmfSpecification[K] => {
    for (const scope of scopes) {
      const raw = sessionAttributes[`x-amz-lex:dtmf:${SETTINGS[key]}:${scope}`];
      if (raw === undefined) continue;
      if (key === 'maxLength' || key === 'endTimeoutMs') {
        const n = Number(raw);
        if (Number.isInteger(n) && n >= 1 && (key === 'endTimeoutMs' || n <= 1024)) return n as DtmfSpecification[K];
      } else if (/^[A-D0-9#*]$/.test(raw)) return raw as DtmfSpecification[K];
    }
    return base[key];
  };
  return {
    maxLength: pick('maxLength'),
    endCharacter: pick('endCharacter'),
    deletionCharacter: pick('deletionCharacter'),
    endTimeoutMs: pick('endTimeoutMs'),
  };
}
