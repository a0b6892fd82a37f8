import type { AST } from '@eslint-community/regexpp';
import { foldChar } from './fold.js';
import type { Phrases } from './types.js';

/**
 * The strings one of which every match of a pattern contains (folded with `foldChar`), found over the pattern's
 * syntax tree as RE2's prefilter does: a concatenation keeps its best piece, an alternation the union of its branches'
 * pieces, a small character class expands, and anything else (`\s`, `.`, an optional part) breaks a piece. A text that
 * holds none of the strings cannot match, and need not be searched with the pattern at all.
 *
 * Used when the screen's table is generated (`npm run phrase-literals`), never at run time: parsing the patterns takes
 * longer than the searches it saves.
 */
export function requiredLiterals(pattern: AST.Pattern): string[] | undefined {
  const info = alternation(pattern.alternatives);
  // As the screen folds a text: each run of whitespace one space, wherever the whitespace came from (a class such as
  // `[ b]` next to `\s+` may put two in a row).
  const literals = best(info.need, info.exact)?.map((literal) => literal.replace(/\s+/g, ' '));
  return literals && [...new Set(literals)];
}

/** What is known of a piece: every string it can match (when few), and strings one of which each match contains. */
interface Info {
  exact?: string[];
  need?: string[];
}

/** Beyond this many strings, a piece is not expanded further. */
const MAX_STRINGS = 32;
const MAX_CLASS = 8;
const EMPTY: Info = { exact: [''] };

/** The better of two requirements: the longer shortest string (fewer texts hold it), then the fewer strings. */
function best(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0) return a;
  const shortest = (set: string[]) => Math.min(...set.map((s) => s.length));
  if (shortest(a) !== shortest(b)) return shortest(a) > shortest(b) ? a : b;
  return a.length <= b.length ? a : b;
}

const unique = (strings: string[]) => [...new Set(strings)];

function alternation(alternatives: readonly AST.Alternative[]): Info {
  const infos = alternatives.map((a) => sequence(a.elements));
  const exact = infos.every((i) => i.exact) ? unique(infos.flatMap((i) => i.exact!)) : undefined;
  const needs = infos.map((i) => best(i.need, i.exact));
  const need = needs.every((n) => n && !n.includes('')) ? unique(needs.flatMap((n) => n!)) : undefined;
  return {
    ...(exact && exact.length <= MAX_STRINGS ? { exact } : {}),
    ...(need ? { need } : {}),
  };
}

const WHITESPACE = /^\s$/u;

/** How many characters an element matches at least when it matches only whitespace; undefined when it can match other. */
function whitespaceOnly(node: AST.Element): number | undefined {
  switch (node.type) {
    case 'Character':
      return WHITESPACE.test(String.fromCodePoint(node.value)) ? 1 : undefined;
    case 'CharacterSet':
      return node.kind === 'space' && !node.negate ? 1 : undefined;
    case 'CharacterClass':
      return !node.negate &&
        node.elements.length > 0 &&
        node.elements.every((e) =>
          e.type === 'Character'
            ? WHITESPACE.test(String.fromCodePoint(e.value))
            : e.type === 'CharacterSet' && e.kind === 'space' && !e.negate,
        )
        ? 1
        : undefined;
    case 'Quantifier': {
      const one = whitespaceOnly(node.element);
      return one === undefined ? undefined : one * node.min;
    }
    default:
      return undefined;
  }
}

/**
 * A concatenation. The screen folds every run of whitespace in a text to one space (`foldText`), so a run of
 * whitespace-only elements that must match at least one character is that one space: `to\s+this\s+tool` is the
 * string "to this tool". A run that may match nothing breaks the piece.
 */
function sequence(elements: readonly AST.Element[]): Info {
  const infos: Info[] = [];
  for (let i = 0; i < elements.length;) {
    let least = whitespaceOnly(elements[i]!);
    if (least === undefined) {
      infos.push(element_(elements[i]!));
      i++;
      continue;
    }
    for (i++; i < elements.length; i++) {
      const more = whitespaceOnly(elements[i]!);
      if (more === undefined) break;
      least += more;
    }
    infos.push(least > 0 ? { exact: [' '] } : {});
  }
  let run: string[] | undefined = [''];
  let allExact = true;
  let need: string[] | undefined;
  for (const info of infos) {
    if (info.exact && run && run.length * info.exact.length <= MAX_STRINGS) {
      run = run.flatMap((a) => info.exact!.map((b) => a + b));
      continue;
    }
    need = best(need, run);
    if (info.exact) {
      // Too many strings to join: the run starts again (the whole is no longer one known set).
      allExact = false;
      run = info.exact;
    } else {
      allExact = false;
      need = best(need, info.need);
      run = [''];
    }
  }
  need = best(need, run);
  return {
    ...(allExact && run ? { exact: run } : {}),
    ...(need && !need.includes('') ? { need } : {}),
  };
}

function element_(node: AST.Element): Info {
  switch (node.type) {
    case 'Character':
      return { exact: [foldChar(String.fromCodePoint(node.value))] };
    case 'CharacterClass':
      return characterClass(node);
    case 'Group':
    case 'CapturingGroup':
      return alternation(node.alternatives);
    case 'Quantifier': {
      if (node.min === 0) return {};
      const inner = element_(node.element);
      if (node.min === 1 && node.max === 1) return inner;
      const need = best(inner.need, inner.exact);
      return need ? { need } : {};
    }
    // Zero-width: joins what is around it.
    case 'Assertion':
      return EMPTY;
    default:
      // `.`, `\s`, `\w`, `\p{…}`, back-references, class expressions: any of many strings.
      return {};
  }
}

function characterClass(node: AST.CharacterClass): Info {
  if (node.negate) return {};
  const chars: string[] = [];
  for (const element of node.elements) {
    if (element.type === 'Character') chars.push(String.fromCodePoint(element.value));
    else if (element.type === 'CharacterClassRange' && element.max.value - element.min.value < MAX_CLASS) {
      for (let c = element.min.value; c <= element.max.value; c++) chars.push(String.fromCodePoint(c));
    } else return {};
  }
  const exact = unique(chars.map(foldChar));
  return exact.length <= MAX_CLASS ? { exact } : {};
}

/** Strings shorter than this screen too little (a Chinese or Korean word is two characters). */
export const MIN_LITERAL = 2;

/**
 * Per language and family, for each of its patterns, the strings one of which every match of the pattern contains,
 * sorted; `null` for a pattern that yields none (it then runs on every text).
 */
export function phraseLiterals(
  languages: readonly Phrases[],
  parse: (pattern: RegExp) => AST.Pattern,
): Record<string, Record<string, (string[] | null)[]>> {
  const out: Record<string, Record<string, (string[] | null)[]>> = {};
  for (const phrases of languages) {
    const families: Record<string, (string[] | null)[]> = {};
    for (const [family, patterns] of Object.entries(phrases.families)) {
      families[family] = [patterns as RegExp | readonly RegExp[]].flat().map((pattern) => {
        const literals = requiredLiterals(parse(pattern));
        return !literals || literals.some((l) => l.length < MIN_LITERAL) ? null : [...literals].sort();
      });
    }
    out[phrases.language] = families;
  }
  return out;
}
