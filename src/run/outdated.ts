import { finding, type Finding } from '../core/findings.js';
import { comparePackage, packageState } from '../core/package/compare.js';
import { exitCode } from '../core/policy.js';
import type { Report, ServerReport } from '../report/model.js';
import {
  configured,
  context,
  locationsOf,
  observe,
  report,
  requireLock,
  select,
  type RunOptions,
} from './context.js';

/**
 * `outdated`: for every locked server, what its launch line resolves to today, the newest version published, and
 * what changed in its trust (signature, provenance, dependencies) — from the registries only, launching nothing.
 */
export async function outdated(options: RunOptions): Promise<Report> {
  const ctx = context({ ...options, offline: true });
  const lock = await requireLock(ctx);
  const { servers, notes } = await configured(ctx);
  const selected = select(servers, lock, ctx).filter((s) => lock.servers[s.name]?.package);
  const observed = await observe(ctx, selected, lock.client, lock);
  notes.push(...ctx.trustNotes);
  const findings: Finding[] = [];
  const reports: ServerReport[] = [];
  for (const { server, source, outcome, problems, latest } of observed) {
    const locked = lock.servers[server.name]!.package!;
    const today = outcome.ok ? outcome.entry.package : undefined;
    const own: Finding[] = [...problems];
    if (today) {
      own.push(...comparePackage(server.name, locked, today), ...packageState(server.name, today));
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
      state: own.some((f) => f.severity !== 'info') ? 'changed' : 'unchanged',
      source,
      locations: locationsOf(server),
    });
  }
  return report(
    'outdated',
    ctx,
    { lockfileWritten: false, servers: reports, findings, notes },
    exitCode(findings, options.failOn),
  );
}
