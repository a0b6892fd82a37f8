import { finding, type Finding } from '../findings.js';
import { serverTexts, subjectOf, where, type Text } from './texts.js';
import type { ServerView } from './types.js';

const TAGS = /[\u{E0000}-\u{E007F}]+/gu;
// eslint-disable-next-line no-misleading-character-class -- the joiner is listed on its own, on purpose
const ZERO_WIDTH = /[\u200B\u200C\u200D\u2060\u180E\uFEFF]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const VARIATION_RUN = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2,}/u;
const OTHER_FORMAT = /[\p{Cf}]/u;
/** How long a run of base64 must be to carry a payload. */
const BLOB_LENGTH = 64;

/** An HTML comment (up to its end, or the end of the text), found without a regexp that could backtrack on megabytes. */
function htmlComment(text: string): string | undefined {
  const start = text.indexOf('<!--');
  if (start === -1) return undefined;
  const end = text.indexOf('-->', start + 4);
  return text.slice(start, end === -1 ? Math.min(text.length, start + 200) : end + 3);
}

function isBase64Char(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2f
  );
}

/**
 * The first run of base64 characters long enough to carry a payload that looks like base64 (mixed case and digits,
 * so words and hex ids do not count). One pass over the text: a regexp with `{64,}` overflows V8's stack on a run of
 * megabytes, which is what a hostile server sends.
 */
function base64Blob(text: string): { length: number } | undefined {
  // Most texts are shorter than a blob.
  if (text.length < BLOB_LENGTH) return undefined;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isBase64Char(text.charCodeAt(i))) continue;
    if (i - start >= BLOB_LENGTH) {
      // Judged on a bounded sample: the character classes of a long run show in its first few kilobytes.
      const run = text.slice(start, Math.min(i, start + 4096));
      if (looksLikeBase64(run)) return { length: i - start };
    }
    start = i + 1;
  }
  return undefined;
}

/** Unicode tag characters mirror ASCII: U+E0041 is an invisible "A". Decoding shows what was smuggled. */
function decodeTags(run: string): string {
  return [...run]
    .map((ch) => ch.codePointAt(0)! - 0xe0000)
    .map((cp) => (cp >= 0x20 && cp < 0x7f ? String.fromCharCode(cp) : ''))
    .join('');
}

function looksLikeBase64(run: string): boolean {
  return /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run) && !/^[a-z]+$/i.test(run);
}

function codepoints(text: string, pattern: RegExp): string {
  const found = new Set<string>();
  for (const ch of text)
    if (pattern.test(ch)) found.add(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return [...found].slice(0, 6).join(', ');
}

/** Printable ASCII and line breaks: none of the invisible or reordering characters looked for below. */
const PLAIN = /^[\x20-\x7e\t\n\r]*$/;

function inspect(server: string, t: Text, out: Finding[]): void {
  if (PLAIN.test(t.text) && !htmlComment(t.text) && !base64Blob(t.text)) return;
  const report = (what: string, severity?: Finding['severity']) => {
    const f = finding('tool-hidden-content', { server, ...subjectOf(t), message: `${where(t)}: ${what}` });
    out.push(severity ? { ...f, severity } : f);
  };
  const tags = t.text.match(TAGS);
  if (tags) {
    const hidden = tags.map(decodeTags).join(' ').trim();
    report(
      `hides text in invisible Unicode tag characters${hidden ? `: "${hidden.slice(0, 200)}"` : ''}`,
      'critical',
    );
  }
  if (BIDI.test(t.text))
    report(
      `contains bidirectional controls (${codepoints(t.text, BIDI)}) that reorder what a reader sees`,
      'critical',
    );
  if (ZERO_WIDTH.test(t.text)) report(`contains zero-width characters (${codepoints(t.text, ZERO_WIDTH)})`);
  if (VARIATION_RUN.test(t.text))
    report('contains a run of variation selectors (a known way to smuggle bytes)');
  const other = [...t.text.matchAll(/\p{Cf}/gu)]
    .map((m) => m[0])
    .filter((ch) => !ZERO_WIDTH.test(ch) && !BIDI.test(ch) && !/[\u{E0000}-\u{E007F}]/u.test(ch));
  if (other.length > 0)
    report(`contains invisible format characters (${codepoints(other.join(''), OTHER_FORMAT)})`);
  const comment = htmlComment(t.text);
  if (comment) report(`contains an HTML comment, hidden when rendered: "${comment.slice(0, 120)}"`);
  const blob = base64Blob(t.text);
  if (blob) report(`contains a ${blob.length}-character base64-like blob`, 'medium');
}

/** tool-hidden-content: invisible or deceptive characters, hidden comments and encoded blobs in anything a model reads. */
export function hiddenContent(servers: readonly ServerView[]): Finding[] {
  const out: Finding[] = [];
  for (const { name, entry } of servers) for (const t of serverTexts(entry)) inspect(name, t, out);
  return out;
}
