import { foldText } from './fold.js';
import { PHRASE_LITERALS } from './literals.js';

/**
 * The phrase screen: which languages' patterns a text could match at all. Every match of a language's patterns
 * contains one of its literals (`literals.ts`), so a text holding none of them is not searched, and a pattern no text
 * needs is never compiled (V8 compiles a regexp on first use: English's take ~100 ms). Each literal is indexed by
 * two or three of its characters; a text's character pairs and triples are looked up in a hashed table, and only
 * where a slot holds literals is the text compared with them.
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

interface Screen {
  /** Languages (by bit) searched whatever the text: a pattern of theirs has no literal. */
  always: number;
  /** By hash of two or three characters, 1 + the index in `lists` of the literals indexed there; 0 for none. */
  slots: Int32Array;
  /** Literals that share a slot (different characters may hash alike). */
  lists: Indexed[][];
  /** Whether a literal is indexed by two characters that are both ASCII (else such pairs need no look-up). */
  asciiPairs: boolean;
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
  const screen: Screen = { always: 0, slots: new Int32Array(1 << TABLE_BITS), lists: [], asciiPairs: false };
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
      const a = literal.charCodeAt(offset);
      const b = literal.charCodeAt(offset + 1);
      const slot = width === 3 ? hash3(a, b, literal.charCodeAt(offset + 2)) : hash2(a, b);
      if (screen.slots[slot] === 0) screen.slots[slot] = screen.lists.push([]);
      screen.lists[screen.slots[slot]! - 1]!.push({ bit, literal, offset });
      if (width === 2 && a < 0x80 && b < 0x80) screen.asciiPairs = true;
    }
  });
  return screen;
}

function matchAt(list: readonly Indexed[], folded: string, position: number, found: number): number {
  for (const entry of list) {
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
  const { slots, lists, asciiPairs } = screen;
  for (let i = 0; i + 1 < folded.length; i++) {
    const a = folded.charCodeAt(i);
    const b = folded.charCodeAt(i + 1);
    if (asciiPairs || a >= 0x80 || b >= 0x80) {
      const pair = slots[hash2(a, b)]!;
      if (pair !== 0) found = matchAt(lists[pair - 1]!, folded, i, found);
    }
    if (i + 2 < folded.length) {
      const triple = slots[hash3(a, b, folded.charCodeAt(i + 2))]!;
      if (triple !== 0) found = matchAt(lists[triple - 1]!, folded, i, found);
    }
  }
  return found;
}
