import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonValues } from '../../helpers/json-values.js';
import { nestsDeeperThan, textNestsDeeperThan } from '../../../src/core/json-depth.js';

describe('nesting depth', () => {
  it('of JSON text is the depth of the value it parses to, strings with brackets, quotes and escapes aside', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('[', '{{', ']}', '"', '\\', '\\"[', '\\\\"{'));
    fc.assert(
      fc.property(
        jsonValues(text, text, 3),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(0, 2),
        (value, max, space) => {
          const written = JSON.stringify(value, null, space);
          expect(textNestsDeeperThan(written, max)).toBe(nestsDeeperThan(value, max));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts every level of a deep text without recursion', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(textNestsDeeperThan(deep, 99_999)).toBe(true);
    expect(textNestsDeeperThan(deep, 100_000)).toBe(false);
    expect(textNestsDeeperThan(`{"a":"${'['.repeat(500)}"}`, 1)).toBe(false);
  });
});
