import { foldText } from './fold.js';
import { PHRASE_LITERALS } from './literals.js';

/**
 * The phrase screen: which languages' patterns a text could match at all. Every match of a language's patterns
 * contains one of its literals (`literals.ts`), so a text holding none of them is not searched, and a pattern no text
 * needs is never compiled (V8 compiles a regexp on first use: English's take ~100 ms). Each literal is indexed by
 * two or three of its characters; a text's character pairs and triples are looked up in a table of flags, and only a
 * flagged position is compared with the literals indexed there.
 */
interface Indexed {
  bit: number;
  literal: string;
  /** Where the indexed characters start in the literal. */
  offset: number;
}

const TABLE_BITS = 18;
const SHIFT = 32 - TABLE_BITS;
const hash2 = (a: number, b: number) => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> SHIFT;
const hash3 = (a: number, b: number, c: number) =>
  (Math.imul(a, 0xc2b2ae3d) ^ Math.imul(b, 0x27d4eb2f) ^ Math.imul(c, 0x165667b1)) >>> SHIFT;
const key2 = (a: number, b: number) => -(a * 0x10000 + b) - 1;
const key3 = (a: number, b: number, c: number) => (a * 0x10000 + b) * 0x10000 + c;

interface Screen {
  /** Languages (by bit) searched whatever the text: a pattern of theirs has no literal. */
  always: number;
  flags: Uint8Array;
  at: Map<number, Indexed[]>;
}

/** The languages the screen knows, in the table's order: bit `i` of a result stands for `SCREENED[i]`. */
const SCREENED = Object.keys(PHRASE_LITERALS);

/** The bit that stands for a language in `screenedLanguages`' result; 0 for a language the table does not know. */
export function languageBit(language: string): number {
  const i = SCREENED.indexOf(language);
  return i === -1 ? 0 : 1 << i;
}

let built: Screen | undefined;

function build(): Screen {
  const screen: Screen = { always: 0, flags: new Uint8Array(1 << TABLE_BITS), at: new Map() };
  SCREENED.forEach((language, i) => {
    const bit = 1 << i;
    const literals = PHRASE_LITERALS[language];
    if (!literals) {
      screen.always |= bit;
      return;
    }
    for (const literal of literals) {
      const width = literal.length >= 3 ? 3 : 2;
      const offset = (literal.length - width) >> 1;
      const [a, b, c] = [0, 1, 2].map((k) => literal.charCodeAt(offset + k)) as [number, number, number];
      const key = width === 3 ? key3(a, b, c) : key2(a, b);
      screen.flags[width === 3 ? hash3(a, b, c) : hash2(a, b)] = 1;
      const list = screen.at.get(key) ?? [];
      list.push({ bit, literal, offset });
      screen.at.set(key, list);
    }
  });
  return screen;
}

function matchAt(screen: Screen, folded: string, position: number, key: number, found: number): number {
  for (const entry of screen.at.get(key) ?? []) {
    const start = position - entry.offset;
    if ((found & entry.bit) === 0 && start >= 0 && folded.startsWith(entry.literal, start))
      found |= entry.bit;
  }
  return found;
}

/** The languages (as `languageBit`s) whose patterns could match the text. */
export function screenedLanguages(text: string): number {
  const screen = (built ??= build());
  const folded = foldText(text);
  let found = screen.always;
  const { flags } = screen;
  for (let i = 0; i + 1 < folded.length; i++) {
    const a = folded.charCodeAt(i);
    const b = folded.charCodeAt(i + 1);
    if (flags[hash2(a, b)] === 1) found = matchAt(screen, folded, i, key2(a, b), found);
    if (i + 2 < folded.length) {
      const c = folded.charCodeAt(i + 2);
      if (flags[hash3(a, b, c)] === 1) found = matchAt(screen, folded, i, key3(a, b, c), found);
    }
  }
  return found;
}
