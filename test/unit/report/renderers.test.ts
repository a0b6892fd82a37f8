import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderHuman } from '../../../src/report/human.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { reportJsonSchema } from '../../../src/report/model.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { ROOT } from '../../helpers/cli.js';
import { sampleReport } from '../../helpers/report.js';

const require = createRequire(import.meta.url);
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202e]|[\u{e0000}-\u{e007f}]/u;

describe('SARIF', () => {
  const sarif = renderSarif(sampleReport());

  it('is valid SARIF 2.1.0 (the OASIS schema)', () => {
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(JSON.parse(sarif));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('matches the golden file', async () => {
    await expect(sarif).toMatchFileSnapshot(join(ROOT, 'test/fixtures/golden/report.sarif'));
  });

  it('links every rule to its section of the README', () => {
    const rules = JSON.parse(sarif).runs[0].tool.driver.rules as { id: string; helpUri: string }[];
    expect(rules.length).toBeGreaterThan(40);
    for (const rule of rules)
      expect(rule.helpUri).toMatch(new RegExp(`^https://.*/README\\.md#finding-${rule.id}$`));
  });

  it('locates results at the server entry of its config, and marks accepted ones as suppressed', () => {
    const log = JSON.parse(sarif);
    const [first, , shadow] = log.runs[0].results;
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '.mcp.json' },
      region: { startLine: 3 },
    });
    expect(first.level).toBe('error');
    expect(shadow.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'both are ours' },
    ]);
    expect(
      log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'tool-hidden-content').properties[
        'security-severity'
      ],
    ).toBe('8.0');
  });

  it('fingerprints what a finding is about, not its wording', () => {
    const report = sampleReport();
    const again = sampleReport();
    again.findings[0]!.message = 'reworded';
    const prints = (r: typeof report) =>
      JSON.parse(renderSarif(r)).runs[0].results.map(
        (x: { partialFingerprints: unknown }) => x.partialFingerprints,
      );
    expect(prints(again)).toEqual(prints(report));
    expect(new Set(prints(report).map((p: Record<string, string>) => p['mcpLockFinding/v1'])).size).toBe(4);
  });
});

describe('JSON', () => {
  it('validates against schemas/report.schema.json, which is in sync with the declaration', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'));
    expect(committed).toEqual(reportJsonSchema());
    const validate = new Ajv2020({ strict: false }).compile(committed);
    expect(validate(JSON.parse(renderJson(sampleReport())))).toBe(true);
    expect(validate({ ...sampleReport(), exitCode: 'one' })).toBe(false);
  });
});

describe('Markdown and human output', () => {
  it('Markdown matches its snapshot and renders no server text as HTML', async () => {
    const md = renderMarkdown(sampleReport());
    await expect(md).toMatchFileSnapshot(join(ROOT, 'test/fixtures/golden/report.md'));
    const outsideCode = md.replace(/(`{3,})[^\n]*\n[\s\S]*?\1/g, '');
    expect(outsideCode).not.toMatch(/<(?!\/?(?:details|summary|b)>)/);
  });

  it('human output matches its snapshot, with colour off', async () => {
    await expect(renderHuman(sampleReport(), { color: false, full: false })).toMatchFileSnapshot(
      join(ROOT, 'test/fixtures/golden/report.txt'),
    );
  });

  it('no renderer passes a raw ESC, C1, bidi, zero-width or tag character through', () => {
    for (const out of [
      renderHuman(sampleReport(), { color: false, full: true }),
      renderMarkdown(sampleReport()),
      renderSarif(sampleReport()),
      renderJson(sampleReport()),
    ]) {
      expect(out).not.toMatch(RAW);
    }
  });

  it('colour is ANSI only when asked for', () => {
    expect(renderHuman(sampleReport(), { color: true, full: false })).toContain('\u001b[31m');
    expect(renderHuman(sampleReport(), { color: false, full: false })).not.toContain('\u001b');
  });
});
