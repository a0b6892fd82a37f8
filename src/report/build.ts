import { CLIENT_NAMES } from '../core/clients.js';
import { definitionCounts } from '../core/lockfile/outline.js';
import type { LockServer } from '../core/lockfile/schema.js';
import { summarise, type FailOn, type VerdictRule } from '../core/policy.js';
import type { ConfiguredServer } from '../core/servers.js';
import { VERSION } from '../version.js';
import type { CommandName, Report, ServerReport } from './model.js';

export type ReportParts = Pick<Report, 'servers' | 'findings' | 'notes' | 'lockfileWritten'> &
  Partial<Pick<Report, 'signature'>>;

/** A report with its verdict: the exit code and the counts every renderer prints come from the core, once. */
export function buildReport(
  command: CommandName,
  context: { lockfile: string; failOn: FailOn; rule: VerdictRule },
  parts: ReportParts,
): Report {
  const summary = summarise(parts.findings, context.failOn, context.rule);
  return {
    command,
    version: VERSION,
    ok: summary.exitCode === 0,
    exitCode: summary.exitCode,
    failOn: context.failOn,
    lockfile: context.lockfile,
    ...parts,
    summary,
  };
}

/** Where a server is configured, with line numbers, for report locations (SARIF). */
export function locationsOf(server: ConfiguredServer): ServerReport['locations'] {
  return server.specs.map((s) => ({
    file: s.origin.file,
    key: s.origin.key,
    ...(s.origin.line ? { line: s.origin.line } : {}),
    ...(s.origin.client === 'generic' ? {} : { client: CLIENT_NAMES[s.origin.client] }),
  }));
}

/** How many definitions of each kind a lock entry holds. */
export function counts(entry: LockServer | undefined): ServerReport['counts'] {
  return entry ? definitionCounts(entry) : undefined;
}
