import { finding, type Finding } from '../core/findings.js';
import { comparePackage, packageState } from '../core/package/compare.js';
import type { FailOn } from '../core/policy.js';
import { readConfiguredServers, selectServers } from '../config/scope.js';
import { observeServers } from '../observe/observe.js';
import { Registries } from '../observe/registries.js';
import { buildReport, locationsOf } from '../report/build.js';
import type { Report, ServerReport } from '../report/model.js';
import type { TrustedRootOptions } from '../signing/trusted-root.js';
import { openWorkspace } from '../workspace.js';
import { defineCommand, names } from './definition.js';
import { scopeOf, type ScopeOptions } from './options.js';
import { REPORT_PARAMS, SCOPE_PARAMS, TRUSTED_ROOT_PARAMS } from './params.js';
import { trustedRootOptions } from './trust.js';
import { own } from '../core/proto-keys.js';

export interface OutdatedOptions extends ScopeOptions {
  failOn: FailOn;
  concurrency?: number;
  trustedRoot?: TrustedRootOptions;
}

/**
 * `outdated`: for every locked server, what its launch line resolves to today, the newest version published, and
 * what changed in its trust (signature, provenance, dependencies) — from the registries only, launching nothing.
 */
export async function outdated(options: OutdatedOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  const { store } = workspace;
  const registries = new Registries(workspace, options.trustedRoot);
  const lock = await store.require();
  const { servers, notes } = await readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    workspace.discovery,
  );
  const selected = selectServers(servers, options.servers ?? [], lock, store.display).filter(
    (s) => own(lock.servers, s.name)?.package,
  );
  const observed = await observeServers({
    workspace,
    registries,
    servers: selected,
    client: lock.client,
    settings: { offline: true, timeoutMs: 0, concurrency: options.concurrency ?? 4 },
    lock,
  });
  notes.push(...registries.notes);
  const findings: Finding[] = [];
  const reports: ServerReport[] = [];
  for (const { server, source, outcome, problems, latest } of observed) {
    const locked = lock.servers[server.name]!.package!;
    const today = outcome.ok ? outcome.entry.package : undefined;
    const own: Finding[] = [...problems];
    // Only a difference from the lock is a change; how the launch line is written (unpinned) is a state.
    let changed = problems.length > 0;
    if (today) {
      const differences = comparePackage(server.name, locked, today);
      changed ||= differences.length > 0;
      own.push(...differences, ...packageState(server.name, today));
      if (latest && today.version && latest !== today.version) {
        own.push(
          finding('package-outdated', {
            server: server.name,
            field: 'package',
            message: `${today.spec} resolves to ${today.version}; the newest is ${latest}`,
            before: today.version,
            after: latest,
          }),
        );
      }
    }
    findings.push(...own);
    reports.push({
      name: server.name,
      state: changed ? 'changed' : 'unchanged',
      source,
      locations: locationsOf(server),
    });
  }
  return buildReport(
    'outdated',
    { lockfile: store.display, failOn: options.failOn, rule: 'gate' },
    { lockfileWritten: false, servers: reports, findings, notes },
  );
}

export const outdatedCommand = defineCommand({
  name: 'outdated',
  summary:
    'what each locked package resolves to today, the newest version, and trust changes (registries only)',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: [...SCOPE_PARAMS, ...REPORT_PARAMS, 'concurrency', 'failOn', ...TRUSTED_ROOT_PARAMS],
  run: ({ args, params, io }) =>
    outdated({
      ...scopeOf(params, names(args[0]), io),
      failOn: params.failOn,
      concurrency: params.concurrency,
      trustedRoot: trustedRootOptions(params, io.env),
    }),
});
