import type { State } from './assess.js';
import type { Finding } from './findings.js';
import type { LockServer, LockSource } from './lockfile/schema.js';
import { compareSource } from './source-diff.js';

// What can be said of configured servers without launching them. Kept apart from assess.ts so that `ls` does not
// load the tool diff and its classifiers (~30 ms of start-up).

/** A configured server compared without launching it (`ls`): locked, configured differently, or not locked. */
export function assessConfig(
  name: string,
  source: LockSource,
  locked: Pick<LockServer, 'source'> | undefined,
): { state: State; findings: Finding[] } {
  if (!locked) return { state: 'not-locked', findings: [] };
  const changes = compareSource(name, locked.source, source);
  return { state: changes.length > 0 ? 'changed' : 'unchanged', findings: changes };
}

/**
 * Locked servers that no config defines any more. Only entries whose config files were all looked at in this run
 * count: a user-level server is not "removed" because this run did not read the user's configs.
 */
export function removedServers(
  lock: { servers: Record<string, Pick<LockServer, 'source'>> },
  configured: ReadonlySet<string>,
  lookedAt: ReadonlySet<string>,
): string[] {
  return Object.entries(lock.servers)
    .filter(
      ([name, server]) => !configured.has(name) && server.source.configs.every((c) => lookedAt.has(c.file)),
    )
    .map(([name]) => name)
    .sort();
}
