import { snapshotServer, type SnapshotOptions } from '../connect/snapshot-server.js';
import { identityKey, type ObservedIdentity, type ProtocolEra } from '../core/client-identities.js';
import type { Finding } from '../core/findings.js';
import { toLockServer } from '../core/lockfile/entry.js';
import type { LockPackage, LockServer, LockSource, Observation } from '../core/lockfile/schema.js';
import { mismatch, offerDifferences } from '../core/observation.js';
import type { ServerSpec } from '../core/server-spec.js';
import type { SnapshotResult } from '../core/server-snapshot.js';

/** What observing one server as its clients gave: the entry to pin (or why none), and what the views disagree on. */
export interface ServerObservation {
  result: SnapshotResult;
  entry?: LockServer;
  findings: Finding[];
  notes: string[];
}

type Base = Omit<SnapshotOptions, 'identity' | 'era' | 'timeoutMs'>;

/** A view's label in a finding: the identity, and the era when it is not the identity's own. */
function label(identity: ObservedIdentity, era?: ProtocolEra): string {
  return `${identityKey(identity)}${era ? ` (${era === 'modern' ? '2026-07-28' : 'initialize'})` : ''}`;
}

/**
 * Observes a server as each client that loads it, in each protocol era it speaks:
 * - as the first identity, probing `server/discover` first: a server that speaks 2026-07-28 is also asked in the
 *   legacy era (a separate connection), and the two compared (`server-era-mismatch`);
 * - the era pinned is the one the first identity asks for, when the server speaks it;
 * - as every other identity, in that era, compared with the pinned view (`server-identity-mismatch`).
 * `legacyOnly` (a lock made before identities and eras were recorded) observes exactly as that lock was made.
 * All of it within one time budget; a secondary view that fails is a note, not a failure of the server.
 */
export async function observeAs(input: {
  spec: ServerSpec;
  source: LockSource;
  name: string;
  identities: readonly ObservedIdentity[];
  legacyOnly: boolean;
  timeoutMs: number;
  base: Base;
  pkg: () => Promise<LockPackage | undefined>;
}): Promise<ServerObservation> {
  const deadline = Date.now() + input.timeoutMs;
  const left = () => Math.max(1_000, deadline - Date.now());
  // The first view gets the whole --timeout (and its messages name it); later ones what is left of it.
  let firstView = true;
  const snap = (identity: ObservedIdentity, era: SnapshotOptions['era']) => {
    const timeoutMs = firstView ? input.timeoutMs : left();
    firstView = false;
    return snapshotServer(input.spec, { ...input.base, identity, era, timeoutMs });
  };
  const [first, ...others] = input.identities as [ObservedIdentity, ...ObservedIdentity[]];
  const notes: string[] = [];
  const findings: Finding[] = [];

  const probed = await snap(first, input.legacyOnly ? 'legacy' : 'probe');
  if (!probed.ok) return { result: probed, findings, notes };
  const views: Partial<Record<ProtocolEra, Extract<SnapshotResult, { ok: true }>>> = { [probed.era]: probed };
  let escaped = probed.escaped;
  const addEscaped = (r: SnapshotResult) => {
    if (r.escaped === undefined) return;
    escaped = escaped === null || r.escaped === null ? null : (escaped ?? 0) + r.escaped;
  };
  if (probed.era === 'modern') {
    const legacy = await snap(first, 'legacy');
    addEscaped(legacy);
    if (legacy.ok) views.legacy = legacy;
  }
  const eras = (['modern', 'legacy'] as const).filter((e) => views[e]);
  const pinnedEra: ProtocolEra = views[first.era] ? first.era : eras[0]!;
  const ordered: ProtocolEra[] = [pinnedEra, ...eras.filter((e) => e !== pinnedEra)];
  const observed: Observation | undefined = input.legacyOnly
    ? undefined
    : { as: [...input.identities], eras: ordered };
  const pkg = await input.pkg();
  const entryOf = (r: Extract<SnapshotResult, { ok: true }>) =>
    toLockServer(input.source, r.snapshot, pkg, observed);
  const primary = views[pinnedEra]!;
  const entry = entryOf(primary);

  if (ordered.length === 2) {
    const other = ordered[1]!;
    const differences = offerDifferences(input.name, entry, entryOf(views[other]!));
    if (differences.length > 0) {
      findings.push(
        mismatch(
          'server-era-mismatch',
          input.name,
          [label(first, pinnedEra), label(first, other)],
          differences,
        ),
      );
    }
  }
  for (const identity of others) {
    const view = await snap(identity, pinnedEra);
    addEscaped(view);
    if (!view.ok) {
      notes.push(`${input.name}: not compared as ${label(identity)}: ${view.reason}`);
      continue;
    }
    const differences = offerDifferences(input.name, entry, entryOf(view));
    if (differences.length > 0) {
      findings.push(
        mismatch('server-identity-mismatch', input.name, [label(first), label(identity)], differences),
      );
    }
  }
  const stderr = primary.stderr;
  return {
    result: { ...primary, stderr, ...(escaped === undefined ? {} : { escaped }) },
    entry,
    findings,
    notes,
  };
}
