import { canonicalize } from '../canonical.js';
import { finding, type Finding } from '../findings.js';
import type { ToolEntry } from '../lockfile/schema.js';
import { TOOL_FIELDS } from '../lockfile/schema.js';

/** How alike two definitions must be (apart from the name) to be one tool renamed rather than one removed and one added. */
export const RENAME_SIMILARITY = 0.8;

/** The definition as a bag of tokens: each word of each text, and each other value, tagged with where it sits. */
function tokens(value: unknown, path = ''): string[] {
  if (typeof value === 'string')
    return value
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => `${path}:${w}`);
  if (Array.isArray(value)) return value.flatMap((v, i) => tokens(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => tokens(v, `${path}.${k}`));
  }
  return [`${path}=${canonicalize(value ?? null)}`];
}

function withoutName(definition: Record<string, unknown>): Record<string, unknown> {
  const { name: _name, ...rest } = definition;
  return rest;
}

/** Dice coefficient of the two token bags: 1 for identical definitions, 0 for nothing in common. */
export function similarity(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const left = tokens(withoutName(a));
  const right = tokens(withoutName(b));
  if (left.length === 0 && right.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const t of left) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of right) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      common++;
      counts.set(t, n - 1);
    }
  }
  return (2 * common) / (left.length + right.length);
}

/**
 * tool-renamed: pairs each removed tool with the most similar added one at or above the threshold, best pairs first.
 * Returns the renames and the names they account for, so they are not also reported as a removal and an addition.
 */
export function pairRenames(
  server: string,
  removed: Record<string, ToolEntry>,
  added: Record<string, ToolEntry>,
): { findings: Finding[]; removed: Set<string>; added: Set<string> } {
  const candidates: { from: string; to: string; score: number }[] = [];
  for (const [from, a] of Object.entries(removed)) {
    for (const [to, b] of Object.entries(added)) {
      const score = similarity(a.definition, b.definition);
      if (score >= RENAME_SIMILARITY) candidates.push({ from, to, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  const out = { findings: [] as Finding[], removed: new Set<string>(), added: new Set<string>() };
  for (const { from, to, score } of candidates) {
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
