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
import { patternId, screenedPatterns } from './screen.js';
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

/** The Latin-script languages: every script a language names lies outside ASCII. */
const LATIN: readonly Phrases[] = LANGUAGES.filter((l) => l.script === undefined);

/** The languages whose script a text has letters of (all Latin-script languages always). */
export function languagesOf(text: string): readonly Phrases[] {
  // Most texts are ASCII, which holds no letter of any script a language names: no need to test each.
  if (!/[^\0-\x7f]/.test(text)) return LATIN;
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

/** Each pattern's id in the screen's table; one the table does not hold (a stale table) is searched on every text. */
const ids = new Map<RegExp, number | undefined>(
  LANGUAGES.flatMap((phrases) =>
    FAMILIES.flatMap((family) =>
      patternsOf(phrases, family).map(
        (pattern, index) => [pattern, patternId(phrases.language, family, index)] as const,
      ),
    ),
  ),
);
const unscreened = [...ids.values()].includes(undefined);

/** The directives of each family a text contains, the first match of each family (in any language). */
export function findDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  // Only a pattern one of whose literals the text holds can match it: the others are not run (nor compiled).
  const candidates = screenedPatterns(text);
  if (candidates.length === 0 && !unscreened) return out;
  const searched = (pattern: RegExp) => {
    const id = ids.get(pattern);
    return id === undefined || candidates.includes(id);
  };
  for (const family of FAMILIES) {
    for (const phrases of LANGUAGES) {
      let match: RegExpExecArray | null = null;
      for (const pattern of patternsOf(phrases, family)) {
        if (searched(pattern) && (match = pattern.exec(text))) break;
      }
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
