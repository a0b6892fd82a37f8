import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  explicitConfig,
  projectConfigs,
  userConfigs,
  displayPath,
  type DiscoveryContext,
} from './config/discover.js';
import { readConfigs } from './config/read.js';
import { snapshotServer } from './connect/snapshot.js';
import { assessConfig, assessServer, removedServers, type Mode, type Outcome } from './core/assess.js';
import { runChecks, type ServerView } from './core/checks/index.js';
import { applyDecisions, PROTECTED_CODES } from './core/decisions.js';
import { finding, FINDINGS, type Finding, type FindingCode } from './core/findings.js';
import { toLockServer } from './core/lockfile/entry.js';
import { serializeLockfile } from './core/lockfile/parse.js';
import {
  LOCKFILE_VERSION,
  type ClientIdentity,
  type Decision,
  type LockServer,
  type Lockfile,
} from './core/lockfile/schema.js';
import { lockSource } from './core/lockfile/source.js';
import { EXIT, exitCode, type FailOn } from './core/policy.js';
import { mergeServers, type ConfiguredServer } from './core/servers.js';
import { DEFAULT_LIMITS, type SnapshotLimits } from './core/snapshot.js';
import { McpLockError } from './errors.js';
import { parseLockfileText, readLockfile, readLockfileText, writeLockfile } from './lockfile-io.js';
import { generateKeyPair, keyFingerprint, publicKeyFrom } from './signing/keys.js';
import {
  checkSignature,
  refreshSignature,
  signLockfile,
  type SigningConfig,
  type TrustAnchors,
} from './signing/lockfile-signature.js';
import type { CommandName, Report, ServerReport } from './report/model.js';
import { VERSION } from './version.js';

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
  /** install/update/accept: re-sign the lockfile after writing it. */
  signing?: SigningConfig;
}

interface Context {
  options: RunOptions;
  env: Readonly<Record<string, string | undefined>>;
  discovery: DiscoveryContext;
  lockPath: string;
  lockDisplay: string;
}

function context(options: RunOptions): Context {
  const env = options.env ?? process.env;
  const discovery: DiscoveryContext = {
    cwd: resolve(options.cwd),
    home: options.home ?? homedir(),
    platform: process.platform,
    env,
  };
  const lockPath = resolve(discovery.cwd, options.lockfile);
  return { options, env, discovery, lockPath, lockDisplay: displayPath(lockPath, discovery) };
}

/** Reads every config in scope; returns the servers and the files looked at (present or not). */
async function configured(ctx: Context) {
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
  };
}

function select(servers: ConfiguredServer[], lock: Lockfile | null, ctx: Context): ConfiguredServer[] {
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

async function mapConcurrent<T, R>(
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

function noConfigError(ctx: Context, read: string[]): McpLockError {
  return new McpLockError(
    'config-not-found',
    read.length === 0
      ? `no MCP config found in ${ctx.discovery.cwd} (.mcp.json, .vscode/mcp.json, .cursor/mcp.json, .gemini/settings.json, .windsurf/mcp.json)`
      : `no MCP servers are configured in ${read.join(', ')}`,
    { hint: 'run mcp-lock in your project folder, or name a config with --config FILE (or add --user)' },
  );
}

/** Where a server is configured, with line numbers, for report locations (SARIF). */
function locationsOf(server: ConfiguredServer): ServerReport['locations'] {
  return server.specs.map((s) => ({
    file: s.origin.file,
    key: s.origin.key,
    ...(s.origin.line ? { line: s.origin.line } : {}),
  }));
}

function counts(entry: LockServer | undefined): ServerReport['counts'] {
  if (!entry) return undefined;
  return {
    tools: Object.keys(entry.tools).length,
    prompts: Object.keys(entry.prompts).length,
    resources: Object.keys(entry.resources).length,
    resourceTemplates: Object.keys(entry.resourceTemplates).length,
  };
}

/** Snapshots the servers concurrently, each under its own timeout; a failure is an outcome, never an exception. */
async function observe(ctx: Context, servers: ConfiguredServer[], client: ClientIdentity) {
  const { options, discovery } = ctx;
  return mapConcurrent(servers, options.concurrency, async (server) => {
    options.onProgress?.(server.name, 'start');
    const source = lockSource(server.specs);
    const result = await snapshotServer(server.specs[0]!, {
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
    const outcome: Outcome = result.ok
      ? { ok: true, entry: toLockServer(source, result.snapshot) }
      : { ok: false, kind: result.kind, reason: result.reason };
    options.onProgress?.(server.name, 'done', result.ok ? 'read' : result.kind);
    return { server, source, outcome, stderr: result.stderr };
  });
}

/**
 * Runs the classifiers over what the servers offer now, keeps what concerns the selected servers, applies the
 * lockfile's decisions and orders everything by server (each server's diff first, then its check findings).
 */
function analyse(
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

function report(
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

/** `install` and `update`: snapshot, decide per server, write the lockfile when its bytes change. */
async function pin(mode: 'install' | 'update', options: RunOptions): Promise<Report> {
  const ctx = context(options);
  const lock = await readLockfile(ctx.lockPath, ctx.lockDisplay);
  const { servers, notes, lookedAt, read } = await configured(ctx);
  if (servers.length === 0 && !lock) throw noConfigError(ctx, read);
  const selected = select(servers, lock, ctx);
  const client = lock?.client ?? DEFAULT_CLIENT;
  const observed = await observe(ctx, selected, client);

  const next: Record<string, LockServer> = { ...(lock?.servers ?? {}) };
  const findings: Finding[] = [];
  const reports: ServerReport[] = [];
  for (const { server, source, outcome, stderr } of observed) {
    const assessment = assessServer(mode, server.name, source, lock?.servers[server.name], outcome);
    findings.push(...assessment.findings);
    if (assessment.entry) next[server.name] = assessment.entry;
    const r: ServerReport = {
      name: server.name,
      state: assessment.state,
      source,
      locations: locationsOf(server),
      counts: counts(outcome.ok ? outcome.entry : assessment.entry),
    };
    if (!outcome.ok) Object.assign(r, { reason: outcome.reason, stderr });
    reports.push(r);
  }
  if (lock && options.servers.length === 0) {
    for (const name of removedServers(lock, new Set(servers.map((s) => s.name)), lookedAt)) {
      reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
      notes.push(`removed "${name}" from the lockfile: no config defines it any more`);
      delete next[name];
    }
  }

  const live = new Map(
    observed.flatMap((o) => (o.outcome.ok ? [[o.server.name, o.outcome.entry] as const] : [])),
  );
  const views = Object.entries(next).map(([name, entry]) => ({ name, entry: live.get(name) ?? entry }));
  const analysed = analyse(ctx, findings, views, new Set(selected.map((s) => s.name)), lock?.decisions);
  findings.splice(0, findings.length, ...analysed.findings);
  notes.push(...analysed.notes);

  const lockfile: Lockfile = {
    $schema: lock?.$schema ?? LOCKFILE_SCHEMA_REF,
    lockfileVersion: LOCKFILE_VERSION,
    generator: `mcp-lock@${VERSION}`,
    client,
    servers: next,
    ...(lock?.decisions?.length ? { decisions: lock.decisions } : {}),
  };
  const changed = !lock || serializeLockfile(lock) !== serializeLockfile(lockfile);
  const anyPinned = Object.keys(next).length > 0 || lock !== null;
  if (changed && anyPinned) {
    await writeLockfile(ctx.lockPath, ctx.lockDisplay, lockfile);
    const note = await refreshSignature(
      serializeLockfile(lockfile),
      ctx.lockPath,
      ctx.lockDisplay,
      options.signing,
    );
    if (note) notes.push(note);
  }
  if (mode === 'update') {
    // What update accepted is shown, not failed on; what it could not read still says so.
    const code = exitCode(
      findings.filter((f) => f.code === 'server-unreachable' || f.code === 'server-limit-exceeded'),
      options.failOn,
    );
    return report(
      mode,
      ctx,
      { lockfileWritten: changed && anyPinned, servers: reports, findings, notes },
      code,
    );
  }
  return report(
    mode,
    ctx,
    { lockfileWritten: changed && anyPinned, servers: reports, findings, notes },
    exitCode(findings, options.failOn),
  );
}

export function install(options: RunOptions): Promise<Report> {
  return pin('install', options);
}

export function update(options: RunOptions): Promise<Report> {
  return pin('update', options);
}

async function requireLock(ctx: Context): Promise<Lockfile> {
  const lock = await readLockfile(ctx.lockPath, ctx.lockDisplay);
  if (!lock) {
    throw new McpLockError('lockfile-missing', `${ctx.lockDisplay}: no lockfile`, {
      hint: 'run `mcp-lock install` to create it',
    });
  }
  return lock;
}

/** `verify` (and `diff`): re-fetch every locked server and compare; writes nothing. */
export async function verify(options: RunOptions, command: 'verify' | 'diff' = 'verify'): Promise<Report> {
  const ctx = context(options);
  const text = await readLockfileText(ctx.lockPath, ctx.lockDisplay);
  if (text === null) {
    throw new McpLockError('lockfile-missing', `${ctx.lockDisplay}: no lockfile`, {
      hint: 'run `mcp-lock install` to create it',
    });
  }
  // The signature is checked before anything is read from the lockfile.
  const signature = await checkSignature(
    text,
    ctx.lockPath,
    ctx.lockDisplay,
    options.anchors ?? { keys: [], requireSignature: false },
  );
  const lock = parseLockfileText(text, ctx.lockDisplay);
  if (options.signatureOnly) {
    return report(
      command,
      ctx,
      {
        lockfileWritten: false,
        servers: [],
        findings: signature.findings,
        notes: signature.notes,
        signature: signature.summary,
      },
      exitCode(signature.findings, options.failOn),
    );
  }
  const { servers, notes, lookedAt } = await configured(ctx);
  const selected = select(servers, lock, ctx);
  const toLaunch = selected.filter((s) => lock.servers[s.name]);
  const observed = new Map((await observe(ctx, toLaunch, lock.client)).map((o) => [o.server.name, o]));

  const findings: Finding[] = [...signature.findings];
  notes.push(...signature.notes);
  const reports: ServerReport[] = [];
  const mode: Mode = 'verify';
  for (const server of selected) {
    const seen = observed.get(server.name);
    const source = lockSource(server.specs);
    const assessment = assessServer(mode, server.name, source, lock.servers[server.name], seen?.outcome);
    findings.push(...assessment.findings);
    const r: ServerReport = {
      name: server.name,
      state: assessment.state,
      source,
      locations: locationsOf(server),
      counts: counts(seen?.outcome.ok ? seen.outcome.entry : undefined),
    };
    if (seen && !seen.outcome.ok) Object.assign(r, { reason: seen.outcome.reason, stderr: seen.stderr });
    reports.push(r);
  }
  const configuredNames = new Set(servers.map((s) => s.name));
  const removed =
    options.servers.length === 0
      ? removedServers(lock, configuredNames, lookedAt)
      : options.servers.filter((n) => !configuredNames.has(n));
  for (const name of removed) {
    findings.push(
      finding('server-removed', {
        server: name,
        message: 'locked, but no config defines it any more: run `mcp-lock update` to drop it',
      }),
    );
    reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
  }
  const views = Object.entries(lock.servers)
    .filter(([name]) => configuredNames.has(name))
    .map(([name, entry]) => {
      const seen = observed.get(name);
      return { name, entry: seen?.outcome.ok ? seen.outcome.entry : entry };
    });
  const analysed = analyse(
    ctx,
    findings,
    views,
    new Set([...selected.map((s) => s.name), ...removed]),
    lock.decisions,
  );
  findings.splice(0, findings.length, ...analysed.findings);
  notes.push(...analysed.notes);
  for (const name of Object.keys(lock.servers)) {
    if (!configuredNames.has(name) && !removed.includes(name) && options.servers.length === 0) {
      notes.push(
        `"${name}" was not checked: its config (${lock.servers[name]!.source.configs.map((c) => c.file).join(', ')}) was not read in this run`,
      );
    }
  }
  return report(
    command,
    ctx,
    { lockfileWritten: false, servers: reports, findings, notes, signature: signature.summary },
    exitCode(findings, options.failOn),
  );
}

/** `ls`: configured servers, where each comes from, and whether the lock matches its config. Launches nothing. */
export async function list(options: RunOptions): Promise<Report> {
  const ctx = context(options);
  const lock = await readLockfile(ctx.lockPath, ctx.lockDisplay);
  const { servers, notes, lookedAt } = await configured(ctx);
  const selected = select(servers, lock, ctx);
  const findings: Finding[] = [];
  const reports: ServerReport[] = selected.map((server) => {
    const source = lockSource(server.specs);
    const locked = lock?.servers[server.name];
    const assessment = assessConfig(server.name, source, locked);
    findings.push(...assessment.findings);
    return {
      name: server.name,
      state: assessment.state === 'unchanged' ? 'locked' : assessment.state,
      source,
      locations: locationsOf(server),
      counts: counts(locked),
    };
  });
  if (lock && options.servers.length === 0) {
    for (const name of removedServers(lock, new Set(servers.map((s) => s.name)), lookedAt)) {
      reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
    }
  }
  return report('ls', ctx, { lockfileWritten: false, servers: reports, findings, notes }, 0);
}

export interface AcceptOptions {
  cwd: string;
  lockfile: string;
  /** `server`, `server/tool`, or `*` for every server. */
  target: string;
  code: string;
  reason: string;
  expires?: string;
  failOn: FailOn;
  signing?: SigningConfig;
}

/**
 * `accept`: records a reviewed decision in the lockfile, so a signed lockfile signs it too. Findings it covers are
 * still shown, marked accepted, and no longer fail the run; hidden-content and terminal-escape findings only yield
 * to a decision that names the exact server, tool and code.
 */
export async function accept(options: AcceptOptions): Promise<Report> {
  const ctx = context({ ...options, configs: [], user: false, servers: [], timeoutMs: 0, concurrency: 1 });
  const lock = await requireLock(ctx);
  if (!(options.code in FINDINGS)) {
    throw new McpLockError('usage', `unknown finding code "${options.code}"`, {
      hint: `use one of: ${Object.keys(FINDINGS).join(', ')}`,
    });
  }
  const slash = options.target.indexOf('/');
  const server = slash === -1 ? options.target : options.target.slice(0, slash);
  const tool = slash === -1 ? undefined : options.target.slice(slash + 1);
  if (server !== '*' && !(server in lock.servers)) {
    throw new McpLockError('server-unknown', `no server named "${server}" in ${ctx.lockDisplay}`, {
      hint: 'name a locked server, or * for every server',
    });
  }
  if (
    options.expires !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(options.expires) || Number.isNaN(Date.parse(options.expires)))
  ) {
    throw new McpLockError('usage', `--expires ${options.expires} is not a date`, {
      hint: 'write it as YYYY-MM-DD',
    });
  }
  if (options.reason.trim() === '')
    throw new McpLockError('usage', '--reason is empty', { hint: 'say why this was accepted' });
  const decision: Decision = { code: options.code, server, reason: options.reason.trim() };
  if (tool) decision.tool = tool;
  if (options.expires) decision.expires = options.expires;
  const same = (d: Decision) =>
    d.code === decision.code && d.server === decision.server && d.tool === decision.tool;
  const key = (d: Decision) => `${d.server}\u0000${d.tool ?? ''}\u0000${d.code}`;
  const decisions = [...(lock.decisions ?? []).filter((d) => !same(d)), decision].sort((a, b) =>
    key(a) < key(b) ? -1 : 1,
  );
  const next = { ...lock, decisions };
  await writeLockfile(ctx.lockPath, ctx.lockDisplay, next);
  const signed = await refreshSignature(
    serializeLockfile(next),
    ctx.lockPath,
    ctx.lockDisplay,
    options.signing,
  );
  const protectedNote =
    PROTECTED_CODES.has(decision.code as FindingCode) && (server === '*' || !tool)
      ? [`${decision.code} is only ever accepted for a named server and tool: this decision will not hide it`]
      : [];
  return report(
    'accept',
    ctx,
    {
      lockfileWritten: true,
      servers: [],
      findings: [],
      notes: [
        `recorded: ${options.target} ${decision.code}${decision.expires ? ` until ${decision.expires}` : ''} ("${decision.reason}")`,
        ...protectedNote,
        ...(signed ? [signed] : []),
      ],
    },
    EXIT.ok,
  );
}

/** `sign --key`: signs the lockfile as it is, offline, beside it as `<lockfile>.sigstore.json`. */
export async function sign(options: {
  cwd: string;
  lockfile: string;
  signing: SigningConfig;
  failOn: FailOn;
}): Promise<Report> {
  const ctx = context({ ...options, configs: [], user: false, servers: [], timeoutMs: 0, concurrency: 1 });
  const text = await readLockfileText(ctx.lockPath, ctx.lockDisplay);
  if (text === null) {
    throw new McpLockError('lockfile-missing', `${ctx.lockDisplay}: no lockfile`, {
      hint: 'run `mcp-lock install` first',
    });
  }
  parseLockfileText(text, ctx.lockDisplay);
  const signing: SigningConfig =
    options.signing.mode === 'key'
      ? { mode: 'key', keyFile: resolve(ctx.discovery.cwd, options.signing.keyFile) }
      : options.signing;
  const written = await signLockfile(text, ctx.lockPath, ctx.lockDisplay, signing);
  return report(
    'sign',
    ctx,
    { lockfileWritten: false, servers: [], findings: [], notes: [`wrote ${written}`] },
    EXIT.ok,
  );
}

/**
 * `keygen`: an ECDSA P-256 key pair. The private key goes to the user's config folder with 0600 permissions (never
 * into the repository by default); the public key, which verifiers pass as --key, to the working directory.
 */
export async function keygen(options: {
  cwd: string;
  privateKey?: string;
  publicKey?: string;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
}): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const privatePath = resolve(
    options.cwd,
    options.privateKey ?? join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'mcp-lock', 'mcp-lock.key'),
  );
  const publicPath = resolve(options.cwd, options.publicKey ?? 'mcp-lock.pub');
  const pair = generateKeyPair();
  await mkdir(dirname(privatePath), { recursive: true, mode: 0o700 });
  for (const [path, text, mode] of [
    [privatePath, pair.privateKey, 0o600],
    [publicPath, pair.publicKey, 0o644],
  ] as const) {
    try {
      await writeFile(path, text, { flag: 'wx', mode });
    } catch (error) {
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
      throw new McpLockError('usage', `${path}: ${exists ? 'already exists' : 'cannot be written'}`, {
        hint: exists
          ? 'move the old key away first, or name other files with --private-key/--public-key'
          : 'check the folder',
      });
    }
  }
  return {
    privateKey: privatePath,
    publicKey: publicPath,
    fingerprint: keyFingerprint(publicKeyFrom(pair.publicKey)),
  };
}
