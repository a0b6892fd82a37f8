import { createHash } from 'node:crypto';
import { escapeJsonText } from '../core/canonical.js';
import { FINDINGS, type Finding, type FindingCode, type Severity } from '../core/findings.js';
import { findingHelpUri, findingMeaning } from './docs.js';
import type { Report, ServerReport } from './model.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks alerts by this number (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

function ruleName(code: FindingCode): string {
  return code.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

/**
 * A fingerprint of what a finding is about, not of its wording or position: the same finding on the next run is the
 * same alert, so code scanning does not re-open it.
 */
function fingerprint(f: Finding): string {
  const subject = f.tool ?? f.prompt ?? f.resource ?? '';
  return createHash('sha256')
    .update([f.code, f.server, subject, f.field ?? ''].join('\u0000'))
    .digest('hex');
}

function location(f: Finding, server: ServerReport | undefined, lockfile: string) {
  const where = server?.locations?.[0] ?? server?.source.configs[0];
  const line = where && 'line' in where ? where.line : undefined;
  const subject = f.tool ?? f.prompt ?? f.resource;
  return {
    physicalLocation: {
      artifactLocation: { uri: where?.file ?? lockfile },
      ...(line ? { region: { startLine: line } } : {}),
    },
    logicalLocations: [
      {
        name: subject ?? f.server,
        fullyQualifiedName: subject ? `${f.server}/${subject}` : f.server,
        kind: f.tool ? 'function' : 'module',
      },
    ],
  };
}

/** SARIF 2.1.0, as GitHub code scanning takes it: one rule per finding code, results located at the server's config entry. */
export function renderSarif(report: Report): string {
  const codes = Object.keys(FINDINGS) as FindingCode[];
  const servers = new Map(report.servers.map((s) => [s.name, s]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mcp-lock',
            version: report.version,
            rules: codes.map((code) => ({
              id: code,
              name: ruleName(code),
              shortDescription: { text: FINDINGS[code].summary },
              fullDescription: { text: findingMeaning(code) },
              helpUri: findingHelpUri(code),
              defaultConfiguration: { level: LEVEL[FINDINGS[code].severity] },
              properties: {
                'security-severity': SECURITY_SEVERITY[FINDINGS[code].severity],
                tags: ['security', 'mcp'],
              },
            })),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: LEVEL[f.severity],
          message: { text: `${f.server}: ${f.message}` },
          locations: [location(f, servers.get(f.server), report.lockfile)],
          partialFingerprints: { 'mcpLockFinding/v1': fingerprint(f) },
          properties: {
            severity: f.severity,
            'security-severity': SECURITY_SEVERITY[f.severity],
            server: f.server,
          },
          ...(f.accepted
            ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.accepted.reason }] }
            : {}),
        })),
      },
    ],
  };
  return escapeJsonText(JSON.stringify(log, null, 2)) + '\n';
}
