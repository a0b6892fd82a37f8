import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../../src/core/checks/index.js';
import { compareServer } from '../../../../src/core/diff.js';
import { FINDINGS, type FindingCode } from '../../../../src/core/findings.js';
import { ROOT } from '../../../helpers/cli.js';
import { view } from '../../../helpers/views.js';

const fixture = (...path: string[]) =>
  JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', ...path), 'utf8'));
const HARD: FindingCode[] = [
  'tool-hidden-content',
  'tool-terminal-escape',
  'tool-name-confusable',
  'tool-cross-reference',
];
const lint = (code: FindingCode) => FINDINGS[code].severity === 'info';

describe('the published Invariant Labs proofs of concept', () => {
  const pocs = fixture('corpus', 'invariant-pocs.json');

  it('direct poisoning is reported at install, with its exfiltration parameter', () => {
    const codes = runChecks([view('poison', pocs.direct_poisoning.tools)]).map((f) => f.code);
    expect(codes).toContain('tool-cross-reference');
    expect(codes).toContain('tool-exfiltration-parameter');
  });

  it("cross-server shadowing is reported at install, naming the victim's tool", () => {
    const findings = runChecks([
      view('demo', pocs.shadowing.tools),
      view('mail', pocs.shadowing.victim.tools),
    ]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'tool-cross-reference',
        server: 'demo',
        tool: 'add',
        message: expect.stringContaining('send_email (mail)'),
      }),
    );
  });

  it('the sleeper is a rug pull, and its new text reaches for the WhatsApp server', () => {
    const before = view('facts', pocs.sleeper_rug_pull.before);
    const after = view('facts', pocs.sleeper_rug_pull.after);
    expect(
      runChecks([before, view('whatsapp', pocs.sleeper_rug_pull.victim.tools)]).filter((f) => !lint(f.code)),
    ).toEqual([]);
    const drift = compareServer('facts', before.entry, after.entry);
    expect(drift.map((f) => f.code)).toEqual(['tool-description-changed']);
    expect(drift[0]!.message).toMatch(/adds .*instruction-like markup/);
    const findings = runChecks([after, view('whatsapp', pocs.sleeper_rug_pull.victim.tools)]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'tool-cross-reference',
        message: expect.stringContaining('send_message (whatsapp)'),
      }),
    );
  });
});

describe('the Damn Vulnerable MCP Server', () => {
  const tools = fixture('corpus', 'dvmcp-damn-vulnerable-mcp-server.json') as {
    name: string;
    description: string;
    _meta: { poisonedDescription: boolean };
  }[];
  const poisoned = tools.filter((t) => t._meta.poisonedDescription);

  it('every poisoned description is reported, also with its <IMPORTANT>-style tags removed', () => {
    expect(poisoned.length).toBeGreaterThanOrEqual(7);
    for (const strip of [false, true]) {
      for (const t of poisoned) {
        const description = strip ? t.description.replace(/<\/?[A-Z]+>/g, '') : t.description;
        expect(
          runChecks([view('dvmcp', [{ ...t, description }])]).length,
          `${t.name} (tags ${strip ? 'removed' : 'kept'})`,
        ).toBeGreaterThan(0);
      }
    }
  });

  it('its honest tools raise no hard finding', () => {
    const honest = tools.filter((t) => !t._meta.poisonedDescription);
    const findings = honest.flatMap((t) => runChecks([view('dvmcp', [t])]));
    expect(findings.filter((f) => HARD.includes(f.code))).toEqual([]);
  });

  it('its rug-pull challenge is caught as a description change that adds instructions', () => {
    const before = view('weather', fixture('corpus', 'dvmcp-rug-pull-before.json').tools);
    const after = view('weather', fixture('corpus', 'dvmcp-rug-pull-after.json').tools);
    const drift = compareServer('weather', before.entry, after.entry);
    expect(drift).toContainEqual(
      expect.objectContaining({
        code: 'tool-description-changed',
        tool: 'get_weather_forecast',
        message: expect.stringMatching(/adds/),
      }),
    );
  });
});

describe('real, popular published servers (benign corpus)', () => {
  const dir = join(ROOT, 'test', 'fixtures', 'benign');
  const servers = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const d = fixture('benign', f);
      return view(f.replace(/\.json$/, ''), d.tools, {
        serverInfo: d.serverInfo,
        instructions: d.instructions,
        prompts: d.prompts,
        resources: d.resources,
        resourceTemplates: d.resourceTemplates,
      });
    });
  // Loaded together by one client: the harshest setting for cross-references.
  const findings = runChecks(servers);

  it('holds at least eight servers', () => {
    expect(servers.length).toBeGreaterThanOrEqual(8);
  });

  it('raises no hidden-content, terminal-escape, confusable-name or cross-reference finding', () => {
    expect(findings.filter((f) => HARD.includes(f.code))).toEqual([]);
  });

  it('raises as many lint-level findings as the README says', () => {
    const count = findings.filter((f) => lint(f.code)).length;
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const stated = /(\d+)\s+lint-level\s+findings?\s+on\s+(\d+)\s+real\s+servers/.exec(readme);
    expect(stated?.slice(1).map(Number)).toEqual([count, servers.length]);
  });
});
