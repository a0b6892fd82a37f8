import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/core/analyse.js';
import { applyDecisions, withDecision } from '../../../src/core/decisions.js';
import { finding, type FindingCode } from '../../../src/core/findings.js';
import type { Decision } from '../../../src/core/lockfile/schema.js';
import { summarise } from '../../../src/core/policy.js';
import { tool, view } from '../../helpers/views.js';

const f = (code: FindingCode, server = 'a', tool?: string) =>
  finding(code, { server, ...(tool ? { tool } : {}), message: 'm' });

describe('reviewed decisions', () => {
  it('cover the findings they name, and only those', () => {
    const decisions: Decision[] = [{ code: 'tool-added', server: 'a', reason: 'reviewed' }];
    const { findings } = applyDecisions(
      [f('tool-added'), f('tool-added', 'b'), f('tool-removed')],
      decisions,
      '2026-12-02',
    );
    expect(findings.map((x) => Boolean(x.accepted))).toEqual([true, false, false]);
    expect(findings[0]!.accepted).toEqual({ reason: 'reviewed' });
  });

  it('a * decision covers every server; a tool decision only that tool', () => {
    const decisions: Decision[] = [
      { code: 'tool-shadowing', server: '*', reason: 'both ours' },
      { code: 'tool-added', server: 'a', tool: 'x', reason: 'fine' },
    ];
    const { findings } = applyDecisions(
      [f('tool-shadowing', 'b', 'y'), f('tool-added', 'a', 'x'), f('tool-added', 'a', 'z')],
      decisions,
      '2026-12-02',
    );
    expect(findings.map((x) => Boolean(x.accepted))).toEqual([true, true, false]);
  });

  it('hidden content and terminal escapes yield only to a decision naming the exact server, tool and code', () => {
    const broad: Decision[] = [
      { code: 'tool-hidden-content', server: '*', tool: 'x', reason: 'r' },
      { code: 'tool-terminal-escape', server: 'a', reason: 'r' },
    ];
    const hidden = [f('tool-hidden-content', 'a', 'x'), f('tool-terminal-escape', 'a', 'x')];
    expect(applyDecisions(hidden, broad, '2026-12-02').findings.some((x) => x.accepted)).toBe(false);
    const exact: Decision[] = [{ code: 'tool-hidden-content', server: 'a', tool: 'x', reason: 'r' }];
    expect(applyDecisions(hidden, exact, '2026-12-02').findings[0]!.accepted).toBeDefined();
  });

  it('an expired decision stops applying and says so; one expiring today still applies', () => {
    const decision = (expires: string): Decision[] => [
      { code: 'tool-added', server: 'a', reason: 'r', expires },
    ];
    const expired = applyDecisions([f('tool-added')], decision('2026-12-01'), '2026-12-02');
    expect(expired.findings[0]!.accepted).toBeUndefined();
    expect(expired.notes).toEqual([expect.stringMatching(/expired on 2026-12-01/)]);
    expect(
      applyDecisions([f('tool-added')], decision('2026-12-02'), '2026-12-02').findings[0]!.accepted,
    ).toEqual({
      reason: 'r',
      expires: '2026-12-02',
    });
  });

  it('a new decision replaces one on the same server, tool and code, in a stable order', () => {
    const old: Decision[] = [
      { code: 'tool-added', server: 'b', reason: 'old' },
      { code: 'tool-added', server: 'a', reason: 'keep' },
    ];
    const next = withDecision(old, { code: 'tool-added', server: 'b', reason: 'new' });
    expect(next).toEqual([
      { code: 'tool-added', server: 'a', reason: 'keep' },
      { code: 'tool-added', server: 'b', reason: 'new' },
    ]);
  });
});

describe('analysis', () => {
  it('runs the checks, keeps the selected servers, orders by server and applies decisions', async () => {
    const a = view('a', [tool('send_email')]);
    const b = view('b', [tool('send_email')]);
    const { findings } = await analyse({
      diffFindings: [f('tool-added', 'b', 'send_email')],
      views: [a, b],
      selected: new Set(['b']),
      decisions: [{ code: 'tool-shadowing', server: 'b', reason: 'ours' }],
      today: '2026-12-02',
    });
    expect(findings.every((x) => x.server === 'b')).toBe(true);
    expect(findings.map((x) => x.code)).toEqual(['tool-added', 'tool-shadowing']);
    expect(findings[1]!.accepted).toEqual({ reason: 'ours' });
  });
});

describe('what no decision covers', () => {
  it('signature and integrity findings stay unaccepted and fail at any --fail-on; the decision is named as ignored', () => {
    const decisions: Decision[] = [
      { code: 'lockfile-signature-invalid', server: '*', reason: 'forged' },
      { code: 'package-integrity-mismatch', server: 'a', reason: 'forged' },
    ];
    const { findings, notes } = applyDecisions(
      [f('lockfile-signature-invalid', 'mcp-lock.json'), f('package-integrity-mismatch')],
      decisions,
      '2026-12-02',
    );
    expect(findings.some((x) => x.accepted)).toBe(false);
    expect(notes).toHaveLength(2);
    for (const failOn of ['none', 'critical', 'info'] as const) {
      expect(summarise(findings, failOn, 'gate')).toMatchObject({ exitCode: 1, failing: 2 });
      expect(summarise(findings, failOn, 'accepting').exitCode).toBe(1);
    }
  });
});
