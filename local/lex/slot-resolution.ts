/**
 * Slot value resolution for the twin's Lex runtime: the slot types the bots use — custom types on
 * AMAZON.AlphaNumeric with a regular expression, AMAZON.Number, AMAZON.Confirmation, and custom
 * types with values and synonyms. Keypad input honours the slot's DTMF settings.
 */
import type { LexLocaleId, LocaleDefinition, SlotDefinition } from '../../lex/bot-definition';
import { keypadDigits, normalizeText, spokenDigits } from './spoken-input';

export interface ResolvedValue {
  originalValue: string;
  interpretedValue: string;
  resolvedValues: string[];
}

const CONFIRMATIONS: Record<LexLocaleId, { yes: string[]; no: string[] }> = {
  en_US: {
    yes: [
      'yes',
      'yeah',
      'yep',
      'yup',
      'correct',
      'that is right',
      'thats right',
      'right',
      'sure',
      'ok',
      'okay',
      'affirmative',
      'that is correct',
      'thats correct',
      '1',
    ],
    no: ['no', 'nope', 'nah', 'wrong', 'incorrect', 'that is wrong', 'thats wrong', 'not right', 'negative', '2'],
  },
  es_US: {
    yes: ['si', 'sí', 'correcto', 'es correcto', 'claro', 'asi es', 'afirmativo', 'vale', '1'],
    no: ['no', 'incorrecto', 'no es correcto', 'negativo', '2'],
  },
};

export function resolveSlotValue(
  slot: SlotDefinition,
  text: string,
  locale: LocaleDefinition,
  inputMode: 'Text' | 'Speech' | 'DTMF',
): ResolvedValue | undefined {
  const localeId = locale.localeId;
  const typed = inputMode === 'DTMF' && slot.dtmf ? keypadDigits(text, slot.dtmf.endCharacter, slot.dtmf.deletionCharacter) : text;
  const original = text.trim();
  const value = (interpreted: string): ResolvedValue => ({
    originalValue: original,
    interpretedValue: interpreted,
    resolvedValues: [interpreted],
  });

  if (slot.slotTypeName === 'AMAZON.Confirmation') {
    const answer = confirmation(typed, localeId);
    return answer ? value(answer) : undefined;
  }
  if (slot.slotTypeName === 'AMAZON.Number') {
    const n = normalizeText(typed);
    if (/^-?\d+(\.\d+)?$/.test(n)) return value(n);
    const digits = spokenDigits(typed, localeId);
    return digits ? value(String(Number(digits))) : undefined;
  }
  const type = locale.slotTypes.find((t) => t.name === slot.slotTypeName);
  if (!type) return undefined;
  if (type.regexPattern) {
    const candidate = inputMode === 'DTMF' ? typed : (spokenDigits(typed, localeId) ?? normalizeText(typed).replace(/\s/g, ''));
    return new RegExp(`^(?:${type.regexPattern})$`).test(candidate) ? value(candidate) : undefined;
  }
  const said = normalizeText(typed);
  const match = type.values?.find((v) => [v.value, ...(v.synonyms ?? [])].some((s) => normalizeText(s) === said));
  return match ? value(match.value) : undefined;
}

/** "Yes" / "No" for AMAZON.Confirmation, or undefined. */
export function confirmation(text: string, localeId: LexLocaleId): 'Yes' | 'No' | undefined {
  const said = normalizeText(text.replace(/#$/, ''));
  const words = CONFIRMATIONS[localeId];
  if (words.yes.some((y) => normalizeText(y) === said)) return 'Yes';
  if (words.no.some((n) => normalizeText(n) === said)) return 'No';
  return undefined;
}
