import { describe, expect, it } from 'vitest';
import { finding, FINDINGS, type FindingCode } from '../../../src/core/findings.js';
import { exitCode, failingFindings, summarise } from '../../../src/core/policy.js';

const f = (code: FindingCode) => finding(code, { server: 's', message: 'm' });

describe('exit codes', () => {
  it('0 with nothing found', () => {
    expect(exitCode([], 'low')).toBe(0);
  });
  it('1 with a finding at or above --fail-on', () => {
    expect(exitCode([f('tool-description-changed')], 'low')).toBe(1);
    expect(exitCode([f('tool-description-changed')], 'high')).toBe(1);
  });
  it('0 with findings below --fail-on, or with --fail-on none', () => {
    expect(exitCode([f('tool-removed')], 'medium')).toBe(0);
    expect(exitCode([f('tool-description-changed')], 'none')).toBe(0);
  });
  it('3 when a server could not be checked and nothing else failed', () => {
    expect(exitCode([f('server-unreachable')], 'low')).toBe(3);
    expect(exitCode([f('server-unreachable'), f('tool-removed')], 'high')).toBe(3);
  });
  it('1 wins over 3: drift is drift even when another server is down', () => {
    expect(exitCode([f('server-unreachable'), f('tool-added')], 'low')).toBe(1);
  });
  it('a server cut off at a limit fails: sending too much is suspicious', () => {
    expect(exitCode([f('server-limit-exceeded')], 'low')).toBe(1);
    expect(failingFindings([f('server-unreachable')], 'info')).toEqual([]);
  });
  it('the default (--fail-on low) fails on every change to what the model reads', () => {
    const modelFacing: FindingCode[] = [
      'tool-added',
      'tool-description-changed',
      'tool-schema-changed',
      'tool-title-changed',
      'tool-annotations-changed',
      'server-instructions-changed',
      'prompt-changed',
      'resource-changed',
    ];
    for (const code of modelFacing) expect(exitCode([f(code)], 'low'), code).toBe(1);
    expect(Object.values(FINDINGS).every((i) => i.summary.length > 0)).toBe(true);
  });
});

describe('the summary every renderer prints', () => {
  const accepted = { ...f('tool-shadowing'), accepted: { reason: 'ours' } };
  const findings = [f('tool-added'), f('tool-removed'), f('server-unreachable'), accepted];

  it('counts failing findings at --fail-on, by severity, accepted and unchecked', () => {
    expect(summarise(findings, 'medium', 'gate')).toEqual({
      exitCode: 1,
      failing: 1,
      bySeverity: { info: 0, low: 1, medium: 0, high: 2, critical: 0 },
      accepted: 1,
      unchecked: 1,
    });
  });

  it('update shows what it accepted without failing on it; what it could not read still counts', () => {
    expect(summarise([f('tool-added')], 'low', 'accepting')).toMatchObject({ exitCode: 0, failing: 0 });
    expect(summarise([f('tool-added'), f('server-unreachable')], 'low', 'accepting').exitCode).toBe(3);
    expect(summarise([f('server-limit-exceeded')], 'low', 'accepting').exitCode).toBe(1);
  });

  it('commands that only report or edit files always exit 0', () => {
    expect(summarise(findings, 'low', 'none')).toMatchObject({ exitCode: 0, failing: 0 });
  });
});
