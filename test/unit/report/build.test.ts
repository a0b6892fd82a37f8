import { describe, expect, it } from 'vitest';
import { finding } from '../../../src/core/findings.js';
import { auditLines } from '../../../src/report/audit-lines.js';
import { buildReport, counts, locationsOf } from '../../../src/report/build.js';
import { sampleReport } from '../../helpers/report.js';
import { tool, view } from '../../helpers/views.js';

describe('a report', () => {
  it('carries the verdict of its command rule: exit code, ok and summary agree', () => {
    const findings = [finding('tool-added', { server: 'a', tool: 't', message: 'm' })];
    const parts = { lockfileWritten: false, servers: [], findings, notes: [] };
    const gate = buildReport('verify', { lockfile: 'mcp-lock.json', failOn: 'low', rule: 'gate' }, parts);
    expect(gate).toMatchObject({ ok: false, exitCode: 1, summary: { exitCode: 1, failing: 1 } });
    const accepting = buildReport(
      'update',
      { lockfile: 'mcp-lock.json', failOn: 'low', rule: 'accepting' },
      parts,
    );
    expect(accepting).toMatchObject({ ok: true, exitCode: 0, summary: { failing: 0 } });
  });

  it('says where a server is configured and how much it offers', () => {
    const entry = view('a', [tool('x'), tool('y')]).entry;
    expect(counts(entry)).toEqual({ tools: 2, prompts: 0, resources: 0, resourceTemplates: 0 });
    expect(counts(undefined)).toBeUndefined();
    expect(
      locationsOf({
        name: 'a',
        specs: [
          {
            name: 'a',
            transport: 'stdio',
            command: 'node',
            origin: { file: '.mcp.json', key: 'mcpServers.a', client: 'claude-code', line: 3 },
          },
        ],
      }),
    ).toEqual([{ file: '.mcp.json', key: 'mcpServers.a', line: 3, client: 'Claude Code' }]);
  });
});

describe('the audit trail', () => {
  it('is one line for the run and one per finding, hidden characters escaped', () => {
    const lines = auditLines(sampleReport(), '2026-12-02T00:00:00.000Z').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      type: 'run',
      exitCode: 1,
      findings: 4,
      time: '2026-12-02T00:00:00.000Z',
    });
    expect(lines.slice(1).map((l) => l.code)).toEqual(sampleReport().findings.map((f) => f.code));
    expect(lines.find((l) => l.code === 'tool-shadowing').accepted).toBe('both are ours');
    for (const line of auditLines(sampleReport(), 't')) expect(line).not.toMatch(/[\u001b\u{e0041}]/u);
  });
});
