import { assessConfig, removedServers } from '../core/assess.js';
import { type Finding } from '../core/findings.js';
import { lockSource } from '../core/lockfile/source.js';
import { readLockfile } from '../lockfile-io.js';
import type { Report, ServerReport } from '../report/model.js';
import { configured, context, counts, locationsOf, report, select, type RunOptions } from './context.js';

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
  for (const server of selected) {
    for (const spec of server.specs.filter((s) => s.wrapped)) {
      notes.push(`${server.name} launches through \`mcp-lock run\` in ${spec.origin.file} (wrapped)`);
    }
  }
  if (lock && options.servers.length === 0) {
    for (const name of removedServers(lock, new Set(servers.map((s) => s.name)), lookedAt)) {
      reports.push({ name, state: 'removed', source: lock.servers[name]!.source });
    }
  }
  return report('ls', ctx, { lockfileWritten: false, servers: reports, findings, notes }, 0);
}
