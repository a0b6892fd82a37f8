import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { ja } from './ja.js';
import { ko } from './ko.js';
import { pt } from './pt.js';
import { ru } from './ru.js';
import type { Family, Phrases } from './types.js';
import { uk } from './uk.js';
import { languageBit, screenedLanguages } from './screen.js';
import { zh } from './zh.js';

export type { Family, Phrases } from './types.js';

/** Every language with phrases, English first. */
export const LANGUAGES: readonly Phrases[] = [en, zh, ja, ko, ru, uk, es, pt, fr, de, it];

/** What each family of directive does, as a finding says it. */
export const FAMILY_MEANING: Readonly<Record<Family, string>> = {
  'ignore-instructions': 'tells the model to ignore its instructions',
  authority: 'claims system authority over the model',
  concealment: 'asks the model to keep something from the user',
  'standing-order': 'gives the model a standing order for other actions',
  steering: 'orders the use of other tools',
  'behaviour-change': 'changes how other tools behave',
  exfiltration: 'asks the model to send the conversation or secrets out',
  'consent-bypass': "tells the model to act without the user's confirmation",
  redirect: 'redirects where messages, payments or files go',
};

const FAMILIES = Object.keys(FAMILY_MEANING) as Family[];

/** The languages whose script a text has letters of (all Latin-script languages always). */
export function languagesOf(text: string): Phrases[] {
  return LANGUAGES.filter((l) => l.script === undefined || l.script.test(text));
}

/** One directive found in a text. */
export interface Directive {
  family: Family;
  language: string;
  match: string;
}

function patternsOf(phrases: Phrases, family: Family): readonly RegExp[] {
  const patterns = phrases.families[family];
  return Array.isArray(patterns) ? patterns : patterns ? [patterns as RegExp] : [];
}

/**
 * V8 compiles a regexp to machine code only while its source is under about 20,000 characters; a larger one is
 * interpreted, tens of times slower (English's patterns together crossed that line, and the classifiers went from
 * ~20 ms to ~470 ms on 20,000 short texts). The combined passes are kept well under it.
 */
const COMBINED_SOURCE_MAX = 8000;

/**
 * A language's patterns in a few combined passes: most texts hold no directive, and a pass that finds nothing is
 * several times cheaper than one pass per pattern. Only where every pattern has the same flags (they do, per language).
 */
function combinedPasses(phrases: Phrases): RegExp[] | undefined {
  const all = FAMILIES.flatMap((family) => patternsOf(phrases, family));
  const flags = all[0]?.flags;
  if (!all.every((p) => p.flags === flags)) return undefined;
  const chunks: RegExp[][] = [];
  let size = 0;
  for (const pattern of all) {
    if (chunks.length === 0 || size + pattern.source.length > COMBINED_SOURCE_MAX) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(pattern);
    size += pattern.source.length + 6;
  }
  return chunks.map((chunk) => new RegExp(chunk.map((p) => `(?:${p.source})`).join('|'), flags));
}

const anyOf = new Map<Phrases, RegExp[] | undefined>(
  LANGUAGES.map((phrases) => [phrases, combinedPasses(phrases)]),
);

/** Each language's bit in the screen's result; 0 for one its table does not know (stale), searched on every text. */
const bits = new Map(LANGUAGES.map((phrases) => [phrases, languageBit(phrases.language)]));
const unscreened = [...bits.values()].includes(0);

/** The directives of each family a text contains, the first match of each family (in any language). */
export function findDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  // Only a language one of whose literals the text holds can match (which implies its script's letters, too).
  const screened = screenedLanguages(text);
  if (screened === 0 && !unscreened) return out;
  const languages = LANGUAGES.filter((l) => {
    const bit = bits.get(l)!;
    return (bit === 0 || (screened & bit) !== 0) && (anyOf.get(l)?.some((pass) => pass.test(text)) ?? true);
  });
  if (languages.length === 0) return out;
  for (const family of FAMILIES) {
    for (const phrases of languages) {
      let match: RegExpExecArray | null = null;
      for (const pattern of patternsOf(phrases, family)) if ((match = pattern.exec(text))) break;
      if (!match) continue;
      // A sentence that forbids sending something out ("never include API keys") asks for nothing.
      if (family === 'exfiltration' && negated(text, match.index, match.index + match[0].length, phrases))
        continue;
      out.push({ family, language: phrases.language, match: match[0] });
      break;
    }
  }
  return out;
}

/** How far around a match a sentence is looked at for a prohibition. */
const SENTENCE_REACH = 300;

/**
 * Whether the sentence a match sits in is a prohibition in the given language: the words before the match, or for
 * languages that negate after the verb (Japanese, Korean) the words after it up to the sentence's end.
 */
export function negated(text: string, start: number, end: number, phrases: Phrases): boolean {
  if (!phrases.negation) return false;
  // "Sende keine Passwörter", "send no passwords": the prohibition may sit inside the matched words.
  if (phrases.negation.test(text.slice(start, end))) return true;
  if (phrases.negationAfter) {
    const rest = text.slice(start, end + SENTENCE_REACH);
    const stop = rest.search(/[.!?](?=\s|$)|\n|[。！？]/u);
    return phrases.negation.test(stop === -1 ? rest : rest.slice(0, Math.max(stop, end - start)));
  }
  const before = text.slice(Math.max(0, start - SENTENCE_REACH), start);
  // The clause, not the sentence: "to avoid data loss, you must pass…" is no prohibition.
  const boundaries = [...before.matchAll(/[.!?,;:](?=\s)|\n|[。！？，；：]/gu)];
  const last = boundaries.at(-1);
  return phrases.negation.test(last ? before.slice(last.index + last[0].length) : before);
}
