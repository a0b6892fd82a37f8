import fc from 'fast-check';
import stringify from 'json-stable-stringify';
import { describe, expect, it } from 'vitest';
import { jsonValues } from '../../helpers/json-values.js';
import {
  canonicalMembers,
  canonicalize,
  canonicalizePretty,
  digest,
  digestText,
  escapeJsonText,
  joinMembers,
} from '../../../src/core/canonical.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, whatever order they came in', () => {
    expect(canonicalize({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalize({ b: 1, a: 2 })).toBe(canonicalize({ a: 2, b: 1 }));
  });

  it('drops undefined members', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('digests as sha256-<base64> and changes with any value', () => {
    const d = digest({ a: 1 });
    expect(d).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    expect(digest({ a: 1 })).toBe(d);
    expect(digest({ a: 2 })).not.toBe(d);
    expect(digest('a')).not.toBe(digest('a\u200b'));
  });

  it('pretty form: 2-space indent, empty objects collapsed, trailing newline', () => {
    expect(canonicalizePretty({ b: {}, a: [1] })).toBe('{\n  "a": [\n    1\n  ],\n  "b": {}\n}\n');
  });

  it('writes hidden and control characters as \\u escapes, keeping the same JSON value', () => {
    const value = { d: 'a\u001b[31mb\u009b\u200b\u202e\u{e0041}' };
    const text = canonicalizePretty(value);
    expect(text).not.toMatch(/[\u001b\u009b\u200b\u202e]/u);
    expect(text).not.toMatch(/\u{e0041}/u);
    expect(JSON.parse(text)).toEqual(value);
    expect(escapeJsonText('"\u2028"')).toBe('"\\u2028"');
  });

  it('is byte for byte what json-stable-stringify gives, for any JSON value and any keys', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', '0', '10', '2', '-1', '01', ''),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalize(value)).toBe(stringify(value));
        expect(canonicalizePretty(value)).toBe(
          escapeJsonText(stringify(value, { space: 2, collapseEmpty: true })!) + '\n',
        );
      }),
      { numRuns: 500 },
    );
  });

  it('composes an object from the canonical texts of its members, byte for byte what canonicalize gives', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', '0', '10', 'a', 'B', '\u00e9', '\u{1f600}'),
    );
    fc.assert(
      fc.property(fc.dictionary(key, jsonValues(key), { maxKeys: 6 }), (object) => {
        const members = canonicalMembers(object);
        expect(joinMembers(members)).toBe(canonicalize(object));
        expect(digestText(joinMembers(members))).toBe(digest(object));
        for (const [k, text] of members) expect(text).toBe(canonicalize(object[k]));
      }),
      { numRuns: 300 },
    );
    expect(joinMembers(canonicalMembers({ b: 1, a: undefined, c: () => 0 }))).toBe('{"b":1}');
  });

  it('keeps a __proto__ key as data and sorts index-like keys as text', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "10": 0, "2": 0, "b": 0}');
    expect(canonicalize(value)).toBe('{"10":0,"2":0,"__proto__":{"x":1},"b":0}');
    expect(canonicalize({ a: JSON.parse('{"__proto__": 1}') })).toBe('{"a":{"__proto__":1}}');
    // Out of order (copied sorted) and in order (serialized as it is), without an index-like key.
    expect(canonicalize(JSON.parse('{"b": 0, "__proto__": {"y": 1, "x": 2}, "a": 0}'))).toBe(
      '{"__proto__":{"x":2,"y":1},"a":0,"b":0}',
    );
    expect(canonicalize(JSON.parse('{"__proto__": 1, "a": {"c": 0, "d": 1}}'))).toBe(
      '{"__proto__":1,"a":{"c":0,"d":1}}',
    );
  });
});
