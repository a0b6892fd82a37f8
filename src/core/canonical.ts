import { hash } from 'node:crypto';
import type stableStringify from 'json-stable-stringify';
import { lazy } from '../lazy.js';

const stringify = lazy<typeof stableStringify>('json-stable-stringify');

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Sorted JSON through the engine's own serializer (about twice as fast as a JavaScript one on a large lock): each
 * object whose keys are out of order is handed over as a copy with sorted keys; one already in order (every object
 * parsed from a lockfile) goes as it is. An object with an array-index key ("0", "12") cannot be: the engine puts
 * such keys first in numeric order whatever the insertion order, so those values go to json-stable-stringify, whose
 * order (code units) is the canonical one.
 */
function sortedJson(value: unknown, space: number): string | undefined {
  let indexKey = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      let inOrder = true;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const first = k.charCodeAt(0);
        if (first >= 0x30 && first <= 0x39 && ARRAY_INDEX.test(k)) indexKey = true;
        // `<` on strings compares code units, as the default sort does.
        if (i > 0 && !(keys[i - 1]! < k)) inOrder = false;
      }
      if (inOrder) return v;
      const out: Record<string, unknown> = {};
      for (const k of keys.sort()) {
        const member = (v as Record<string, unknown>)[k];
        // Assigning `__proto__` would set the prototype; defining keeps it as the data it is.
        if (k === '__proto__') {
          Object.defineProperty(out, k, {
            value: member,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[k] = member;
        }
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
  return digestText(canonicalize(value));
}

/** `sha256-<base64>` of a text that is already canonical JSON. */
export function digestText(canonical: string): string {
  return 'sha256-' + hash('sha256', canonical, 'base64');
}

/**
 * The canonical text of each member of an object, in canonical key order; `joinMembers` makes them the object's own
 * canonical text. For a caller that needs both the whole and its parts (a tool's digest and its per-field digests)
 * without canonicalising everything twice.
 */
export function canonicalMembers(value: Readonly<Record<string, unknown>>): [key: string, text: string][] {
  const members: [string, string][] = [];
  for (const key of Object.keys(value).sort()) {
    const text = sortedJson(value[key], 0);
    // What JSON.stringify leaves out of an object (undefined, a function) is left out here too.
    if (text !== undefined) members.push([key, text]);
  }
  return members;
}

/** `{"key":text,...}` from `canonicalMembers`: byte for byte `canonicalize` of the object they came from. */
export function joinMembers(members: readonly (readonly [string, string])[]): string {
  return '{' + members.map(([key, text]) => JSON.stringify(key) + ':' + text).join(',') + '}';
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
