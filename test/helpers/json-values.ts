import fc from 'fast-check';

/**
 * Any JSON value, nesting kept small: strings (from `text`), numbers, booleans, null, arrays and objects whose keys
 * come from `key` (property tests of the readers, the canonical form and the depth check share it).
 */
export function jsonValues(
  key: fc.Arbitrary<string>,
  text: fc.Arbitrary<string> = fc.string(),
  size = 4,
): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: size }),
      fc.dictionary(key, tie('value'), { maxKeys: size }),
    ),
  })).value;
}
