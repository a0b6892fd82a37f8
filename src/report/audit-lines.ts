import { escapeJsonText } from '../core/canonical.js';
import type { Report } from './model.js';

/**
 * The audit trail of `verify --log FILE`: one JSON line for the run and one per finding, appended, so a team can ship
 * it to its log system. Nothing a report would not show: secrets were redacted before, hidden characters are escaped.
 */
export function auditLines(report: Report, time: string): string[] {
  const servers = new Map(report.servers.map((s) => [s.name, s]));
  const run = {
    type: 'run',
    time,
    command: report.command,
    version: report.version,
    lockfile: report.lockfile,
    exitCode: report.exitCode,
    failOn: report.failOn,
    servers: report.servers.map((s) => ({
      name: s.name,
      state: s.state,
      ...(s.digests ? { digests: s.digests } : {}),
    })),
    findings: report.findings.length,
    ...(report.signature ? { signature: report.signature.status } : {}),
  };
  const findings = report.findings.map((f) => ({
    type: 'finding',
    time,
    server: f.server,
    code: f.code,
    severity: f.severity,
    ...(f.tool ? { tool: f.tool } : {}),
    ...(f.prompt ? { prompt: f.prompt } : {}),
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.field ? { field: f.field } : {}),
    message: f.message,
    ...(f.accepted ? { accepted: f.accepted.reason } : {}),
    ...(servers.get(f.server)?.digests ? { digests: servers.get(f.server)!.digests } : {}),
  }));
  return [run, ...findings].map((line) => escapeJsonText(JSON.stringify(line)));
}
