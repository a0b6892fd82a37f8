import { canonicalEqual } from './canonical.js';
import { changedPaths, describePaths } from './changed-paths.js';
import { finding, type Finding } from './findings.js';
import type { LockServer } from './lockfile/schema.js';
import { launchIdentity } from './lockfile/source.js';

// How a server is launched, compared on its own: `ls` needs only this, not the tool diff and its classifiers.

/** `env API_KEY now takes ${AWS…} (locked: ${MY_TOKEN})`: which secret goes where, named entry by entry. */
function templateChanges(
  kind: 'env' | 'header',
  before: Record<string, string> | undefined,
  after: Record<string, string> | undefined,
): string[] {
  if (!before || !after) return [];
  return Object.keys(after)
    .filter((name) => Object.hasOwn(before, name) && before[name] !== after[name])
    .map((name) => `${kind} ${name} now takes ${after[name]} (locked: ${before[name]})`);
}

/** How a server is launched changed: a new package version, another command or URL, other variables. */
export function compareSource(
  server: string,
  locked: LockServer['source'],
  live: LockServer['source'],
): Finding[] {
  const before = launchIdentity(locked);
  const after = launchIdentity(live, locked);
  if (canonicalEqual(before, after)) return [];
  const paths = changedPaths(before, after);
  const swaps = [
    ...templateChanges('env', before.envValues, after.envValues),
    ...templateChanges('header', before.headerValues, after.headerValues),
  ];
  return [
    finding('server-config-changed', {
      server,
      field: describePaths(paths),
      message:
        swaps.length > 0
          ? `launch configuration changed: ${swaps.slice(0, 3).join('; ')}${swaps.length > 3 ? '; …' : ''}`
          : `launch configuration changed (${describePaths(paths)})`,
      before,
      after,
    }),
  ];
}
