/**
 * The ways a model may read a text, for the directive checks: a payload dressed up so a pattern does not see it is
 * still read by the model that decodes it. Each reading is cheap and bounded (linear in the text).
 */

/** Cyrillic and Greek letters that look like Latin ones, as attackers mix them into English words. */
const LOOKALIKE: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ε: 'e',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

/** Invisible characters that split a word for a pattern but not for a reader. */
export const INVISIBLE = /\p{Cf}|\p{Variation_Selector}|\u034f|\u115f|\u1160|\u17b4|\u17b5|\u3164/gu;

/** Full-width and other compatibility forms as plain letters; look-alikes inside Latin words as Latin. */
function plain(text: string): string {
  // Plain ASCII (most texts) has no compatibility forms, invisible characters or look-alikes.
  if (!/[\u0080-\uffff]/.test(text)) return text;
  return (
    text
      .normalize('NFKC')
      .replace(INVISIBLE, '')
      // Typographic quotes read as the plain ones the patterns are written with ("the user’s").
      .replace(/[\u2018\u2019\u201b\u02bc]/g, "'")
      .replace(/[\u201c\u201d\u201f]/g, '"')
      .replace(/[\p{L}\p{M}]+/gu, (word) =>
        /\p{Script=Latin}/u.test(word) ? word.replace(/./gu, (ch) => LOOKALIKE[ch] ?? ch) : word,
      )
  );
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** Digits and symbols standing for letters inside words (`1gn0r3 pr3v10us`); words of digits alone stay. */
function unleet(text: string): string {
  return text.replace(/[\p{L}0-9@$!]+/gu, (word) =>
    /\p{L}/u.test(word) && /[0-9@$!]/.test(word)
      ? word.replace(/[0134573@$!]/g, (ch) => LEET[ch] ?? ch)
      : word,
  );
}

function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (ch) => {
    const base = ch <= 'Z' ? 65 : 97;
    return String.fromCharCode(((ch.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** HTML character references decoded: `&#105;gnore`, `&#x69;gnore`, `&lt;IMPORTANT&gt;`. */
function entities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,6}));/gi,
    (all, dec?: string, hex?: string, name?: string) => {
      const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      return ENTITIES[name!.toLowerCase()] ?? all;
    },
  );
}

/** Mostly readable text: a decoding that gives binary is not a message. */
function readable(text: string): boolean {
  if (text.length < 8) return false;
  let printable = 0;
  for (const ch of text) if (/[\p{L}\p{N}\p{P}\s]/u.test(ch)) printable++;
  return printable / [...text].length > 0.9;
}

/** Longer runs are not short payloads: tool-hidden-content reports them whole, and decoding them costs. */
const MAX_ENCODED_RUN = 4096;

const isBase64 = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * Runs of characters of a class, of a length from `min` to MAX_ENCODED_RUN, in one pass: a regexp with `{16,}`
 * overflows V8's stack on a run of megabytes, which is what a hostile server sends.
 */
function runs(text: string, member: (c: number) => boolean, min: number): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length && out.length < 16; i++) {
    if (i < text.length && member(text.charCodeAt(i))) continue;
    if (i - start >= min && i - start <= MAX_ENCODED_RUN) out.push(text.slice(start, i));
    start = i + 1;
  }
  return out;
}

/** What may stand between the bytes of a hex dump: `69 67 6e`, `69:67:6e`, `69-67-6e`, `69, 67, 6e`. */
const HEX_SEPARATORS = ' :,-';

/**
 * Hex written a byte at a time — `69 67 6e`, `\x69\x67`, `0x69 0x67` — as the bytes it spells, each run of at least
 * `min` bytes. One pass (each character is looked at a bounded number of times); a regexp with a repeated group
 * overflows V8's stack on a megabyte run.
 */
function byteHexRuns(text: string, min: number): string[] {
  const out: string[] = [];
  const hexAt = (k: number) => k < text.length && isHex(text.charCodeAt(k));
  const prefixAt = (k: number) =>
    (text[k] === '\\' || text[k] === '0') && (text[k + 1] === 'x' || text[k + 1] === 'X');
  let i = 0;
  while (i < text.length && out.length < 16) {
    let bytes = '';
    let j = i;
    for (;;) {
      const k = prefixAt(j) ? j + 2 : j;
      // A byte is two hex digits standing alone: not the start of a longer hex word.
      if (!hexAt(k) || !hexAt(k + 1) || hexAt(k + 2)) break;
      bytes += text.slice(k, k + 2);
      j = k + 2;
      if (bytes.length > MAX_ENCODED_RUN) break;
      // One separator, or one and a space (`0x69, 0x67`), before the next byte.
      const gap = HEX_SEPARATORS.includes(text[j] ?? '\n')
        ? text[j + 1] === ' ' && text[j] !== ' '
          ? 2
          : 1
        : 0;
      if (gap > 0 && (hexAt(j + gap) || prefixAt(j + gap))) j += gap;
      else if (!prefixAt(j)) break;
    }
    if (bytes.length >= 2 * min && bytes.length <= MAX_ENCODED_RUN) out.push(bytes);
    i = j > i ? j : i + 1;
  }
  return out;
}

/** Base64 and hex runs decoded where they decode to text (short ones too: a 40-character payload is enough). */
function encoded(text: string): string[] {
  const out: string[] = [];
  // Runs are looked for only where sixteen characters of the base64 alphabet (hex's is part of it) stand in a row: most
  // texts have none. A fixed count: `{16,}` would overflow V8's stack on a megabyte run.
  const long = /[A-Za-z0-9+/=]{16}/.test(text);
  for (const run of long ? runs(text, isBase64, 16) : []) {
    const body = run.replace(/=+$/, '');
    if (body.length % 4 === 1 || body.includes('=')) continue;
    const decoded = Buffer.from(body, 'base64').toString('utf8');
    if (readable(decoded)) out.push(decoded);
  }
  // Bytes apart only where three in a row are: most texts have none.
  const apart = /[0-9a-f]{2}[ :,-] ?(?:0x)?[0-9a-f]{2}[ :,-] ?(?:0x)?[0-9a-f]{2}|\\x[0-9a-f]{2}\\x/i.test(
    text,
  )
    ? byteHexRuns(text, 8)
    : [];
  for (const run of [...(long ? runs(text, isHex, 16) : []), ...apart]) {
    if (run.length % 2 === 1) continue;
    const decoded = Buffer.from(run, 'hex').toString('utf8');
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

/** `%69gnore%20previous`: each run of percent escapes decoded where it is valid UTF-8, the rest kept as written. */
function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Words of the directives, rot13-encoded: ignore, disregard, override, system, instructions, jailbreak, always, prefix, user. */
const ROT13_TRACES = /vtaber|qvfertneq|bireevqr|flfgrz|vafgehpgvba|wnvyoernx|nyjnlf|cersvk|hfre/i;

/** `I-g-n-o-r-e`, `i g n o r e`, `I.g.n.o.r.e`: a word spelled out a letter at a time, five letters or more. */
// One separator throughout a word, so `I-g-n-o-r-e p.r.e.v.i.o.u.s` reads as two words.
const SPELLED_OUT = /(?<![A-Za-z])[A-Za-z]([-._* ])(?:[A-Za-z]\1){3,}[A-Za-z](?![A-Za-z])/;
const SPELLED_OUT_G = new RegExp(SPELLED_OUT.source, 'g');

/** One way of reading a text, and how it was decoded (nothing for the text as written). */
export interface Reading {
  text: string;
  how?: string;
}

/** The text as written and as a model would read it decoded, each reading distinct. */
export function readings(text: string): Reading[] {
  const base = plain(entities(text));
  const out: Reading[] = [{ text: base }];
  const add = (candidate: string, how: string) => {
    if (!out.some((r) => r.text === candidate)) out.push({ text: candidate, how });
  };
  // Each decoding only where its traces are: a digit or symbol inside a word, a rot13 form of a directive's words.
  if (/[A-Za-z][0134573@$!]|[0134573@$!][A-Za-z]/.test(base))
    add(unleet(base), 'read past digits standing for letters');
  if (ROT13_TRACES.test(base)) add(rot13(base), 'decoded from rot13');
  if (SPELLED_OUT.test(base))
    add(
      base.replace(SPELLED_OUT_G, (run) => run.replace(/[-._* ]/g, '')),
      'read past letters spelled out one by one',
    );
  if (/%[0-9a-f]{2}/i.test(base)) add(plain(percentDecoded(base)), 'decoded from URL encoding');
  for (const decoded of encoded(base)) add(plain(decoded), 'decoded from base64 or hex');
  return out;
}
