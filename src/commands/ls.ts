import { configDuplicates } from '../core/servers.js';
import { assessConfig, removedServers } from '../core/assess-config.js';
import type { Finding } from '../core/findings.js';
import { lockSource } from '../core/lockfile/source.js';
import { readConfiguredServers, selectServers } from '../config/scope.js';
import { buildReport, locationsOf } from '../report/build.js';
import type { Report, ServerReport } from '../report/model.js';
import { CheckedLocks } from '../store/checked-locks.js';
import { openWorkspace } from '../workspace.js';
import { defineCommand, names } from './definition.js';
import { scopeOf, type ScopeOptions } from './options.js';
import { REPORT_PARAMS, SCOPE_PARAMS } from './params.js';
import { own } from '../core/proto-keys.js';

/** `ls`: configured servers, where each comes from, and whether the lock matches its config. Launches nothing. */
export async function list(options: ScopeOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  const { store } = workspace;
  // The configs are read while the lock is checked; a problem with the lock is still the one reported first.
  const reading = readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    workspace.discovery,
  );
  reading.catch(() => {});
  // A listing, not a gate: the outline of a lock text it has checked in full before is remembered (`CheckedLocks`).
  const lock = await store.outline(CheckedLocks.open());
  const { servers, notes, lookedAt } = await reading;
  const wanted = options.servers ?? [];
  const selected = selectServers(servers, wanted, lock, store.display);
  const findings: Finding[] = configDuplicates(selected);
  const reports: ServerReport[] = selected.map((server) => {
    const source = lockSource(server.specs);
    const locked = own(lock?.servers, server.name);
    const assessment = assessConfig(server.name, source, locked);
    findings.push(...assessment.findings);
    return {
      name: server.name,
      state: assessment.state === 'unchanged' ? 'locked' : assessment.state,
      source,
      locations: locationsOf(server),
      counts: locked?.counts,
      ...(locked?.permissions ? { permissions: locked.permissions } : {}),
    };
  });
  for (const server of selected) {
    for (const spec of server.specs.filter((s) => s.wrapped)) {
      notes.push(`${server.name} launches through \`mcp-lock run\` in ${spec.origin.file} (wrapped)`);
    }
  }
  if (lock && wanted.length === 0) {
    for (const name of removedServers(lock, new Set(servers.map((s) => s.name)), lookedAt)) {
      reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
    }
  }
  return buildReport(
    'ls',
    { lockfile: store.display, failOn: 'low', rule: 'none' },
    { lockfileWritten: false, servers: reports, findings, notes },
  );
}

export const lsCommand = defineCommand({
  name: 'ls',
  summary: 'configured servers, where each comes from, and lock status (launches nothing)',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: [...SCOPE_PARAMS, ...REPORT_PARAMS],
  run: ({ args, params, io }) => list(scopeOf(params, names(args[0]), io)),
});
