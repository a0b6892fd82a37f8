import { assessServer, removedServers } from '../core/assess.js';
import { FINDINGS, type Finding } from '../core/findings.js';
import { serializeLockfile } from '../core/lockfile/parse.js';
import { LOCKFILE_VERSION, type LockServer, type Lockfile } from '../core/lockfile/schema.js';
import { exitCode } from '../core/policy.js';
import { readLockfile } from '../lockfile-io.js';
import type { Report, ServerReport } from '../report/model.js';
import { VERSION } from '../version.js';
import {
  analyse,
  configured,
  context,
  counts,
  DEFAULT_CLIENT,
  LOCKFILE_SCHEMA_REF,
  locationsOf,
  noConfigError,
  observe,
  report,
  select,
  type RunOptions,
  saveLockfile,
} from './context.js';

/** `install` and `update`: snapshot, decide per server, write the lockfile when its bytes change. */
async function pin(mode: 'install' | 'update', options: RunOptions): Promise<Report> {
  const ctx = context(options);
  const lock = await readLockfile(ctx.lockPath, ctx.lockDisplay);
  const { servers, notes, lookedAt, read } = await configured(ctx);
  if (servers.length === 0 && !lock) throw noConfigError(ctx, read);
  const selected = select(servers, lock, ctx);
  const client = lock?.client ?? DEFAULT_CLIENT;
  const observed = await observe(ctx, selected, client);
  notes.push(...observed.flatMap((o) => o.notes));
  notes.push(...ctx.trustNotes);

  const next: Record<string, LockServer> = { ...(lock?.servers ?? {}) };
  const findings: Finding[] = [];
  const reports: ServerReport[] = [];
  for (const { server, source, outcome, stderr, problems } of observed) {
    const assessment = assessServer(mode, server.name, source, lock?.servers[server.name], outcome);
    findings.push(...assessment.findings, ...problems);
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
    const note = await saveLockfile(ctx, lockfile);
    if (note) notes.push(note);
  }
  if (mode === 'update') {
    // What update accepted is shown, not failed on; what it could not read still says so.
    const code = exitCode(
      findings.filter((f) => FINDINGS[f.code].unchecked || f.code === 'server-limit-exceeded'),
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
