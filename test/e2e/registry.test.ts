import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeProject, readText, runCli } from '../helpers/cli.js';

const PACKAGE = '@modelcontextprotocol/server-everything@2026.8.31';

/**
 * The one slow, real-registry test: the published reference server, launched with npx the way clients launch it,
 * pinned through the user's npm configuration (this machine's is a mirror that strips signatures).
 */
describe('a real package from the real npm registry', () => {
  it('is pinned at its exact version with the integrity npm reports, and honestly as no-metadata on a mirror', async () => {
    const dir = makeProject({
      '.mcp.json': { mcpServers: { everything: { command: 'npx', args: ['-y', PACKAGE] } } },
    });
    // The user's npm configuration, as the machine has it (the test's own home would hide it).
    const home = process.env.HOME!;
    const result = await runCli(['install', '--format', 'json', '--timeout', '120000'], {
      cwd: dir,
      home,
      timeoutMs: 150_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const pkg = JSON.parse(readText(dir, 'mcp-lock.json')).servers.everything.package;
    const expected = execFileSync('npm', ['view', PACKAGE, 'dist.integrity'], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
    expect(pkg).toMatchObject({
      type: 'npm',
      name: '@modelcontextprotocol/server-everything',
      version: '2026.8.31',
      pinned: true,
      integrity: expected,
      tarball: 'verified',
    });
    const signed = execFileSync('npm', ['view', PACKAGE, 'dist.signatures', '--json'], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
    expect(pkg.signature).toBe(signed === '' ? 'no-metadata' : 'verified');
    // The whole tree npx would install, not just the top tarball.
    expect(pkg.dependencies.count).toBeGreaterThan(20);
    expect(pkg.dependencies.packages['node_modules/@modelcontextprotocol/sdk']).toMatch(/^1\./);
  }, 180_000);
});
