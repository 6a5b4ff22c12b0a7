/**
 * Slot value resolution for the twin's Lex runtime, for the slot types the bots use:
 * - custom types extending AMAZON.AlphaNumeric with a regular expression (the whole value must match;
 *   https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slot-alphanumeric.html): keyed digits, or
 *   spoken digits and letters with nothing else around them;
 * - custom types with values and synonyms: TOP_RESOLUTION gives the value a synonym belongs to,
 *   ORIGINAL_VALUE what the caller said (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_SlotValueSelectionSetting.html);
 * - AMAZON.Number: numerals, and numbers said as words ("one hundred twenty three"); a string of
 *   separately spoken digits is not a number to Lex, so the twin refuses it;
 * - AMAZON.Confirmation: the yes/no phrases of the locale
 *   (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slot-confirmation.html). Not keypad "1"/"2":
 *   AWS documents no DTMF mapping for it.
 * Keypad input arrives here already cut by the slot's DTMF settings (keypad-input.ts).
 */
import type { LexLocaleId, LocaleDefinition, SlotDefinition } from '../../lex/bot-definition';
import { normalizeText, spokenDigits } from './spoken-input';

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
      'that is correct',
      'thats correct',
    ],
    no: ['no', 'nope', 'nah', 'wrong', 'incorrect', 'that is wrong', 'thats wrong', 'not right'],
  },
  es_US: {
    yes: ['si', 'sí', 'correcto', 'es correcto', 'claro', 'asi es', 'vale'],
    no: ['no', 'incorrecto', 'no es correcto'],
  },
};

export function resolveSlotValue(
  slot: SlotDefinition,
  text: string,
  locale: LocaleDefinition,
  inputMode: 'Text' | 'Speech' | 'DTMF',
  options: { lenientSpeech?: boolean } = {},
): ResolvedValue | undefined {
  const localeId = locale.localeId;
  const original = text.trim();
  if (original === '') return undefined;
  const value = (interpreted: string, resolved: string[] = [interpreted]): ResolvedValue => ({
    originalValue: original,
    interpretedValue: interpreted,
    resolvedValues: resolved,
  });

  if (slot.slotTypeName === 'AMAZON.Confirmation') {
    const answer = confirmation(original, localeId);
    return answer ? value(answer) : undefined;
  }
  if (slot.slotTypeName === 'AMAZON.Number') {
    const n = normalizeText(original);
    if (/^-?\d+(\.\d+)?$/.test(n)) return value(n);
    const worded = numberFromWords(n, localeId);
    if (worded !== undefined) return value(String(worded));
    const digits = options.lenientSpeech ? spokenDigits(original, localeId, true) : undefined;
    return digits ? value(String(Number(digits))) : undefined;
  }
  const type = locale.slotTypes.find((t) => t.name === slot.slotTypeName);
  if (!type) return undefined;
  if (type.regexPattern) {
    const candidate =
      inputMode === 'DTMF'
        ? original
        : (spokenDigits(original, localeId, options.lenientSpeech) ??
          (/^[a-z0-9]+$/.test(normalizeText(original)) ? normalizeText(original) : ''));
    return new RegExp(`^(?:${type.regexPattern})$`).test(candidate) ? value(candidate) : undefined;
  }
  const said = normalizeText(original);
  const match = type.values?.find((v) => [v.value, ...(v.synonyms ?? [])].some((s) => normalizeText(s) === said));
  if (!match) return undefined;
  return type.resolution === 'TOP_RESOLUTION' ? value(match.value) : value(original, [match.value]);
}

/** "Yes" / "No" for AMAZON.Confirmation, or undefined. */
export function confirmation(text: string, localeId: LexLocaleId): 'Yes' | 'No' | undefined {
  const said = normalizeText(text);
  const words = CONFIRMATIONS[localeId];
  if (words.yes.some((y) => normalizeText(y) === said)) return 'Yes';
  if (words.no.some((n) => normalizeText(n) === said)) return 'No';
  return undefined;
}

const EN_UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const EN_TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ES_WORDS: Record<string, number> = {
  cero: 0,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  veinte: 20,
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
  cien: 100,
};

/**
 * A cardinal number said in words, as one number ("one hundred twenty three" → 123, "twenty-one"),
 * or undefined. Two unit words in a row ("one two") are digits, not a number: refused.
 */
export function numberFromWords(normalized: string, localeId: LexLocaleId): number | undefined {
  const words = normalized
    .replace(/-/g, ' ')
    .split(' ')
    .filter((w) => w && w !== 'and' && w !== 'y');
  if (words.length === 0) return undefined;
  if (localeId === 'es_US') {
    // Simple Spanish cardinals: one word, or "treinta y dos".
    const values = words.map((w) => ES_WORDS[w]);
    if (values.some((v) => v === undefined)) return undefined;
    if (values.length === 1) return values[0];
    if (values.length === 2 && values[0]! >= 20 && values[0]! % 10 === 0 && values[1]! < 10) return values[0]! + values[1]!;
    return undefined;
  }
  let total = 0;
  let current = 0;
  let previous: 'unit' | 'tens' | 'scale' | undefined;
  for (const word of words) {
    if (word in EN_UNITS) {
      if (previous === 'unit' || (previous === 'tens' && EN_UNITS[word]! >= 10)) return undefined;
      if (previous === 'tens' && EN_UNITS[word] === 0) return undefined;
      current += EN_UNITS[word]!;
      previous = 'unit';
    } else if (word in EN_TENS) {
      if (previous === 'unit' || previous === 'tens') return undefined;
      current += EN_TENS[word]!;
      previous = 'tens';
    } else if (word === 'hundred') {
      if (current === 0 || current >= 100) return undefined;
      current *= 100;
      previous = 'scale';
    } else if (word === 'thousand' || word === 'million') {
      if (current === 0) return undefined;
      total += current * (word === 'thousand' ? 1_000 : 1_000_000);
      current = 0;
      previous = 'scale';
    } else return undefined;
  }
  return total + current;
}
