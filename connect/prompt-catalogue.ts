/**
 * The prompts of each contact flow and locale, from `connect/prompts/<flow>/<locale>.json`:
 * seeded into the prompts table by the twin (and by deployment), read by `get-prompts`.
 * `aliases` are other flow names served the same prompts (e.g. the sample flow exported from Connect).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PromptSet {
  flow: string;
  locale: string;
  prompts: Record<string, string>;
}

/** The prompts-table items: one per flow name (and alias) and locale. */
export function loadPromptSets(root = join(__dirname, 'prompts')): PromptSet[] {
  const sets: PromptSet[] = [];
  for (const flow of readdirSync(root)) {
    for (const file of readdirSync(join(root, flow)).filter((f) => f.endsWith('.json'))) {
      const locale = file.replace(/\.json$/, '');
      const content = JSON.parse(readFileSync(join(root, flow, file), 'utf8')) as { aliases?: string[]; prompts: Record<string, string> };
      for (const name of [flow, ...(content.aliases ?? [])]) sets.push({ flow: name, locale, prompts: content.prompts });
    }
  }
  return sets;
}
