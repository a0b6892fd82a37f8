import { assessServer, removedServers, type Mode } from '../core/assess.js';
import { finding, type Finding } from '../core/findings.js';
import { lockSource } from '../core/lockfile/source.js';
import { exitCode } from '../core/policy.js';
import { McpLockError } from '../errors.js';
import { parseLockfileText, readLockfileText } from '../lockfile-io.js';
import { checkSignature } from '../signing/lockfile-signature.js';
import type { Report, ServerReport } from '../report/model.js';
import {
  analyse,
  configured,
  context,
  counts,
  locationsOf,
  observe,
  report,
  select,
  type RunOptions,
} from './context.js';

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
  const observed = new Map((await observe(ctx, toLaunch, lock.client, lock)).map((o) => [o.server.name, o]));
  notes.push(...[...observed.values()].flatMap((o) => o.notes));
  notes.push(...ctx.trustNotes);

  const findings: Finding[] = [...signature.findings];
  notes.push(...signature.notes);
  const reports: ServerReport[] = [];
  const mode: Mode = 'verify';
  for (const server of selected) {
    const seen = observed.get(server.name);
    const source = lockSource(server.specs);
    const assessment = assessServer(mode, server.name, source, lock.servers[server.name], seen?.outcome);
    findings.push(...assessment.findings, ...(seen?.problems ?? []));
    const r: ServerReport = {
      name: server.name,
      state: assessment.state,
      source,
      locations: locationsOf(server),
      counts: counts(seen?.outcome.ok ? seen.outcome.entry : undefined),
      digests: {
        ...(lock.servers[server.name] ? { locked: lock.servers[server.name]!.digest } : {}),
        ...(seen?.outcome.ok ? { live: seen.outcome.entry.digest } : {}),
      },
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
