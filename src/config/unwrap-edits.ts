import type { Edit } from 'jsonc-parser';
import type { WrappedEntry } from '../core/wrapped-entry.js';

/** Where a value sits in a config's text: from its first character to just after its last. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The edits every config format makes to unwrap a wrapped launch line whose args list holds wrap's words, then the
 * original command, then the original args: the original command's text (as written) back in place of the launcher,
 * and — when the entry had args of its own — wrap's words and the original command taken out of the list. When it had
 * none (`complete: false`), the caller removes the args property wrap added, which each format writes its own way.
 */
export function unwrapArgsEdits(
  text: string,
  command: Span,
  items: readonly Span[],
  wrapped: WrappedEntry,
): { edits: Edit[]; complete: boolean } {
  const at = items.length - wrapped.args.length - 1;
  const original = items[at]!;
  const edits: Edit[] = [
    {
      offset: command.start,
      length: command.end - command.start,
      content: text.slice(original.start, original.end),
    },
  ];
  if (!wrapped.hadArgs) return { edits, complete: false };
  const stop = at + 1 < items.length ? items[at + 1]!.start : original.end;
  edits.push({ offset: items[0]!.start, length: stop - items[0]!.start, content: '' });
  return { edits, complete: true };
}
