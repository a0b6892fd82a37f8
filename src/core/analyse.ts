import { runChecksPausing, type ServerView } from './checks/index.js';
import { applyDecisions } from './decisions.js';
import type { Finding } from './findings.js';
import type { Lockfile } from './lockfile/schema.js';

/**
 * Runs the classifiers over what the servers offer now, keeps what concerns the selected servers, applies the
 * lockfile's decisions and orders everything by server (each server's diff first, then its check findings).
 * `today` (`YYYY-MM-DD`, for decision expiry) is read from the clock at the CLI.
 */
export async function analyse(input: {
  diffFindings: readonly Finding[];
  views: readonly ServerView[];
  selected: ReadonlySet<string>;
  decisions: Lockfile['decisions'];
  today: string;
  /** Awaited between classifiers: the CLI hands the event loop back there, so signals are honoured promptly. */
  pause?: () => Promise<void>;
}): Promise<{ findings: Finding[]; notes: string[] }> {
  const checked = (await runChecksPausing(input.views, input.pause ?? (() => Promise.resolve()))).filter(
    (f) => input.selected.has(f.server),
  );
  const all = [...input.diffFindings, ...checked].sort((a, b) =>
    a.server < b.server ? -1 : a.server > b.server ? 1 : 0,
  );
  return applyDecisions(all, input.decisions ?? [], input.today);
}
