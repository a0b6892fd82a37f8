/**
 * A key named `__proto__` is data in a lockfile or a config (a tool may be called that), but validators and object
 * spreads treat it as the object's prototype and drop it — a server the gate would then not see. Such keys travel
 * under a stand-in through parsing and validation, and are put back as own properties afterwards.
 */
export const PROTO_STAND_IN = '\u0000__proto__';
const STAND_IN = PROTO_STAND_IN;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether JSON text can hold a `__proto__` key (or a key that is the stand-in): a key can only spell either as is
 * or through `\u` escapes. Text with neither needs no stand-ins, so neither the reviver nor `restoreProtoKeys`.
 */
export function mayHoldProtoKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('\\u');
}

/** `JSON.parse` that keeps `__proto__` keys, under the stand-in (undo with `restoreProtoKeys`). */
export function parseKeepingProtoKeys(text: string): unknown {
  // The reviver takes twice as long on a large lockfile: only text that may need it gets it.
  if (!mayHoldProtoKey(text)) return JSON.parse(text);
  return JSON.parse(text, function (_key, value: unknown) {
    if (isObject(value) && Object.hasOwn(value, '__proto__')) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === '__proto__' ? STAND_IN : k, v]));
    }
    return value;
  });
}

/** Puts `__proto__` keys back as own properties (a copy is made only where one was stood in for). */
export function restoreProtoKeys<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k === STAND_IN ? '__proto__' : k, walk(x)]));
  };
  return walk(value) as T;
}

/**
 * The value under a key of a record read from a file or a server, own keys only: `record.constructor` of a plain
 * object is a function, `record.__proto__` its prototype — never an entry.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets an own entry, also for the key `__proto__` (an assignment would set the prototype instead). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
