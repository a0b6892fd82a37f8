import { foldText } from './fold.js';
import { PHRASE_LITERALS } from './literals.js';

/**
 * The phrase screen: which patterns a text could match at all. Every match of a pattern contains one of its literals
 * (`literals.ts`), so a pattern none of whose literals the text holds is not run on it — and a pattern no text needs
 * is never compiled (V8 compiles a regexp on first use: all of English's took ~50 ms, paid by every verify whose
 * servers have an English description). Each literal is indexed by two or three of its characters; a text's
 * character pairs and triples are looked up in a hashed table, and only where a slot holds literals is the text
 * compared with them.
 */
interface Indexed {
  /** The patterns (by id) that need this literal, or one of their others. */
  ids: readonly number[];
  literal: string;
  /** Where the indexed characters start in the literal. */
  offset: number;
  /** This entry's place, for marking it found. */
  index: number;
}

const TABLE_BITS = 18;
const SHIFT = 32 - TABLE_BITS;
const hash2 = (a: number, b: number) => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> SHIFT;
const hash3 = (a: number, b: number, c: number) =>
  (Math.imul(a, 0xc2b2ae3d) ^ Math.imul(b, 0x27d4eb2f) ^ Math.imul(c, 0x165667b1)) >>> SHIFT;

interface Screen {
  /** Patterns (by id) searched whatever the text: they have no literal. */
  always: readonly number[];
  /** By hash of two or three characters, 1 + the index in `lists` of the literals indexed there; 0 for none. */
  slots: Int32Array;
  /** Literals that share a slot (different characters may hash alike). */
  lists: Indexed[][];
  /** Whether a literal is indexed by two characters that are both ASCII (else such pairs need no look-up). */
  asciiPairs: boolean;
  /** Per pattern id and per literal entry, the screening that last found it (so each is reported once). */
  patternSeen: Uint32Array;
  entrySeen: Uint32Array;
}

/** Every pattern of the table, by `language family index`, numbered in the table's order. */
const IDS = new Map<string, number>();
for (const [language, families] of Object.entries(PHRASE_LITERALS)) {
  for (const [family, patterns] of Object.entries(families)) {
    patterns.forEach((_, index) => IDS.set(`${language} ${family} ${index}`, IDS.size));
  }
}

/** The id of a language's pattern (its family, its place in the family) in the table; undefined if not in it. */
export function patternId(language: string, family: string, index: number): number | undefined {
  return IDS.get(`${language} ${family} ${index}`);
}

let built: Screen | undefined;
let screening = 0;

function build(): Screen {
  const always: number[] = [];
  const byLiteral = new Map<string, number[]>();
  for (const [language, families] of Object.entries(PHRASE_LITERALS)) {
    for (const [family, patterns] of Object.entries(families)) {
      patterns.forEach((literals, index) => {
        const id = patternId(language, family, index)!;
        if (!literals) always.push(id);
        else for (const literal of literals) byLiteral.set(literal, [...(byLiteral.get(literal) ?? []), id]);
      });
    }
  }
  const slots = new Int32Array(1 << TABLE_BITS);
  const lists: Indexed[][] = [];
  let asciiPairs = false;
  let index = 0;
  for (const [literal, ids] of byLiteral) {
    const width = literal.length >= 3 ? 3 : 2;
    const offset = (literal.length - width) >> 1;
    const a = literal.charCodeAt(offset);
    const b = literal.charCodeAt(offset + 1);
    const slot = width === 3 ? hash3(a, b, literal.charCodeAt(offset + 2)) : hash2(a, b);
    if (slots[slot] === 0) slots[slot] = lists.push([]);
    lists[slots[slot]! - 1]!.push({ ids, literal, offset, index: index++ });
    if (width === 2 && a < 0x80 && b < 0x80) asciiPairs = true;
  }
  return {
    always,
    slots,
    lists,
    asciiPairs,
    patternSeen: new Uint32Array(IDS.size),
    entrySeen: new Uint32Array(index),
  };
}

function matchAt(
  screen: Screen,
  list: readonly Indexed[],
  folded: string,
  position: number,
  out: number[],
): void {
  for (const entry of list) {
    const start = position - entry.offset;
    if (screen.entrySeen[entry.index] === screening || start < 0 || !folded.startsWith(entry.literal, start))
      continue;
    screen.entrySeen[entry.index] = screening;
    for (const id of entry.ids) {
      if (screen.patternSeen[id] === screening) continue;
      screen.patternSeen[id] = screening;
      out.push(id);
    }
  }
}

/** The patterns (as `patternId`s) that could match the text: those with a literal in it, and those with none. */
export function screenedPatterns(text: string): number[] {
  const screen = (built ??= build());
  // A new mark for this text; before the counter would wrap, the marks start over.
  if (++screening === 0xffffffff) {
    screen.patternSeen.fill(0);
    screen.entrySeen.fill(0);
    screening = 1;
  }
  const folded = foldText(text);
  const out = screen.always.length === 0 ? [] : [...screen.always];
  const { slots, lists, asciiPairs } = screen;
  for (let i = 0; i + 1 < folded.length; i++) {
    const a = folded.charCodeAt(i);
    const b = folded.charCodeAt(i + 1);
    if (asciiPairs || a >= 0x80 || b >= 0x80) {
      const pair = slots[hash2(a, b)]!;
      if (pair !== 0) matchAt(screen, lists[pair - 1]!, folded, i, out);
    }
    if (i + 2 < folded.length) {
      const triple = slots[hash3(a, b, folded.charCodeAt(i + 2))]!;
      if (triple !== 0) matchAt(screen, lists[triple - 1]!, folded, i, out);
    }
  }
  return out;
}
