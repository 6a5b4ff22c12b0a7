/**
 * Intent classification for the twin's Lex runtime, from the bot's sample utterances: exact match
 * after normalization, then token overlap (Dice coefficient, with near-miss spelling tolerance),
 * then containment of a whole sample in a longer sentence. Scores in [0, 1]; below the locale's
 * confidence threshold the input goes to the fallback intent, as in Lex. Written by hand: a small,
 * deterministic stand-in for Lex NLU that needs no model download.
 */
import type { IntentDefinition, LexLocaleId, LocaleDefinition } from '../../lex/bot-definition';
import { normalizeText, spokenDigits } from './spoken-input';

export interface IntentScore {
  intent: IntentDefinition;
  score: number;
  /** Slot values captured from a sample like "my employee ID is {EmployeeId}". */
  capturedText?: Record<string, string>;
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'to',
  'i',
  'im',
  'me',
  'my',
  'please',
  'uh',
  'um',
  'like',
  'just',
  'want',
  'would',
  'need',
  'el',
  'la',
  'un',
  'una',
  'mi',
  'de',
  'con',
  'quiero',
  'por',
  'favor',
  'eh',
]);

function tokens(text: string): string[] {
  return normalizeText(text)
    .split(' ')
    .filter((t) => t && !STOP_WORDS.has(t));
}

function near(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  // One edit apart (substitution, insertion or deletion).
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (a.length > b.length) i += 1;
    else if (b.length > a.length) j += 1;
    else {
      i += 1;
      j += 1;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function dice(input: string[], sample: string[]): number {
  if (input.length === 0 || sample.length === 0) return 0;
  const used = new Set<number>();
  let matches = 0;
  for (const word of input) {
    const k = sample.findIndex((s, idx) => !used.has(idx) && near(word, s));
    if (k >= 0) {
      used.add(k);
      matches += 1;
    }
  }
  return (2 * matches) / (input.length + sample.length);
}

export class IntentClassifier {
  constructor(
    private readonly locale: LocaleDefinition,
    private readonly resolveSlot: (intent: IntentDefinition, slotName: string, text: string) => boolean,
    /** Spoken digit words also select a keypad sample ("one" for "1"): a demo aid (HELPDESK_LENIENT_SPEECH). */
    private readonly lenientSpeech = false,
  ) {}

  /** Every intent with its best score, best first. */
  classify(text: string): IntentScore[] {
    const input = normalizeText(text);
    const inputTokens = tokens(text);
    const digits = this.lenientSpeech ? spokenDigits(text, this.locale.localeId as LexLocaleId, true) : normalizeText(text);
    return this.locale.intents
      .map((intent) => {
        let best: IntentScore = { intent, score: 0 };
        for (const sample of intent.sampleUtterances) {
          const scored = this.score(intent, sample, input, inputTokens, digits);
          if (scored.score > best.score) best = scored;
        }
        return best;
      })
      .sort((a, b) => b.score - a.score);
  }

  private score(intent: IntentDefinition, sample: string, input: string, inputTokens: string[], digits: string | undefined): IntentScore {
    const slot = /\{(\w+)\}/.exec(sample);
    if (slot) {
      const prefix = normalizeText(sample.slice(0, slot.index));
      if (!input.startsWith(prefix)) return { intent, score: 0 };
      const rest = input.slice(prefix.length).trim();
      return this.resolveSlot(intent, slot[1]!, rest) ? { intent, score: 1, capturedText: { [slot[1]!]: rest } } : { intent, score: 0 };
    }
    const normalizedSample = normalizeText(sample);
    if (input === normalizedSample) return { intent, score: 1 };
    // Keypad or spoken single digit against a keypad sample ("1", "one").
    if (/^\d$/.test(normalizedSample)) return { intent, score: digits === normalizedSample ? 0.95 : 0 };
    const sampleTokens = tokens(sample);
    let score = dice(inputTokens, sampleTokens);
    // A whole sample inside a longer sentence ("uh I need a human please").
    if (sampleTokens.length > 0 && sampleTokens.every((t) => inputTokens.some((w) => near(w, t)))) score = Math.max(score, 0.85);
    return { intent, score };
  }
}
