import { bracketsTooDeep, MAX_CONFIG_DEPTH } from './depth.js';
import { lazy } from '../lazy.js';

const toml = lazy<typeof import('smol-toml')>('smol-toml');
import { PROTO_STAND_IN } from '../core/proto-keys.js';
import type { ParsedYaml as ParsedValue } from './yaml-text.js';

/** A key of a table header: bare (`a-b_1`) or quoted (`"a.b"`, `'a'`). */
const HEADER_KEY = /\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*/y;

/** The dotted keys of a `[table.header]` line, or undefined for any other line. */
export function headerKeys(line: string): string[] | undefined {
  const open = /^\s*\[(?!\[)/.exec(line);
  if (!open) return undefined;
  const keys: string[] = [];
  let at = open[0].length;
  for (;;) {
    HEADER_KEY.lastIndex = at;
    const key = HEADER_KEY.exec(line);
    if (!key) return undefined;
    keys.push(key[1] ?? (key[2] !== undefined ? JSON.parse(`"${key[2]}"`) : key[3]!));
    at = HEADER_KEY.lastIndex;
    if (line[at] === '.') at++;
    else if (line[at] === ']') return keys;
    else return undefined;
  }
}

/** A key named `__proto__` stands in as PROTO_STAND_IN, as the JSON reader does. */
function standIn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(standIn);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k === '__proto__' ? PROTO_STAND_IN : k, standIn(v)]),
  );
}

/**
 * Parses TOML text (smol-toml), with the offset of each `[a.b]` table header as an entry's place. TOML forbids a
 * table defined twice, so there are no duplicates to report: the parser refuses them.
 */
export function parseToml(text: string): ({ ok: true } & ParsedValue) | { ok: false; errors: string[] } {
  if (text.trim() === '') return { ok: false, errors: ['the file is empty'] };
  if (bracketsTooDeep(text)) return { ok: false, errors: [`nests deeper than ${MAX_CONFIG_DEPTH} levels`] };
  let value: unknown;
  try {
    value = toml().parse(text);
  } catch (error) {
    if (!(error instanceof toml().TomlError)) throw error;
    const what = error.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
    return {
      ok: false,
      errors: [`TOML syntax error (${what}) at line ${error.line}, column ${error.column}`],
    };
  }
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const line of text.split('\n')) {
    const keys = headerKeys(line);
    if (keys && keys.length <= 4) offsets.set(keys.join('\u0000'), offset);
    offset += line.length + 1;
  }
  return { ok: true, value: standIn(value), offsets, duplicates: new Map() };
}
