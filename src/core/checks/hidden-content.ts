import { finding, type Finding } from '../findings.js';
import { serverTexts, subjectOf, where, type Text } from './texts.js';
import type { ServerView } from './types.js';

const TAGS = /[\u{E0000}-\u{E007F}]+/gu;
// eslint-disable-next-line no-misleading-character-class -- the joiner is listed on its own, on purpose
const ZERO_WIDTH = /[\u200B\u200C\u200D\u2060\u180E\uFEFF]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const VARIATION_RUN = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2,}/u;
const OTHER_FORMAT = /[\p{Cf}]/u;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/;
/** A run of base64 long enough to carry a payload; mixed case and digits, so words and hex ids do not match. */
const BLOB = /[A-Za-z0-9+/]{64,}={0,2}/g;

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

function inspect(server: string, t: Text): Finding[] {
  const out: Finding[] = [];
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
  const other = [...t.text].filter(
    (ch) =>
      OTHER_FORMAT.test(ch) && !ZERO_WIDTH.test(ch) && !BIDI.test(ch) && !/[\u{E0000}-\u{E007F}]/u.test(ch),
  );
  if (other.length > 0)
    report(`contains invisible format characters (${codepoints(other.join(''), OTHER_FORMAT)})`);
  const comment = HTML_COMMENT.exec(t.text);
  if (comment) report(`contains an HTML comment, hidden when rendered: "${comment[0].slice(0, 120)}"`);
  const blob = (t.text.match(BLOB) ?? []).find(looksLikeBase64);
  if (blob) report(`contains a ${blob.length}-character base64-like blob`, 'medium');
  return out;
}

/** tool-hidden-content: invisible or deceptive characters, hidden comments and encoded blobs in anything a model reads. */
export function hiddenContent(servers: readonly ServerView[]): Finding[] {
  return servers.flatMap(({ name, entry }) => serverTexts(entry).flatMap((t) => inspect(name, t)));
}
