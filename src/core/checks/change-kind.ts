import { wordCounts } from '../text-diff.js';
import { directiveKinds } from './cross-reference.js';
import { instructionKinds } from './poisoning.js';

const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/**
 * What kind of change a text underwent, for a reviewer deciding in seconds: how many words came and went, whether
 * invisible characters or model-directed instructions were added.
 */
export function describeTextChange(before: string, after: string): string {
  const { added, removed, exact } = wordCounts(before, after);
  const parts = [`+${added} −${removed} words${exact ? '' : ' (the changed part, compared whole)'}`];
  const invisible =
    (after.match(INVISIBLE) ?? []).filter((c) => !'\n\r\t'.includes(c)).length -
    (before.match(INVISIBLE) ?? []).filter((c) => !'\n\r\t'.includes(c)).length;
  if (invisible > 0) parts.push(`${invisible} invisible characters added`);
  const before_ = new Set([...instructionKinds(before), ...directiveKinds(before)]);
  const gained = [...new Set([...instructionKinds(after), ...directiveKinds(after)])].filter(
    (k) => !before_.has(k),
  );
  if (gained.length > 0) parts.push(`adds ${gained.join(', ')}`);
  return parts.join('; ');
}
