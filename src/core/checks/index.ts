import type { Finding } from '../findings.js';
import { confusableNames, confusableServerNames } from './confusable.js';
import { crossReferenceOf } from './cross-reference.js';
import { duplicateDefinitions } from './duplicates.js';
import { hiddenContent } from './hidden-content.js';
import { secretInArguments } from './launch-line.js';
import { packageTrust } from './package.js';
import { poisoningOf } from './poisoning.js';
import { shadowing } from './shadowing.js';
import { terminalEscape } from './terminal-escape.js';
import type { Check, ServerCheck, ServerView } from './types.js';

export type { ServerView } from './types.js';

/** The classifiers that look at what servers offer now (renames are found by the diff, which sees before and after). */
export const CHECKS: readonly (Check | ServerCheck)[] = [
  packageTrust,
  secretInArguments,
  duplicateDefinitions,
  hiddenContent,
  terminalEscape,
  { each: crossReferenceOf },
  shadowing,
  confusableNames,
  confusableServerNames,
  { each: (_servers, view) => poisoningOf(view) },
];

/** Every classifier over the servers a run sees, in a stable order. */
export function runChecks(servers: readonly ServerView[]): Finding[] {
  return CHECKS.flatMap((check) =>
    typeof check === 'function' ? check(servers) : servers.flatMap((view) => check.each(servers, view)),
  );
}

/**
 * The same, awaiting `pause` between classifiers (and between servers, for those that judge one at a time): on thousands of tools the checks take a while, and the caller
 * hands the event loop back there so a Ctrl-C does not wait for all of them (a signal handler runs between turns).
 */
export async function runChecksPausing(
  servers: readonly ServerView[],
  pause: () => Promise<void>,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    if (typeof check === 'function') {
      await pause();
      findings.push(...check(servers));
      continue;
    }
    for (const view of servers) {
      await pause();
      findings.push(...check.each(servers, view));
    }
  }
  return findings;
}
