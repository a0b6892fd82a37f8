import type { Outcome } from '../core/assess.js';
import { finding, type Finding } from '../core/findings.js';
import type { ObservedIdentity } from '../core/client-identities.js';
import type {
  ClientIdentity,
  LockServer,
  LockSource,
  Lockfile,
  Permissions,
} from '../core/lockfile/schema.js';
import type { Sandbox } from '../sandbox/index.js';
import { identitiesFor } from '../core/observation.js';
import { lockSource } from '../core/lockfile/source.js';
import type { ConfiguredServer } from '../core/servers.js';
import { DEFAULT_LIMITS, type SnapshotLimits, type SnapshotResult } from '../core/server-snapshot.js';
import { resolvePackageStaged } from '../registry/index.js';
import type { Workspace } from '../workspace.js';
import { mapConcurrent } from './concurrency.js';
import { launchFromTree } from './materialised-launch.js';
import { npxCachedLaunch, warmNpx } from './npx-warmup.js';
import { observeAs } from './observe-server.js';
import type { Registries } from './registries.js';
import { own } from '../core/proto-keys.js';
import { reportedVersion } from '../core/package/compare.js';

/** How servers are observed in a run. */
export interface ObserveSettings {
  /** Time allowed per server, start to last list. */
  timeoutMs: number;
  /** Servers observed at once. */
  concurrency: number;
  limits?: SnapshotLimits;
  /** Launch nothing: a locked server's definitions stand, its config and its registry are checked. */
  offline?: boolean;
  /** Install each npm server's locked dependency tree in the cache and launch it from there, not through npx. */
  materialise?: boolean;
  onProgress?: (server: string, phase: 'start' | 'done', state?: string) => void;
  /** What stdio servers are launched in (none: launched as they are). */
  sandbox?: Sandbox;
  /** What each server may do in its sandbox; by default what its lock entry grants. */
  permissions?: (server: string) => Permissions | undefined;
}

/** One server as a run saw it: what it offers now (or why not), its package, and what to say about it. */
export interface Observation {
  server: ConfiguredServer;
  source: LockSource;
  outcome: Outcome;
  stderr: string;
  /** Findings about the observation itself (a package that could not be resolved). */
  problems: Finding[];
  notes: string[];
  /** The newest version the registry publishes, when it was asked. */
  latest: string | undefined;
}

/**
 * As whom a server is observed: a lock entry that recorded its identities is observed the same way again; one made
 * before they were recorded, exactly as it was made (the lock's one identity, the legacy era), so an upgrade of
 * mcp-lock does not turn into drift; a server not yet locked, as each client whose config loads it.
 */
function viewsOf(
  server: ConfiguredServer,
  locked: LockServer | undefined,
  input: { client: ClientIdentity; probeAs?: readonly ObservedIdentity[] },
): { identities: ObservedIdentity[]; legacyOnly: boolean } {
  if (locked?.observed) {
    const extra = (input.probeAs ?? []).filter(
      (p) => !locked.observed!.as.some((a) => a.name === p.name && a.version === p.version),
    );
    return { identities: [...locked.observed.as, ...extra], legacyOnly: false };
  }
  const fallback: ObservedIdentity = { ...input.client, era: 'modern' };
  if (locked) return { identities: [{ ...input.client, era: 'legacy' }], legacyOnly: true };
  return { identities: identitiesFor(server.specs, fallback, input.probeAs), legacyOnly: false };
}

/**
 * Snapshots the servers concurrently, each under its own timeout, and resolves each one's package beside it; a
 * failure is an outcome, never an exception.
 */
export async function observeServers(input: {
  workspace: Workspace;
  registries: Registries;
  servers: readonly ConfiguredServer[];
  client: ClientIdentity;
  /** Identities to observe every new server as, beside its clients' (`--probe-as`). */
  probeAs?: readonly ObservedIdentity[];
  settings: ObserveSettings;
  lock?: Lockfile | null;
}): Promise<Observation[]> {
  const { workspace, registries, settings } = input;
  const { discovery, env } = workspace;
  // A slot is held while a server runs, not while its dependency tree is still being resolved: that is awaited after.
  const launched = await mapConcurrent(input.servers, settings.concurrency, async (server) => {
    settings.onProgress?.(server.name, 'start');
    const source = lockSource(server.specs);
    // The launch waits for the package's version only; its dependency tree is resolved meanwhile.
    const { pin: pinned, full: packaged } = resolvePackageStaged(source, registries.npm, {
      cwd: discovery.cwd,
      path: env.PATH,
      trustedRoot: registries.trustedRoot,
      closure: true,
      env,
    });
    const locked = own(input.lock?.servers, server.name);
    const permissions = settings.permissions ? settings.permissions(server.name) : locked?.permissions;
    let outcome: Outcome;
    let stderr = '';
    let escaped: number | null | undefined;
    let entry: LockServer | undefined;
    const views: Finding[] = [];
    const notes: string[] = [];
    if (settings.offline && locked) {
      const pkg = await packaged;
      const { package: _old, ...rest } = locked;
      outcome = { ok: true, entry: { ...rest, source, ...(pkg.ok && pkg.pkg ? { package: pkg.pkg } : {}) } };
    } else {
      let spec = server.specs[0]!;
      let treeFailure: string | undefined;
      if (settings.materialise) {
        try {
          const tree = await launchFromTree(workspace, spec, await packaged);
          if (tree.note) notes.push(tree.note);
          spec = tree.spec;
        } catch (error) {
          treeFailure = `its locked dependency tree could not be installed: ${(error as Error).message}`;
        }
      }
      let result: SnapshotResult;
      if (!treeFailure && spec.transport === 'stdio' && !settings.materialise) {
        const pkg = await pinned;
        if (pkg.ok && pkg.pkg?.type === 'npm') {
          const note = await warmNpx({
            spec,
            name: pkg.pkg.name,
            version: pkg.pkg.version,
            env,
            home: discovery.home,
            cwd: discovery.cwd,
            ...(settings.onProgress
              ? { onProgress: (text: string) => settings.onProgress?.(text, 'start') }
              : {}),
          });
          if (note) notes.push(note);
          // In a sandbox, npx can reach neither the registry nor its read-only cache: the bin it would run is
          // launched from the cache directly.
          if (settings.sandbox?.confines && spec.command !== undefined && pkg.pkg.version) {
            const cachedLaunch = await npxCachedLaunch({
              command: spec.command,
              args: spec.args ?? [],
              name: pkg.pkg.name,
              version: pkg.pkg.version,
              env,
              home: discovery.home,
            });
            if (cachedLaunch) spec = { ...spec, command: cachedLaunch.command, args: cachedLaunch.args };
          }
        }
      }
      if (treeFailure) {
        result = { ok: false, kind: 'unreachable', reason: treeFailure, stderr: '' };
      } else {
        const seen = await observeAs({
          spec,
          source,
          name: server.name,
          ...viewsOf(server, locked, input),
          timeoutMs: settings.timeoutMs,
          base: {
            limits: settings.limits ?? DEFAULT_LIMITS,
            parentEnv: env,
            ...(settings.sandbox ? { sandbox: settings.sandbox } : {}),
            ...(permissions ? { permissions } : {}),
            variables: { env, userHome: discovery.home, workspaceFolder: discovery.cwd, pathSeparator: '/' },
          },
          pkg: async () => {
            const pkg = await pinned;
            return pkg.ok ? pkg.pkg : undefined;
          },
        });
        result = seen.result;
        views.push(...seen.findings);
        notes.push(...seen.notes);
        if (seen.entry) entry = seen.entry;
      }
      if (!result.ok && spec.transport === 'stdio' && settings.sandbox?.confines && !permissions?.network) {
        result = {
          ...result,
          reason: `${result.reason} (it ran in a sandbox without network: if it needs the network to list its tools, grant it with --allow-network ${server.name})`,
        };
      }
      outcome =
        result.ok && entry
          ? { ok: true, entry }
          : result.ok
            ? { ok: false, kind: 'unreachable', reason: 'no entry' }
            : { ok: false, kind: result.kind, reason: result.reason };
      stderr = result.stderr;
      escaped = result.escaped;
    }
    return async (): Promise<Observation> => {
      const pkg = await packaged;
      // Offline, a locked server is not run: its entry (serverInfo included) is the lock's.
      const ran = !(settings.offline && locked);
      if (outcome.ok && ran) {
        // The entry was made with the pin alone; it takes the package with its tree, or none when that failed.
        const { package: _pin, ...rest } = outcome.entry;
        outcome = { ok: true, entry: pkg.ok && pkg.pkg ? { ...rest, package: pkg.pkg } : rest };
      }
      settings.onProgress?.(server.name, 'done', outcome.ok ? 'read' : outcome.kind);
      const problems = pkg.ok
        ? [...views]
        : [
            ...views,
            finding('package-unresolved', { server: server.name, field: 'package', message: pkg.reason }),
          ];
      if (outcome.ok && pkg.ok && pkg.published && ran) {
        problems.push(...reportedVersion(server.name, outcome.entry, pkg.published, locked));
      }
      if (escaped === null) {
        notes.push(
          `${server.name}: processes it might start outside its process group cannot be looked for on this system; run it sandboxed`,
        );
      }
      if (escaped) {
        problems.push(
          finding('server-process-escaped', {
            server: server.name,
            message: `${escaped} process${escaped === 1 ? '' : 'es'} it started outlived it (left its process group) and ${escaped === 1 ? 'was' : 'were'} killed`,
          }),
        );
      }
      return { server, source, outcome, stderr, problems, notes, latest: pkg.ok ? pkg.latest : undefined };
    };
  });
  return Promise.all(launched.map((finish) => finish()));
}
