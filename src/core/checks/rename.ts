import { canonicalize } from '../canonical.js';
import { finding, type Finding } from '../findings.js';
import type { ToolEntry } from '../lockfile/schema.js';
import { TOOL_FIELDS } from '../lockfile/schema.js';

/** How alike two definitions must be (apart from the name) to be one tool renamed rather than one removed and one added. */
export const RENAME_SIMILARITY = 0.8;
/** The most added tools one removed tool is compared with: the rest share none of its rare tokens, or are clones. */
const MAX_CANDIDATES = 64;

/** The definition as a bag of tokens: each word of each text, and each other value, tagged with where it sits. */
function tokens(value: unknown, path = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const w of value.split(/\s+/)) if (w) out.push(`${path}:${w}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => tokens(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) tokens(v, `${path}.${k}`, out);
  } else {
    out.push(`${path}=${canonicalize(value ?? null)}`);
  }
  return out;
}

interface Bag {
  counts: Map<string, number>;
  size: number;
}

function bagOf(definition: Record<string, unknown>): Bag {
  const { name: _name, ...rest } = definition;
  const counts = new Map<string, number>();
  let size = 0;
  for (const t of tokens(rest)) {
    counts.set(t, (counts.get(t) ?? 0) + 1);
    size++;
  }
  return { counts, size };
}

function dice(a: Bag, b: Bag): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let common = 0;
  for (const [t, n] of small.counts) common += Math.min(n, large.counts.get(t) ?? 0);
  return (2 * common) / (a.size + b.size);
}

/** Dice coefficient of the two token bags: 1 for identical definitions, 0 for nothing in common. */
export function similarity(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return dice(bagOf(a), bagOf(b));
}

/**
 * The added tools worth comparing with a removed one. Dice ≥ t needs an overlap of at least t·|A|/(2−t) tokens, so an
 * added tool that shares none of A's rarest |A|·(1 − t/(2−t)) + 1 tokens cannot reach the threshold (prefix
 * filtering). Of the rest, only those of a fitting size, and at most MAX_CANDIDATES: clones of one definition are
 * interchangeable, and comparing each with each would be quadratic.
 */
function candidates(a: Bag, index: Map<string, number[]>, added: Bag[], offset: number): number[] {
  const t = RENAME_SIMILARITY;
  const minOverlap = Math.ceil((t * a.size) / (2 - t));
  const byRarity = [...a.counts].sort(
    (x, y) => (index.get(x[0])?.length ?? 0) - (index.get(y[0])?.length ?? 0),
  );
  const out = new Set<number>();
  let covered = 0;
  for (const [token, n] of byRarity) {
    if (covered > a.size - minOverlap) break;
    covered += n;
    const list = index.get(token) ?? [];
    // Each removed tool starts at its own place in a long list, so clones pair off instead of all wanting the first.
    for (let k = 0; k < list.length; k++) {
      const i = list[(k + offset) % list.length]!;
      const size = added[i]!.size;
      if (size * (2 - t) < t * a.size || t * size > (2 - t) * a.size) continue;
      out.add(i);
      if (out.size >= MAX_CANDIDATES) return [...out];
    }
  }
  if (a.size === 0) added.forEach((b, i) => b.size === 0 && out.size < MAX_CANDIDATES && out.add(i));
  return [...out];
}

/**
 * tool-renamed: pairs each removed tool with the most similar added one at or above the threshold, best pairs first.
 * Returns the renames and the names they account for, so they are not also reported as a removal and an addition.
 * Each definition is tokenised once and compared only with candidates found through an index of its rare tokens.
 */
export function pairRenames(
  server: string,
  removed: Record<string, ToolEntry>,
  added: Record<string, ToolEntry>,
): { findings: Finding[]; removed: Set<string>; added: Set<string> } {
  const addedNames = Object.keys(added);
  const addedBags = addedNames.map((name) => bagOf(added[name]!.definition));
  const index = new Map<string, number[]>();
  addedBags.forEach((bag, i) => {
    for (const token of bag.counts.keys()) {
      const list = index.get(token);
      if (list) list.push(i);
      else index.set(token, [i]);
    }
  });
  const pairs: { from: string; to: string; score: number }[] = [];
  for (const [ordinal, [from, entry]] of Object.entries(removed).entries()) {
    const bag = bagOf(entry.definition);
    for (const i of candidates(bag, index, addedBags, ordinal)) {
      const score = dice(bag, addedBags[i]!);
      if (score >= RENAME_SIMILARITY) pairs.push({ from, to: addedNames[i]!, score });
    }
  }
  pairs.sort(
    (x, y) => y.score - x.score || (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : 1),
  );
  const out = { findings: [] as Finding[], removed: new Set<string>(), added: new Set<string>() };
  for (const { from, to, score } of pairs) {
    if (out.removed.has(from) || out.added.has(to)) continue;
    out.removed.add(from);
    out.added.add(to);
    const differing = TOOL_FIELDS.filter((f) => removed[from]!.fields[f] !== added[to]!.fields[f]);
    const how =
      differing.length === 0
        ? 'definition otherwise identical'
        : `${Math.round(score * 100)}% similar; ${differing.join(', ')} differ`;
    out.findings.push(
      finding('tool-renamed', {
        server,
        tool: to,
        field: 'name',
        message: `tool ${from} renamed to ${to} (${how})`,
        before: from,
        after: to,
      }),
    );
  }
  return out;
}
