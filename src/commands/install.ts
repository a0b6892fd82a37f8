import { configDuplicates } from '../core/servers.js';
import { serverJsonFindings } from '../core/package/server-json.js';
import { readServerDescriptions } from '../config/server-json.js';
import { assessServer, type Mode } from '../core/assess.js';
import { removedServers } from '../core/assess-config.js';
import { analyse } from '../core/analyse.js';
import type { Finding } from '../core/findings.js';
import { serializeLockfilePausing } from '../core/lockfile/serialize.js';
import {
  LOCKFILE_SCHEMA_REF,
  LOCKFILE_VERSION,
  type LockServer,
  type Lockfile,
} from '../core/lockfile/schema.js';
import { noConfigError, readConfiguredServers, selectServers } from '../config/scope.js';
import { DEFAULT_CLIENT } from '../observe/client-identity.js';
import { observeServers } from '../observe/observe.js';
import { Registries } from '../observe/registries.js';
import { buildReport, counts, locationsOf } from '../report/build.js';
import type { Report, ServerReport } from '../report/model.js';
import type { SigningConfig } from '../signing/lockfile-signature.js';
import type { TrustedRootOptions } from '../signing/trusted-root.js';
import { VERSION } from '../version.js';
import { openWorkspace, type Workspace } from '../workspace.js';
import { parseLockfileText } from '../store/lockfile-store.js';
import { defineCommand, names, type CommandIO } from './definition.js';
import {
  grantsOf,
  nextTurn,
  observeOf,
  probeAsOf,
  sandboxModeOf,
  scopeOf,
  type GateOptions,
  type ObserveOptions,
} from './options.js';
import {
  OBSERVE_PARAMS,
  GRANT_PARAMS,
  REPORT_PARAMS,
  SANDBOX_PARAMS,
  SCOPE_PARAMS,
  SIGNING_PARAMS,
  TRUSTED_ROOT_PARAMS,
  type ParamValues,
} from './params.js';
import { signingConfig, trustedRootOptions } from './trust.js';
import { own, setOwn } from '../core/proto-keys.js';
import { comparePermissions, permissionsOf, type Grants } from '../core/permissions.js';
import type { Permissions } from '../core/lockfile/schema.js';
import { McpLockError } from '../errors.js';
import { escapeText } from '../report/escape.js';
import { openSandbox } from '../sandbox/index.js';

export interface InstallOptions extends ObserveOptions, GateOptions {
  /** Re-sign the lockfile after writing it. */
  signing?: SigningConfig;
  /** Where the Sigstore trusted root for package provenance comes from. */
  trustedRoot?: TrustedRootOptions;
  /** Permissions granted on the command line, per server; the others keep what their lock entry grants. */
  grants?: Map<string, Grants>;
}

/**
 * `install` and `update`: snapshot, decide per server, write the lockfile when its bytes change. `install` pins what
 * is new and reports (never re-pins) drift; `update` accepts the live state.
 */
export async function lockServers(mode: Exclude<Mode, 'verify'>, options: InstallOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  // The whole run holds the writer lock: a second install reads the lock only once this one has written it.
  return workspace.exclusive(() => lockServersHolding(mode, options, workspace));
}

async function lockServersHolding(
  mode: Exclude<Mode, 'verify'>,
  options: InstallOptions,
  workspace: Workspace,
): Promise<Report> {
  const { store } = workspace;
  const registries = new Registries(workspace, options.trustedRoot);
  const onDisk = await store.text();
  const lock = onDisk === null ? null : await parseLockfileText(onDisk, store.display);
  const { servers, notes, lookedAt, read } = await readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    workspace.discovery,
  );
  if (servers.length === 0 && !lock) throw noConfigError(workspace.discovery.cwd, read);
  const wanted = options.servers ?? [];
  const selected = selectServers(servers, wanted, lock, store.display);
  const client = lock?.client ?? DEFAULT_CLIENT;
  const grants = options.grants ?? new Map<string, Grants>();
  for (const name of grants.keys()) {
    if (!servers.some((s) => s.name === name)) {
      throw new McpLockError(
        'server-unknown',
        `a permission was granted to "${escapeText(name)}": no config defines it`,
        {
          hint: `configured: ${servers.map((s) => escapeText(s.name)).join(', ') || 'none'}`,
        },
      );
    }
  }
  const permissionsFor = (name: string): Permissions | undefined => {
    const granted = grants.get(name);
    return granted ? permissionsOf(granted) : own(lock?.servers, name)?.permissions;
  };
  const sandbox = await openSandbox(options.sandboxMode ?? 'auto', {
    project: workspace.discovery.cwd,
    home: workspace.discovery.home,
    env: workspace.env,
  });
  if (selected.some((s) => s.specs[0]!.transport === 'stdio')) notes.push(sandbox.note);
  const observed = await observeServers({
    workspace,
    registries,
    servers: selected,
    client,
    settings: { ...options, sandbox, permissions: permissionsFor },
    ...(options.probeAs ? { probeAs: options.probeAs } : {}),
  });
  notes.push(...observed.flatMap((o) => o.notes), ...registries.notes);

  const next: Record<string, LockServer> = { ...(lock?.servers ?? {}) };
  const findings: Finding[] = configDuplicates(selected);
  const reports: ServerReport[] = [];
  for (const { server, source, outcome, stderr, problems } of observed) {
    const locked = own(lock?.servers, server.name);
    const assessment = assessServer(mode, server.name, source, locked, outcome);
    findings.push(...assessment.findings, ...problems);
    if (assessment.entry) {
      // Grants are recorded whatever else the run found: they were asked for on the command line.
      const { permissions: _old, ...entry } = assessment.entry;
      const permissions = permissionsFor(server.name);
      setOwn(next, server.name, permissions ? { ...entry, permissions } : entry);
      if (locked) findings.push(...comparePermissions(server.name, locked.permissions, permissions));
    }
    const r: ServerReport = {
      name: server.name,
      state: assessment.state,
      source,
      locations: locationsOf(server),
      counts: counts(outcome.ok ? outcome.entry : assessment.entry),
    };
    const granted = permissionsFor(server.name);
    if (granted) r.permissions = granted;
    if (!outcome.ok) Object.assign(r, { reason: outcome.reason, stderr });
    reports.push(r);
  }
  if (lock && wanted.length === 0) {
    for (const name of removedServers(lock, new Set(servers.map((s) => s.name)), lookedAt)) {
      reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
      notes.push(`removed "${name}" from the lockfile: no config defines it any more`);
      delete next[name];
    }
  }

  const live = new Map(
    observed.flatMap((o) => (o.outcome.ok ? [[o.server.name, o.outcome.entry] as const] : [])),
  );
  // The project's MCP Registry description binds what was resolved to what was published.
  const described = await readServerDescriptions(workspace.discovery.cwd);
  notes.push(...described.notes);
  findings.push(
    ...serverJsonFindings(
      [...live].map(([name, entry]) => ({ name, pkg: entry.package })),
      described.descriptions,
    ),
  );
  const analysed = await analyse({
    diffFindings: findings,
    views: Object.entries(next).map(([name, entry]) => ({ name, entry: live.get(name) ?? entry })),
    selected: new Set(selected.map((s) => s.name)),
    decisions: lock?.decisions,
    today: options.today,
    pause: nextTurn,
  });
  notes.push(...analysed.notes);

  const lockfile: Lockfile = {
    $schema: lock?.$schema ?? LOCKFILE_SCHEMA_REF,
    lockfileVersion: LOCKFILE_VERSION,
    generator: `mcp-lock@${VERSION}`,
    client,
    servers: next,
    ...(lock?.decisions?.length ? { decisions: lock.decisions } : {}),
  };
  const text = await serializeLockfilePausing(lockfile, nextTurn);
  // Unchanged when the file already holds these bytes; otherwise when its content (in any layout) differs.
  const changed = !lock || (text !== onDisk && (await serializeLockfilePausing(lock, nextTurn)) !== text);
  const written = changed && (Object.keys(next).length > 0 || lock !== null);
  if (written) {
    const note = await store.saveText(text, options.signing);
    if (note) notes.push(note);
  }
  return buildReport(
    mode,
    { lockfile: store.display, failOn: options.failOn, rule: mode === 'update' ? 'accepting' : 'installing' },
    { lockfileWritten: written, servers: reports, findings: analysed.findings, notes },
  );
}

/** `install`: pin every configured server not yet in the lockfile; report (not re-pin) drifted ones. */
export function install(options: InstallOptions): Promise<Report> {
  return lockServers('install', options);
}

/** The params install and update take. */
export const LOCKING_PARAMS = [
  ...SCOPE_PARAMS,
  ...REPORT_PARAMS,
  ...OBSERVE_PARAMS,
  'failOn',
  'materialise',
  'probeAs',
  ...SANDBOX_PARAMS,
  ...GRANT_PARAMS,
  ...SIGNING_PARAMS,
  ...TRUSTED_ROOT_PARAMS,
] as const;

/** install's and update's options from their params. */
export function lockingOptions(
  params: ParamValues<(typeof LOCKING_PARAMS)[number]>,
  servers: string[],
  io: CommandIO,
): InstallOptions {
  const signing = signingConfig(params, io.env);
  return {
    ...scopeOf(params, servers, io),
    ...observeOf(params, io),
    materialise: params.materialise,
    probeAs: probeAsOf(params.probeAs),
    sandboxMode: sandboxModeOf(params),
    grants: grantsOf(params),
    failOn: params.failOn,
    today: io.today,
    trustedRoot: trustedRootOptions(params, io.env),
    ...(signing ? { signing } : {}),
  };
}

export const installCommand = defineCommand({
  name: 'install',
  summary: 'pin every configured server not yet in the lockfile; report (not re-pin) drifted ones',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: LOCKING_PARAMS,
  launchesServers: true,
  run: ({ args, params, io }) => install(lockingOptions(params, names(args[0]), io)),
});
