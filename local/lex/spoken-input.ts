/**
 * Normalizing what a caller says or keys, for the twin's Lex runtime: case, accents, punctuation,
 * and spoken digits ("one two three"; "uno dos tres") turned into digits.
 *
 * Strict by default: a digit string is digits or digit words ("zero".."nine", "cero".."nueve") and
 * nothing else, which is what a Lex slot type accepts without help; carrier phrases ("my ID is ...")
 * need slot sample utterances, as on AWS. The twin's old forgiveness ("oh" and "o" for zero, "to",
 * "for", fillers such as "uh" or "my ID is" anywhere) is a demo aid only, behind
 * HELPDESK_LENIENT_SPEECH=1: Lex does not promise it, so a test that passes on it proves nothing.
 */
import type { LexLocaleId } from '../../lex/bot-definition';

const DIGIT_WORDS: Record<LexLocaleId, Record<string, string>> = {
  en_US: {
    zero: '0',
    one: '1',
    two: '2',
    three: '3',
    four: '4',
    five: '5',
    six: '6',
    seven: '7',
    eight: '8',
    nine: '9',
  },
  es_US: { cero: '0', uno: '1', una: '1', dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9' },
};

/** Lower case, accents folded, punctuation (except digits' own signs) to spaces, single-spaced. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9ñ\s'.+-]/g, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The digit string a caller gave, or undefined when the input is not only digits: spoken digit
 * words and keyed digits, separated by spaces or dashes; fillers ("my", "id", "is", "uh") ignored.
 * Signs and decimal points make it not a digit string.
 */
export function spokenDigits(text: string, locale: LexLocaleId, lenient = false): string | undefined {
  const words = normalizeText(text).split(' ').filter(Boolean);
  const digits: string[] = [];
  let sawDigit = false;
  for (const word of words) {
    const mapped = DIGIT_WORDS[locale][word] ?? (lenient ? LENIENT_DIGIT_WORDS[locale][word] : undefined);
    if (mapped !== undefined && ((word !== 'o' && word !== 'to' && word !== 'too' && word !== 'for') || sawDigit || words.length === 1)) {
      digits.push(mapped);
      sawDigit = true;
    } else if (/^\d+(-\d+)*$/.test(word)) {
      digits.push(word.replace(/-/g, ''));
      sawDigit = true;
    } else if (!lenient || !FILLERS.has(word)) {
      return undefined;
    }
  }
  return digits.length > 0 ? digits.join('') : undefined;
}

/** Heard as digits only in lenient mode (homophones Lex's speech recognition may or may not resolve). */
const LENIENT_DIGIT_WORDS: Record<LexLocaleId, Record<string, string>> = {
  en_US: { oh: '0', o: '0', to: '2', too: '2', for: '4' },
  es_US: {},
};

/** Ignored around digits in lenient mode only. */
const FILLERS = new Set([
  'uh',
  'um',
  'er',
  'my',
  'id',
  'is',
  'its',
  'it',
  'employee',
  'number',
  'the',
  'code',
  'and',
  'ok',
  'okay',
  'please',
  'yes',
  'mi',
  'numero',
  'de',
  'empleado',
  'es',
  'el',
  'codigo',
  'eh',
  'este',
  'por',
  'favor',
]);
