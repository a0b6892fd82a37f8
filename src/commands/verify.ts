import { GOVERNED, refusal, type PolicyClient } from '../core/client-policy.js';
import type { Lockfile } from '../core/lockfile/schema.js';
import type { ConfiguredServer } from '../core/servers.js';
import { configDuplicates } from '../core/servers.js';
import { serverJsonFindings } from '../core/package/server-json.js';
import { readServerDescriptions } from '../config/server-json.js';
import { assessServer } from '../core/assess.js';
import { assessConfig, removedServers } from '../core/assess-config.js';
import { analyse } from '../core/analyse.js';
import { finding, type Finding } from '../core/findings.js';
import { lockSource, templatesUnknown } from '../core/lockfile/source.js';
import { readConfiguredServers, selectServers } from '../config/scope.js';
import { advisoriesFor, auditable } from '../observe/advisories.js';
import { observeServers } from '../observe/observe.js';
import { Registries } from '../observe/registries.js';
import { buildReport, counts, locationsOf } from '../report/build.js';
import type { Report, ServerReport } from '../report/model.js';
import { checkSignature, type TrustAnchors } from '../signing/lockfile-signature.js';
import { parseLockfileText } from '../store/lockfile-store.js';
import { openWorkspace } from '../workspace.js';
import { defineCommand, names, type CommandIO } from './definition.js';
import {
  anchorsOf,
  observeOf,
  probeAsOf,
  scopeOf,
  type GateOptions,
  type ObserveOptions,
  nextTurn,
  sandboxModeOf,
} from './options.js';
import {
  ANCHOR_PARAMS,
  OBSERVE_PARAMS,
  REPORT_PARAMS,
  SANDBOX_PARAMS,
  SCOPE_PARAMS,
  type ParamValues,
} from './params.js';
import { openSandbox } from '../sandbox/index.js';
import { anchored } from './trust.js';
import { own } from '../core/proto-keys.js';

/** Each configured entry, of a client a policy governs, that the policy made from the lock would refuse. */
function policyFindings(
  clients: readonly PolicyClient[],
  lock: Lockfile,
  servers: readonly ConfiguredServer[],
): Finding[] {
  const out: Finding[] = [];
  for (const client of clients) {
    for (const server of servers) {
      for (const spec of server.specs) {
        if (!GOVERNED[client].includes(spec.origin.client)) continue;
        const why = refusal(client, lock, { ...spec, name: server.name });
        if (why === undefined) continue;
        out.push(
          finding('server-policy-refused', {
            server: server.name,
            message: `${spec.origin.file}: the ${client} allow-list written from the lockfile would refuse it: ${why}`,
          }),
        );
      }
    }
  }
  return out;
}

export interface VerifyOptions extends ObserveOptions, GateOptions {
  /** The verifier's trust anchors for the lockfile signature: from flags or environment, never from the lockfile. */
  anchors?: TrustAnchors;
  /** Check only the lockfile signature. */
  signatureOnly?: boolean;
  /** Report configured servers that these clients' allow-lists, written from the lockfile, would refuse. */
  policyFor?: readonly PolicyClient[];
}

/** `verify` (and `diff`): re-fetch every locked server and compare; writes nothing. */
export async function verify(options: VerifyOptions, command: 'verify' | 'diff' = 'verify'): Promise<Report> {
  const workspace = openWorkspace(options);
  const { store } = workspace;
  const registries = new Registries(workspace, options.anchors?.trustedRoot);
  const context = { lockfile: store.display, failOn: options.failOn, rule: 'gate' as const };
  const text = await store.requireText();
  // The signature is checked before anything is read from the lockfile.
  const signature = await checkSignature(
    text,
    store.path,
    store.display,
    options.anchors ?? { keys: [], requireSignature: false },
  );
  const lock = await parseLockfileText(text, store.display);
  // A lockfile whose signature was asked for and did not verify cannot vouch for anything, its decisions included.
  const trusted = !anchored(options.anchors) || signature.summary.status === 'valid';
  if (!trusted && lock.decisions?.length) {
    signature.notes.push(
      `the ${lock.decisions.length} decision(s) in ${store.display} are not applied: its signature did not verify`,
    );
  }
  if (options.signatureOnly) {
    return buildReport(command, context, {
      lockfileWritten: false,
      servers: [],
      findings: signature.findings,
      notes: signature.notes,
      signature: signature.summary,
    });
  }
  const { servers, notes, lookedAt } = await readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    workspace.discovery,
  );
  const wanted = options.servers ?? [];
  const selected = selectServers(servers, wanted, lock, store.display);
  // A launch line that is not the locked one runs code nobody reviewed: it is reported, never started.
  const reconfigured = new Set(
    selected
      .filter((s) => {
        const locked = own(lock.servers, s.name);
        return locked !== undefined && assessConfig(s.name, lockSource(s.specs), locked).state === 'changed';
      })
      .map((s) => s.name),
  );
  const toLaunch = selected.filter((s) => own(lock.servers, s.name) && !reconfigured.has(s.name));
  // Servers run with what their lock entries grant, and nothing more.
  const sandbox = await openSandbox(options.sandboxMode ?? 'auto', {
    project: workspace.discovery.cwd,
    home: workspace.discovery.home,
    env: workspace.env,
  });
  if (!options.offline && toLaunch.some((s) => s.specs[0]!.transport === 'stdio')) notes.push(sandbox.note);
  // Published advisories for what the lock pins, asked while the servers run: a scheduled verify sees an advisory
  // the day it is published. A registry that cannot answer is a note (not checked); `mcp-lock audit` fails on it.
  const advised = advisoriesFor(
    lock,
    toLaunch.filter((s) => auditable(lock, s.name)).map((s) => s.name),
    registries,
    workspace.env,
  );
  const observed = new Map(
    (
      await observeServers({
        workspace,
        registries,
        servers: toLaunch,
        client: lock.client,
        settings: { ...options, sandbox },
        ...(options.probeAs ? { probeAs: options.probeAs } : {}),
        lock,
      })
    ).map((o) => [o.server.name, o]),
  );
  notes.push(...[...observed.values()].flatMap((o) => o.notes), ...registries.notes);

  const findings: Finding[] = [
    ...signature.findings,
    ...configDuplicates(selected),
    ...policyFindings(options.policyFor ?? [], lock, selected),
  ];
  notes.push(...signature.notes);
  const reports: ServerReport[] = [];
  for (const server of selected) {
    const seen = observed.get(server.name);
    const source = lockSource(server.specs);
    const locked = own(lock.servers, server.name);
    const assessment = reconfigured.has(server.name)
      ? { ...assessConfig(server.name, source, locked), entry: locked }
      : assessServer('verify', server.name, source, locked, seen?.outcome);
    if (reconfigured.has(server.name)) {
      notes.push(
        `${server.name} was not started: its launch line differs from the one in ${store.display}, so it would run unreviewed code; review the change and run \`mcp-lock update ${server.name}\``,
      );
    }
    findings.push(...assessment.findings, ...(seen?.problems ?? []));
    const r: ServerReport = {
      name: server.name,
      state: assessment.state,
      source,
      locations: locationsOf(server),
      counts: counts(seen?.outcome.ok ? seen.outcome.entry : undefined),
      digests: {
        ...(locked ? { locked: locked.digest } : {}),
        ...(seen?.outcome.ok ? { live: seen.outcome.entry.digest } : {}),
      },
    };
    if (seen && !seen.outcome.ok) Object.assign(r, { reason: seen.outcome.reason, stderr: seen.stderr });
    reports.push(r);
  }
  const configuredNames = new Set(servers.map((s) => s.name));
  const removed =
    wanted.length === 0
      ? removedServers(lock, configuredNames, lookedAt)
      : wanted.filter((n) => !configuredNames.has(n));
  for (const name of removed) {
    findings.push(
      finding('server-removed', {
        server: name,
        message: 'locked, but no config defines it any more: run `mcp-lock update` to drop it',
      }),
    );
    reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
  }
  // The project's MCP Registry description binds what is locked (or resolves today) to what was published.
  const described = await readServerDescriptions(workspace.discovery.cwd);
  notes.push(...described.notes);
  findings.push(
    ...serverJsonFindings(
      selected.map((s) => {
        const seen = observed.get(s.name)?.outcome;
        return { name: s.name, pkg: seen?.ok ? seen.entry.package : own(lock.servers, s.name)?.package };
      }),
      described.descriptions,
    ),
  );
  const advisories = await advised;
  findings.push(...advisories.findings);
  for (const reason of new Set(advisories.unchecked.map((u) => u.reason)))
    notes.push(`advisories not checked: ${reason}`);
  const analysed = await analyse({
    diffFindings: findings,
    views: Object.entries(lock.servers)
      .filter(([name]) => configuredNames.has(name))
      .map(([name, entry]) => {
        const seen = observed.get(name);
        return { name, entry: seen?.outcome.ok ? seen.outcome.entry : entry };
      }),
    selected: new Set([...selected.map((s) => s.name), ...removed]),
    decisions: trusted ? lock.decisions : [],
    today: options.today,
    pause: nextTurn,
  });
  notes.push(...analysed.notes);
  const unknown = selected.filter((s) => {
    const locked = own(lock.servers, s.name);
    return locked !== undefined && templatesUnknown(locked.source);
  });
  if (unknown.length > 0) {
    notes.push(
      `${store.display} predates value templates: which variable feeds each env entry and header of ${unknown.map((s) => s.name).join(', ')} is not checked until \`mcp-lock update\` records it`,
    );
  }
  for (const name of Object.keys(lock.servers)) {
    if (!configuredNames.has(name) && !removed.includes(name) && wanted.length === 0) {
      notes.push(
        `"${name}" was not checked: its config (${lock.servers[name]!.source.configs.map((c) => c.file).join(', ')}) was not read in this run`,
      );
    }
  }
  return buildReport(command, context, {
    lockfileWritten: false,
    servers: reports,
    findings: analysed.findings,
    notes,
    signature: signature.summary,
  });
}

const VERIFY_PARAMS = [
  ...SCOPE_PARAMS,
  ...REPORT_PARAMS,
  ...OBSERVE_PARAMS,
  'failOn',
  'materialise',
  'probeAs',
  ...SANDBOX_PARAMS,
  ...ANCHOR_PARAMS,
  'auditLog',
  'signatureOnly',
  'offline',
  'policyFor',
] as const;

async function verifyOptions(
  params: ParamValues<(typeof VERIFY_PARAMS)[number]>,
  servers: string[],
  io: CommandIO,
): Promise<VerifyOptions> {
  return {
    ...scopeOf(params, servers, io),
    ...observeOf(params, io),
    materialise: params.materialise,
    probeAs: probeAsOf(params.probeAs),
    sandboxMode: sandboxModeOf(params),
    offline: params.offline,
    signatureOnly: params.signatureOnly,
    policyFor: params.policyFor,
    failOn: params.failOn,
    today: io.today,
    anchors: await anchorsOf(params, io),
  };
}

/** `verify --log FILE`: the audit trail, appended after the report is made. */
async function withAuditLog(report: Report, path: string | undefined, io: CommandIO): Promise<Report> {
  if (path !== undefined) {
    const { appendAuditLog } = await import('../store/audit-log.js');
    await appendAuditLog(path, io.cwd, report);
  }
  return report;
}

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 're-fetch every locked server and compare: the CI gate and the drift check',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: VERIFY_PARAMS,
  launchesServers: true,
  run: async ({ args, params, io }) =>
    withAuditLog(await verify(await verifyOptions(params, names(args[0]), io)), params.auditLog, io),
});

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'the analysis of verify, with whole before/after values',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: VERIFY_PARAMS,
  full: true,
  launchesServers: true,
  run: async ({ args, params, io }) =>
    withAuditLog(await verify(await verifyOptions(params, names(args[0]), io), 'diff'), params.auditLog, io),
});
