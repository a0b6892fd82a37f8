import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  explicitConfig,
  projectConfigs,
  userConfigs,
  displayPath,
  type DiscoveryContext,
} from '../config/discover.js';
import { readConfigs } from '../config/read.js';
import { snapshotServer } from '../connect/snapshot-server.js';
import { type Outcome } from '../core/assess.js';
import { runChecks, type ServerView } from '../core/checks/index.js';
import { applyDecisions } from '../core/decisions.js';
import { finding, type Finding } from '../core/findings.js';
import { toLockServer } from '../core/lockfile/entry.js';
import { type ClientIdentity, type LockServer, type Lockfile } from '../core/lockfile/schema.js';
import { lockSource } from '../core/lockfile/source.js';
import { type FailOn } from '../core/policy.js';
import { mergeServers, type ConfiguredServer } from '../core/servers.js';
import { DEFAULT_LIMITS, type SnapshotLimits, type SnapshotResult } from '../core/server-snapshot.js';
import { McpLockError } from '../errors.js';
import { readLockfile, writeLockfile } from '../lockfile-io.js';
import { serializeLockfile } from '../core/lockfile/parse.js';
import { NpmConfig, resolvePackage, type PackageOutcome } from '../registry/index.js';
import { materialiseTree, treeBin, treeCacheRoot } from '../registry/materialise.js';
import { npxInvocation } from '../core/package/launch-line.js';
import type { ServerSpec } from '../core/server-spec.js';
import { type SigningConfig, type TrustAnchors } from '../signing/lockfile-signature.js';
import type { CommandName, Report, ServerReport } from '../report/model.js';
import { VERSION } from '../version.js';

/** What mcp-lock declares to servers: roots, sampling and elicitation, so servers list what they list for real clients. */
export const DEFAULT_CLIENT: ClientIdentity = {
  name: 'mcp-lock',
  version: VERSION,
  capabilities: { roots: {}, sampling: {}, elicitation: {} },
};

export const LOCKFILE_SCHEMA_REF = './node_modules/mcp-lock/schemas/mcp-lock.schema.json';

export interface RunOptions {
  cwd: string;
  /** Config files named with --config; none means: discover the project's. */
  configs: string[];
  user: boolean;
  lockfile: string;
  /** Only these servers; none means all. */
  servers: string[];
  timeoutMs: number;
  concurrency: number;
  failOn: FailOn;
  limits?: SnapshotLimits;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  onProgress?: (server: string, phase: 'start' | 'done', state?: string) => void;
  /** `YYYY-MM-DD`, for decision expiry; today by default. */
  today?: string;
  /** The verifier's trust anchors for the lockfile signature: from flags or environment, never from the lockfile. */
  anchors?: TrustAnchors;
  /** verify: check only the lockfile signature. */
  signatureOnly?: boolean;
  /** verify: launch nothing; check the lockfile, the configs and the registries. */
  offline?: boolean;
  /** Install each npm server's locked dependency tree in the cache and launch it from there, not through npx. */
  materialise?: boolean;
  /** install/update/accept: re-sign the lockfile after writing it. */
  signing?: SigningConfig;
}

export interface Context {
  npm: NpmConfig;
  /** The Sigstore trusted root for provenance, loaded once and only when a package publishes provenance. */
  trustedRoot: () => Promise<unknown>;
  /** What the report should say about that trusted root: a cached or seeded one may be stale. */
  trustNotes: string[];
  options: RunOptions;
  env: Readonly<Record<string, string | undefined>>;
  discovery: DiscoveryContext;
  lockPath: string;
  lockDisplay: string;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export function context(options: RunOptions): Context {
  const env = options.env ?? process.env;
  const discovery: DiscoveryContext = {
    cwd: resolve(options.cwd),
    home: options.home ?? homedir(),
    platform: process.platform,
    env,
  };
  const lockPath = resolve(discovery.cwd, options.lockfile);
  const trustNotes: string[] = [];
  return {
    trustNotes,
    options,
    env,
    discovery,
    lockPath,
    lockDisplay: displayPath(lockPath, discovery),
    npm: new NpmConfig(discovery.cwd, env),
    trustedRoot: once(async () => {
      const { loadTrustedRoot } = await import('../signing/trusted-root.js');
      const loaded = await loadTrustedRoot(
        options.anchors?.trustedRoot ?? {
          cachePath: join(env.XDG_CACHE_HOME ?? join(discovery.home, '.cache'), 'mcp-lock', 'tuf'),
        },
      );
      if (loaded.warning) trustNotes.push(`package provenance: ${loaded.warning}`);
      return loaded.root;
    }),
  };
}

/** Reads every config in scope; returns the servers and the files looked at (present or not). */
export async function configured(ctx: Context) {
  const { options, discovery } = ctx;
  const locations = [
    ...(options.configs.length > 0
      ? options.configs.map((c) => explicitConfig(c, discovery))
      : projectConfigs(discovery)),
    ...(options.user ? userConfigs(discovery) : []),
  ];
  const reads = await readConfigs(locations);
  const merged = mergeServers(reads.flatMap((r) => r.specs));
  return {
    ...merged,
    lookedAt: new Set(locations.map((l) => l.display)),
    read: reads.map((r) => r.location.display),
    /** Each file read, by the name the lock and the reports use for it. */
    paths: new Map(reads.map((r) => [r.location.display, r.location.path])),
  };
}

export function select(servers: ConfiguredServer[], lock: Lockfile | null, ctx: Context): ConfiguredServer[] {
  const wanted = ctx.options.servers;
  if (wanted.length === 0) return servers;
  for (const name of wanted) {
    if (!servers.some((s) => s.name === name) && !(lock && name in lock.servers)) {
      throw new McpLockError(
        'server-unknown',
        `no server named "${name}" in the configs or ${ctx.lockDisplay}`,
        {
          hint: 'run `mcp-lock ls` to see the configured servers',
        },
      );
    }
  }
  return servers.filter((s) => wanted.includes(s.name));
}

export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function noConfigError(ctx: Context, read: string[]): McpLockError {
  return new McpLockError(
    'config-not-found',
    read.length === 0
      ? `no MCP config found in ${ctx.discovery.cwd} (.mcp.json, .vscode/mcp.json, .cursor/mcp.json, .gemini/settings.json, .windsurf/mcp.json)`
      : `no MCP servers are configured in ${read.join(', ')}`,
    { hint: 'run mcp-lock in your project folder, or name a config with --config FILE (or add --user)' },
  );
}

/** Where a server is configured, with line numbers, for report locations (SARIF). */
export function locationsOf(server: ConfiguredServer): ServerReport['locations'] {
  return server.specs.map((s) => ({
    file: s.origin.file,
    key: s.origin.key,
    ...(s.origin.line ? { line: s.origin.line } : {}),
  }));
}

export function counts(entry: LockServer | undefined): ServerReport['counts'] {
  if (!entry) return undefined;
  return {
    tools: Object.keys(entry.tools).length,
    prompts: Object.keys(entry.prompts).length,
    resources: Object.keys(entry.resources).length,
    resourceTemplates: Object.keys(entry.resourceTemplates).length,
  };
}

/** Snapshots the servers concurrently, each under its own timeout; a failure is an outcome, never an exception. */
export async function observe(
  ctx: Context,
  servers: ConfiguredServer[],
  client: ClientIdentity,
  lock?: Lockfile | null,
) {
  const { options, discovery } = ctx;
  return mapConcurrent(servers, options.concurrency, async (server) => {
    options.onProgress?.(server.name, 'start');
    const source = lockSource(server.specs);
    const packaged = resolvePackage(source, ctx.npm, {
      cwd: discovery.cwd,
      path: ctx.env.PATH,
      trustedRoot: ctx.trustedRoot,
      closure: true,
      env: ctx.env,
    });
    const locked = lock?.servers[server.name];
    let outcome: Outcome;
    let stderr = '';
    const notes: string[] = [];
    if (options.offline && locked) {
      // --offline: nothing is launched; the locked definitions stand, the config and the registry are checked.
      const pkg = await packaged;
      const { package: _old, ...rest } = locked;
      outcome = { ok: true, entry: { ...rest, source, ...(pkg.ok && pkg.pkg ? { package: pkg.pkg } : {}) } };
    } else {
      let spec = server.specs[0]!;
      let treeFailure: string | undefined;
      if (options.materialise) {
        try {
          const tree = await launchFromTree(ctx, spec, await packaged);
          if (tree.note) notes.push(tree.note);
          spec = tree.spec;
        } catch (error) {
          treeFailure = `its locked dependency tree could not be installed: ${(error as Error).message}`;
        }
      }
      const result: SnapshotResult = treeFailure
        ? { ok: false, kind: 'unreachable', reason: treeFailure, stderr: '' }
        : await snapshotServer(spec, {
            timeoutMs: options.timeoutMs,
            limits: options.limits ?? DEFAULT_LIMITS,
            client,
            parentEnv: ctx.env,
            variables: {
              env: ctx.env,
              userHome: discovery.home,
              workspaceFolder: discovery.cwd,
              pathSeparator: '/',
            },
          });
      const pkg = await packaged;
      outcome = result.ok
        ? { ok: true, entry: toLockServer(source, result.snapshot, pkg.ok ? pkg.pkg : undefined) }
        : { ok: false, kind: result.kind, reason: result.reason };
      stderr = result.stderr;
    }
    const pkg = await packaged;
    options.onProgress?.(server.name, 'done', outcome.ok ? 'read' : outcome.kind);
    const problems = pkg.ok
      ? []
      : [finding('package-unresolved', { server: server.name, field: 'package', message: pkg.reason })];
    return { server, source, outcome, stderr, problems, notes, latest: pkg.ok ? pkg.latest : undefined };
  });
}

/**
 * `--materialise`: the server's locked npm tree installed with `npm ci --ignore-scripts` and its bin launched
 * directly, so the snapshot is of exactly the pinned code rather than whatever npx resolves today. A launch line
 * that is not a plain npx call is launched as configured, and says so.
 */
async function launchFromTree(
  ctx: Context,
  spec: ServerSpec,
  pkg: PackageOutcome,
): Promise<{ spec: ServerSpec; note?: string }> {
  if (!pkg.ok || pkg.pkg?.type !== 'npm' || !pkg.tree || !pkg.pkg.version || spec.command === undefined) {
    return { spec };
  }
  const invocation = npxInvocation(spec.command, spec.args ?? []);
  if (!invocation) {
    return {
      spec,
      note: `${spec.name}: launched as configured: its npm launch line is not a plain npx call`,
    };
  }
  const root = treeCacheRoot(ctx.env, ctx.discovery.home);
  const dir = await materialiseTree({
    root,
    lockText: pkg.tree,
    name: pkg.pkg.name,
    version: pkg.pkg.version,
    projectDir: ctx.discovery.cwd,
    env: ctx.env,
  });
  const bin = await treeBin(dir, pkg.pkg.name, invocation.bin);
  return {
    spec: { ...spec, command: bin, args: invocation.args },
    note: `${spec.name}: launched from its locked dependency tree (${displayPath(dir, ctx.discovery)})`,
  };
}

/**
 * Runs the classifiers over what the servers offer now, keeps what concerns the selected servers, applies the
 * lockfile's decisions and orders everything by server (each server's diff first, then its check findings).
 */
export function analyse(
  ctx: Context,
  diffFindings: Finding[],
  views: ServerView[],
  selected: ReadonlySet<string>,
  decisions: Lockfile['decisions'],
): { findings: Finding[]; notes: string[] } {
  const checked = runChecks(views).filter((f) => selected.has(f.server));
  const all = [...diffFindings, ...checked].sort((a, b) =>
    a.server < b.server ? -1 : a.server > b.server ? 1 : 0,
  );
  return applyDecisions(all, decisions ?? [], ctx.options.today ?? new Date().toISOString().slice(0, 10));
}

export function report(
  command: CommandName,
  ctx: Context,
  parts: Omit<Report, 'command' | 'version' | 'ok' | 'exitCode' | 'failOn' | 'lockfile'>,
  code: number,
): Report {
  return {
    command,
    version: VERSION,
    ok: code === 0,
    exitCode: code,
    failOn: ctx.options.failOn,
    lockfile: ctx.lockDisplay,
    ...parts,
  };
}

export async function requireLock(ctx: Context): Promise<Lockfile> {
  const lock = await readLockfile(ctx.lockPath, ctx.lockDisplay);
  if (!lock) {
    throw new McpLockError('lockfile-missing', `${ctx.lockDisplay}: no lockfile`, {
      hint: 'run `mcp-lock install` to create it',
    });
  }
  return lock;
}

/**
 * Writes the lockfile and keeps its signature in step: re-signed when a signing mode is configured, otherwise the
 * stale bundle removed. Returns the note that says which.
 */
export async function saveLockfile(ctx: Context, lock: Lockfile): Promise<string | undefined> {
  await writeLockfile(ctx.lockPath, ctx.lockDisplay, lock);
  const { refreshSignature } = await import('../signing/lockfile-signature.js');
  return refreshSignature(serializeLockfile(lock), ctx.lockPath, ctx.lockDisplay, ctx.options.signing);
}
