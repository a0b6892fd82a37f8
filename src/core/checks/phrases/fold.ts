/**
 * Case folding for the phrase screen: two characters a case-insensitive pattern treats as one fold to the same
 * string, one character at a time (a whole-string `toLowerCase` lowers Σ by its context, and `toUpperCase` turns ß
 * into SS but leaves ẞ, which `/iu` matches to ß). Upper- then lower-casing also joins ſ with s and K with k.
 */
export function foldChar(ch: string): string {
  const upper = ch.toUpperCase();
  return (upper.length === ch.length ? upper : ch).toLowerCase();
}

const NON_ASCII = /[^\0-\x7f]/gu;
const WHITESPACE_RUN = /\s+/g;
const folded = new Map<string, string>();

function foldCached(ch: string): string {
  let out = folded.get(ch);
  if (out === undefined) folded.set(ch, (out = foldChar(ch)));
  return out;
}

/**
 * A text folded character by character (ASCII, by far the most common, in one `toLowerCase`), and each run of
 * whitespace as one space: the screen's literals join words with one space wherever a pattern allows any whitespace.
 */
export function foldText(text: string): string {
  // Printable ASCII with single spaces (most texts) is only lowered.
  if (!NOT_PLAIN.test(text)) return text.toLowerCase();
  return text.replace(NON_ASCII, foldCached).toLowerCase().replace(WHITESPACE_RUN, ' ');
}

const NOT_PLAIN = /[^\x20-\x7e]| {2}/;
