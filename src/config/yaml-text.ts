import { blocksTooDeep, bracketsTooDeep, MAX_CONFIG_DEPTH } from './depth.js';
import type { Document, Node } from 'yaml';
import { lazy } from '../lazy.js';

const yaml = lazy<typeof import('yaml')>('yaml');
import { PROTO_STAND_IN } from '../core/proto-keys.js';

/** What a config's text holds, with where its entries start (for line numbers) and the keys given twice. */
export interface ParsedYaml {
  value: unknown;
  /** Offset of each node `<key>\u0000<key>…` down to depth 4. */
  offsets: Map<string, number>;
  /** Key paths (joined by NUL) given twice in one mapping → offsets of the earlier ones. */
  duplicates: Map<string, number[]>;
}

const MAX_DEPTH = MAX_CONFIG_DEPTH;
/** More alias expansions than this is an expansion bomb, not a config. */
const MAX_ALIASES = 100;

interface Walk {
  doc: Document;
  out: ParsedYaml;
  aliases: number;
}

function keyOf(node: unknown): string {
  return yaml().isScalar(node) ? String(node.value) : String(node);
}

/**
 * The plain value of a YAML node, built here so that a key named `__proto__` stands in as PROTO_STAND_IN (as the
 * JSON reader does) and the offsets of entries are recorded on the way.
 */
function valueOf(node: Node | null, path: string[], walk: Walk, depth: number): unknown {
  const out = walk.out;
  if (depth > MAX_DEPTH) throw new RangeError(`nests deeper than ${MAX_DEPTH} levels`);
  if (node === null) return null;
  if (yaml().isMap(node)) {
    const entries = new Map<string, unknown>();
    const seenAt = new Map<string, number>();
    for (const pair of node.items) {
      if (!yaml().isPair(pair)) continue;
      const key = keyOf(pair.key);
      const here = [...path, key];
      const at = (pair.key as Node | null)?.range?.[0] ?? 0;
      const earlier = seenAt.get(key);
      if (earlier !== undefined && here.length <= 4) {
        const id = here.join('\u0000');
        out.duplicates.set(id, [...(out.duplicates.get(id) ?? []), earlier]);
      }
      seenAt.set(key, at);
      if (here.length <= 4) out.offsets.set(here.join('\u0000'), at);
      entries.set(
        key === '__proto__' ? PROTO_STAND_IN : key,
        valueOf(pair.value as Node | null, here, walk, depth + 1),
      );
    }
    return Object.fromEntries(entries);
  }
  if (yaml().isSeq(node)) {
    return node.items.map((item, i) => {
      const here = [...path, String(i)];
      if (here.length <= 4 && (item as Node | null)?.range)
        out.offsets.set(here.join('\u0000'), (item as Node).range![0]);
      return valueOf(item as Node | null, here, walk, depth + 1);
    });
  }
  if (yaml().isScalar(node)) return node.value;
  if (yaml().isAlias(node)) {
    if (++walk.aliases > MAX_ALIASES) throw new RangeError(`expands more than ${MAX_ALIASES} aliases`);
    return valueOf((node.resolve(walk.doc) as Node | undefined) ?? null, path, walk, depth + 1);
  }
  return null;
}

/** Parses YAML text, or says what is wrong with it (line and column). */
export function parseYaml(text: string): ({ ok: true } & ParsedYaml) | { ok: false; errors: string[] } {
  if (text.trim() === '') return { ok: false, errors: ['the file is empty'] };
  if (bracketsTooDeep(text) || blocksTooDeep(text))
    return { ok: false, errors: [`nests deeper than ${MAX_CONFIG_DEPTH} levels`] };
  const doc = yaml().parseDocument(text, { uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, 3).map((e) => {
        const at = e.linePos?.[0];
        return `YAML syntax error (${e.code})${at ? ` at line ${at.line}, column ${at.col}` : ''}`;
      }),
    };
  }
  const out: ParsedYaml = { value: undefined, offsets: new Map(), duplicates: new Map() };
  try {
    out.value = valueOf(doc.contents as Node | null, [], { doc, out, aliases: 0 }, 0);
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, errors: [error.message] };
    throw error;
  }
  return { ok: true, ...out };
}
