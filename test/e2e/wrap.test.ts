import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, readText, runCli, STATE_SERVER } from '../helpers/cli.js';
import { connect, lockedProject, textOf } from '../helpers/proxy.js';

const WEATHER = join(import.meta.dirname, '..', 'fixtures', 'weather-state.json');

describe('wrap, a client session through the wrapped config, then unwrap', () => {
  let dir: string;
  let before: { claude: string; vscode: string };
  let wrapped: { claude: string; vscode: string };
  let wrap: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    dir = await lockedProject();
    // A second client's config, JSONC with comments, for a server without env.
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(
      join(dir, '.vscode', 'mcp.json'),
      `{
  // the weather server
  "servers": {
    "weather": {
      "command": ${JSON.stringify(process.execPath)}, // node
      "args": [${JSON.stringify(STATE_SERVER)}, "--state", ${JSON.stringify(WEATHER)}],
    },
  },
}
`,
    );
    const install = await runCli(['install'], { cwd: dir, env: { API_TOKEN: 'tok_live_4f9a8b7c6d5e' } });
    expect(install.code).toBe(0);
    before = { claude: readText(dir, '.mcp.json'), vscode: readText(dir, '.vscode/mcp.json') };
    wrap = await runCli(['wrap', '--launcher', BIN], { cwd: dir });
    wrapped = { claude: readText(dir, '.mcp.json'), vscode: readText(dir, '.vscode/mcp.json') };
  }, 60_000);

  it('routes every locked stdio server through mcp-lock run, comments kept', () => {
    expect(wrap.code).toBe(0);
    const entry = JSON.parse(wrapped.claude).mcpServers.fixture;
    expect(entry.command).toBe(BIN);
    // The reference travels with the project: relative, never this machine's absolute path.
    expect(entry.args.slice(0, 5)).toEqual(['run', 'fixture', '--lockfile', 'mcp-lock.json', '--']);
    expect(entry.args.slice(5)).toEqual([
      process.execPath,
      ...JSON.parse(before.claude).mcpServers.fixture.args,
    ]);
    expect(entry.env).toEqual({ API_TOKEN: '${API_TOKEN}' });
    expect(wrapped.vscode).toContain('// the weather server');
    expect(wrapped.vscode).toContain(`"command": ${JSON.stringify(BIN)}, // node`);
  });

  it('leaves the lockfile matching: verify reads a wrapped entry as the server it wraps', async () => {
    const verify = await runCli(['verify', '--format', 'json'], {
      cwd: dir,
      env: { API_TOKEN: 'tok_live_4f9a8b7c6d5e' },
    });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).findings).toEqual([]);
  });

  it('shows wrapped entries in ls', async () => {
    const ls = await runCli(['ls', '--format', 'json'], { cwd: dir });
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout).notes).toContain(
      'fixture launches through `mcp-lock run` in .mcp.json (wrapped)',
    );
  });

  it('serves a real client that launches the entry exactly as the config says', async () => {
    const entry = JSON.parse(wrapped.claude).mcpServers.fixture as { command: string; args: string[] };
    const session = await connect(entry.command, entry.args, { cwd: dir });
    try {
      expect((await session.client.listTools()).tools.map((t) => t.name)).toContain('echo');
      expect(textOf(await session.client.callTool({ name: 'echo', arguments: { text: 'via wrap' } }))).toBe(
        'echo: via wrap',
      );
    } finally {
      await session.close();
    }
  });

  it('wraps nothing twice', async () => {
    const again = await runCli(['wrap', '--launcher', BIN, '--format', 'json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).notes).toContain('nothing to wrap');
    expect(readText(dir, '.mcp.json')).toBe(wrapped.claude);
  });

  it('restores every config byte for byte on unwrap', async () => {
    const unwrap = await runCli(['unwrap'], { cwd: dir });
    expect(unwrap.code).toBe(0);
    expect(readText(dir, '.mcp.json')).toBe(before.claude);
    expect(readText(dir, '.vscode/mcp.json')).toBe(before.vscode);
    expect(readFileSync(join(dir, '.vscode', 'mcp.json'), 'utf8')).toContain('// the weather server');
  });
});
