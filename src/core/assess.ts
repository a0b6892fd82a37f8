import { compareServer } from './diff.js';
import { finding, type Finding } from './findings.js';
import type { LockServer, LockSource } from './lockfile/schema.js';
import type { SnapshotFailureKind } from './server-snapshot.js';

export type Mode = 'install' | 'update' | 'verify';

/** What a server offered now: a lock entry built from its snapshot, or why there is none. */
export type Outcome =
  { ok: true; entry: LockServer } | { ok: false; kind: SnapshotFailureKind; reason: string };

/** Every state a server can be reported in, declared once (the report schema takes them from here). */
export const SERVER_STATES = [
  'unchanged',
  'changed',
  'pinned',
  'updated',
  'unreachable',
  'limit-exceeded',
  'not-locked',
  'removed',
  'locked',
] as const;
export type State = (typeof SERVER_STATES)[number];

export interface Assessment {
  state: State;
  findings: Finding[];
  /** The entry the lockfile should hold for this server after the run (undefined: none). */
  entry: LockServer | undefined;
}

function failure(name: string, outcome: Extract<Outcome, { ok: false }>): Finding {
  return outcome.kind === 'limit-exceeded'
    ? finding('server-limit-exceeded', { server: name, message: `not pinned: ${outcome.reason}` })
    : finding('server-unreachable', { server: name, message: outcome.reason });
}

/**
 * The decision for one configured server. `install` pins what is new and never re-pins a drifted server (it reports
 * the drift); `update` accepts the live state; `verify` only reports. A server that could not be read keeps its entry.
 */
export function assessServer(
  mode: Mode,
  name: string,
  source: LockSource,
  locked: LockServer | undefined,
  outcome: Outcome | undefined,
): Assessment {
  if (!locked && mode === 'verify') {
    return {
      state: 'not-locked',
      entry: undefined,
      findings: [
        finding('server-added', {
          server: name,
          message: 'configured but not in the lockfile: run `mcp-lock install` to pin it',
        }),
      ],
    };
  }
  if (!outcome) return { state: 'unchanged', findings: [], entry: locked };
  if (!outcome.ok) {
    return {
      state: outcome.kind === 'limit-exceeded' ? 'limit-exceeded' : 'unreachable',
      findings: [failure(name, outcome)],
      entry: locked,
    };
  }
  if (!locked) return { state: 'pinned', findings: [], entry: outcome.entry };
  // install fills in a package the lock could not record before (its registry was unreachable); verify reports it.
  const changes = compareServer(name, locked, outcome.entry).filter(
    (f) => !(mode === 'install' && !locked.package && f.code === 'package-unresolved'),
  );
  if (changes.length === 0) {
    // Same server, perhaps now also named in another file: keep the entry, refresh where it is configured, and
    // record its package if the lock predates package pinning (a recorded package is only replaced by update).
    const pkg = locked.package ?? outcome.entry.package;
    return {
      state: 'unchanged',
      findings: [],
      entry: { ...locked, source: outcome.entry.source, ...(pkg ? { package: pkg } : {}) },
    };
  }
  if (mode === 'update') return { state: 'updated', findings: changes, entry: outcome.entry };
  return { state: 'changed', findings: changes, entry: locked };
}
