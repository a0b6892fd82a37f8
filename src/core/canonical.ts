import { createHash } from 'node:crypto';
import stringify from 'json-stable-stringify';

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members dropped.
 * The same value always gives the same string, whatever order a server or an SDK put its keys in.
 */
export function canonicalize(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('canonicalize: value has no JSON form');
  return text;
}

/** The lockfile's layout: canonical key order, 2-space indent, trailing newline, so a state has one byte form. */
export function canonicalizePretty(value: unknown): string {
  const text = stringify(value, { space: 2, collapseEmpty: true });
  if (text === undefined) throw new TypeError('canonicalizePretty: value has no JSON form');
  return escapeJsonText(text) + '\n';
}

/** Canonical JSON indented for people: what a diff of two structures should compare, so key order is not a change. */
export function canonicalIndented(value: unknown): string {
  return stringify(value, { space: 2 }) ?? '';
}

/** `sha256-<base64>` of the canonical JSON of a value (the SRI form npm uses for integrity). */
export function digest(value: unknown): string {
  return 'sha256-' + createHash('sha256').update(canonicalize(value), 'utf8').digest('base64');
}

/**
 * JSON text with every invisible, control or direction-changing character written as a `\u` escape: the same JSON
 * value, but `cat`, a pager or a pull-request diff shows what a server hid instead of obeying it.
 */
export function escapeJsonText(text: string): string {
  return text.replace(/[\u007f-\u009f\u2028\u2029]|\p{Cf}|\p{Co}/gu, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += '\\u' + ch.charCodeAt(i).toString(16).padStart(4, '0');
    return out;
  });
}
