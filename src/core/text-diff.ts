import { diffLines, diffWords } from 'diff';

export interface Change {
  value: string;
  added?: boolean;
  removed?: boolean;
}

/** Past this, the changed middle of two texts is shown as removed and added whole rather than diffed. */
const MAX_DIFFED_CHARS = 50_000;
/** The most edits a diff looks for (Myers' diff is O(N·D)): past this, removed and added whole. */
const MAX_EDITS = 500;

/** Where two texts stop being alike from the start and from the end, never splitting a surrogate pair. */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix))
    suffix++;
  return { prefix, suffix };
}

/** Moves a cut back to the start of its word (or line), so the diff of the middle sees whole tokens. */
function snapBack(text: string, at: number, boundary: RegExp): number {
  let i = at;
  while (i > 0 && !boundary.test(text[i - 1]!)) i--;
  return i;
}

function snapForward(text: string, at: number, boundary: RegExp): number {
  let i = at;
  while (i < text.length && !boundary.test(text[i]!)) i++;
  return i;
}

/**
 * A word (or line) diff that stays linear on hostile input: the common start and end are cut off first, and a changed
 * middle too long or too different to diff cheaply is given as removed and added whole (`exact: false`). A rug pull
 * of a 12,000-word description costs milliseconds, not minutes.
 */
export function boundedDiff(
  before: string,
  after: string,
  unit: 'words' | 'lines' = 'words',
): { changes: Change[]; exact: boolean } {
  const boundary = unit === 'words' ? /\s/ : /\n/;
  const ends = commonEnds(before, after);
  const start = snapBack(before, ends.prefix, boundary);
  const endBefore = snapForward(before, before.length - ends.suffix, boundary);
  const endAfter = endBefore - before.length + after.length;
  const head = before.slice(0, start);
  const tail = before.slice(endBefore);
  const middleBefore = before.slice(start, endBefore);
  const middleAfter = after.slice(start, Math.max(start, endAfter));
  const out: Change[] = head ? [{ value: head }] : [];
  let exact = true;
  if (middleBefore || middleAfter) {
    const small = middleBefore.length + middleAfter.length <= MAX_DIFFED_CHARS;
    const options = { maxEditLength: MAX_EDITS };
    const diffed = !small
      ? undefined
      : unit === 'words'
        ? diffWords(middleBefore, middleAfter, options)
        : diffLines(middleBefore, middleAfter, options);
    if (diffed)
      out.push(
        ...diffed.map((c) => ({
          value: c.value,
          ...(c.added ? { added: true } : {}),
          ...(c.removed ? { removed: true } : {}),
        })),
      );
    else {
      exact = false;
      if (middleBefore) out.push({ value: middleBefore, removed: true });
      if (middleAfter) out.push({ value: middleAfter, added: true });
    }
  }
  if (tail) out.push({ value: tail });
  return { changes: out, exact };
}

/** Words added and removed between two texts, by the bounded diff. */
export function wordCounts(
  before: string,
  after: string,
): { added: number; removed: number; exact: boolean } {
  const { changes, exact } = boundedDiff(before, after);
  let added = 0;
  let removed = 0;
  for (const part of changes) {
    const words = part.value.split(/\s+/).filter(Boolean).length;
    if (part.added) added += words;
    else if (part.removed) removed += words;
  }
  return { added, removed, exact };
}
