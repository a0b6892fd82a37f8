import { createHash } from 'node:crypto';
import type stableStringify from 'json-stable-stringify';
import { lazy } from '../lazy.js';

const stringify = lazy<typeof stableStringify>('json-stable-stringify');

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Sorted JSON through the engine's own serializer (about twice as fast as a JavaScript one on a large lock): each
 * object is handed over as a copy with sorted keys. An object with an array-index key ("0", "12") cannot be: the
 * engine puts such keys first in numeric order whatever the insertion order, so those values go to
 * json-stable-stringify, whose order (code units) is the canonical one.
 */
function sortedJson(value: unknown, space: number): string | undefined {
  let indexKey = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const keys = Object.keys(v).sort();
      if (keys.some((k) => ARRAY_INDEX.test(k))) indexKey = true;
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        // Assigning `__proto__` would set the prototype; defining keeps it as the data it is.
        Object.defineProperty(out, k, {
          value: (v as Record<string, unknown>)[k],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    },
    space,
  );
  if (!indexKey) return text;
  return space === 0 ? stringify()(value) : stringify()(value, { space, collapseEmpty: true });
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members dropped.
 * The same value always gives the same string, whatever order a server or an SDK put its keys in.
 */
export function canonicalize(value: unknown): string {
  const text = sortedJson(value, 0);
  if (text === undefined) throw new TypeError('canonicalize: value has no JSON form');
  return text;
}

/** Whether two values are the same JSON (key order aside); `undefined` counts as `null`. */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  return canonicalize(a ?? null) === canonicalize(b ?? null);
}

/** The lockfile's layout: canonical key order, 2-space indent, trailing newline, so a state has one byte form. */
export function canonicalizePretty(value: unknown): string {
  const text = sortedJson(value, 2);
  if (text === undefined) throw new TypeError('canonicalizePretty: value has no JSON form');
  return escapeJsonText(text) + '\n';
}

/** Canonical JSON indented for people: what a diff of two structures should compare, so key order is not a change. */
export function canonicalIndented(value: unknown): string {
  return stringify()(value, { space: 2 }) ?? '';
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
