import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, readText, ROOT, runCli, STATE_SERVER, writeFiles } from '../helpers/cli.js';

const WEATHER = readFileSync(join(ROOT, 'test/fixtures/weather-state.json'), 'utf8');
const node = process.execPath;
const entry = (extra: string[] = []) => ({
  command: node,
  args: [STATE_SERVER, '--state', '${workspaceFolder}/state.json', ...extra],
});
const lockOf = (dir: string) => JSON.parse(readText(dir, 'mcp-lock.json'));

describe('project config discovery', () => {
  it('reads the five project files of the clients, each with its own shape', async () => {
    const dir = makeProject({
      'state.json': WEATHER,
      '.mcp.json': { mcpServers: { claude: entry(['--marker', 'claude']) } },
      '.vscode/mcp.json': `{
        // VS Code: JSONC, "servers", "inputs"
        "inputs": [{ "type": "promptString", "id": "region", "description": "Region" }],
        "servers": { "vscode": { "type": "stdio", "command": "${node}", "args": ["${STATE_SERVER}", "--state", "\${workspaceFolder}/state.json", "--marker", "\${input:region}"], }, },
      }`,
      '.cursor/mcp.json': { mcpServers: { cursor: entry(['--marker', 'cursor']) } },
      '.gemini/settings.json': { mcpServers: { gemini: entry(['--marker', 'gemini']) } },
      '.windsurf/mcp.json': { mcpServers: { windsurf: entry(['--marker', 'windsurf']) } },
    });
    const result = await runCli(['install'], { cwd: dir, env: { MCP_LOCK_INPUT_REGION: 'eu' } });
    expect(result.code).toBe(0);
    const servers = lockOf(dir).servers;
    expect(Object.keys(servers)).toEqual(['claude', 'cursor', 'gemini', 'vscode', 'windsurf']);
    expect(servers.vscode.source.configs).toEqual([{ file: '.vscode/mcp.json', key: 'servers.vscode' }]);
    expect(servers.gemini.source.configs).toEqual([
      { file: '.gemini/settings.json', key: 'mcpServers.gemini' },
    ]);
    // Variables stay as written in the lock.
    expect(servers.vscode.source.args).toContain('${input:region}');
    expect(servers.claude.source.args).toContain('${workspaceFolder}/state.json');
  });

  it('an ${input:…} that is not provided makes that server unreachable, naming the variable to set', async () => {
    const dir = makeProject({
      'state.json': WEATHER,
      '.vscode/mcp.json': {
        servers: {
          v: { command: node, args: [STATE_SERVER, '--state', 'state.json', '--marker', '${input:api-key}'] },
        },
      },
    });
    const result = await runCli(['install', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).findings[0].message).toMatch(
      /input api-key \(set MCP_LOCK_INPUT_API_KEY\)/,
    );
  });

  it('${VAR:-default} falls back to the default', async () => {
    const dir = makeProject({
      'state.json': WEATHER,
      '.mcp.json': {
        mcpServers: { a: { command: node, args: [STATE_SERVER, '--state', '${STATE_FILE:-state.json}'] } },
      },
    });
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
  });

  it('one server defined alike in two files is one entry that names both', async () => {
    const same = { mcpServers: { shared: entry() } };
    const dir = makeProject({ 'state.json': WEATHER, '.mcp.json': same, '.cursor/mcp.json': same });
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    expect(lockOf(dir).servers.shared.source.configs).toEqual([
      { file: '.mcp.json', key: 'mcpServers.shared' },
      { file: '.cursor/mcp.json', key: 'mcpServers.shared' },
    ]);
  });

  it('one name defined differently in two files is never silently overwritten', async () => {
    const dir = makeProject({
      'state.json': WEATHER,
      '.mcp.json': { mcpServers: { api: entry(['--marker', 'a']) } },
      '.cursor/mcp.json': { mcpServers: { api: entry(['--marker', 'b']) } },
    });
    const result = await runCli(['install'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/server "api" is defined differently/);
    expect(Object.keys(lockOf(dir).servers)).toEqual(['api@.cursor/mcp.json', 'api@.mcp.json']);
  });
});

describe('--config and --user', () => {
  it('--config reads a Claude Desktop file anywhere', async () => {
    const dir = makeProject({
      'state.json': WEATHER,
      'elsewhere/claude_desktop_config.json': { mcpServers: { desktop: entry() } },
    });
    expect(
      (await runCli(['install', '--config', 'elsewhere/claude_desktop_config.json'], { cwd: dir })).code,
    ).toBe(0);
    expect(lockOf(dir).servers.desktop.source.configs).toEqual([
      { file: 'elsewhere/claude_desktop_config.json', key: 'mcpServers.desktop' },
    ]);
  });

  it("--user adds the user-level files, including this project's local scope in ~/.claude.json", async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    const home = makeProject();
    writeFiles(home, {
      '.claude.json': {
        mcpServers: { 'user-scope': entry() },
        projects: {
          [dir]: { mcpServers: { 'local-scope': entry(['--marker', 'l']) } },
          '/other': { mcpServers: { other: entry() } },
        },
      },
      '.config/Claude/claude_desktop_config.json': { mcpServers: { desktop: entry(['--marker', 'd']) } },
      '.cursor/mcp.json': { mcpServers: { cursor: entry(['--marker', 'c']) } },
      '.config/Code/User/mcp.json':
        '{ "servers": { "code": ' + JSON.stringify(entry(['--marker', 'v'])) + ' } }',
      '.codeium/windsurf/mcp_config.json': { mcpServers: { windsurf: entry(['--marker', 'w']) } },
      '.gemini/settings.json': { mcpServers: { gemini: entry(['--marker', 'g']) } },
    });
    const without = await runCli(['ls', '--format', 'json'], { cwd: dir, home });
    expect(without.code).toBe(0);
    expect(JSON.parse(without.stdout).servers).toEqual([]);
    const result = await runCli(['install', '--user', '--format', 'json'], { cwd: dir, home });
    // The same tools at user and local scope of Claude Code shadow each other — as lint, since Claude Code names
    // each server's tools apart; other clients load theirs apart.
    expect(result.code).toBe(0);
    const shadowed = JSON.parse(result.stdout).findings.map(
      (f: { code: string; server: string; severity: string }) => `${f.code} ${f.server} ${f.severity}`,
    );
    expect(new Set(shadowed)).toEqual(
      new Set(['tool-shadowing local-scope info', 'tool-shadowing user-scope info']),
    );
    const servers = lockOf(dir).servers;
    expect(Object.keys(servers).sort()).toEqual([
      'code',
      'cursor',
      'desktop',
      'gemini',
      'local-scope',
      'user-scope',
      'windsurf',
    ]);
    expect(servers['local-scope'].source.configs[0]).toEqual({
      file: '~/.claude.json',
      key: `projects[${JSON.stringify(dir)}].mcpServers.local-scope`,
    });
    expect(servers.desktop.source.configs[0].file).toBe('~/.config/Claude/claude_desktop_config.json');
    // Without --user the user-level servers are not checked, and not reported as removed either.
    const verify = await runCli(['verify', '--format', 'json'], { cwd: dir, home, env: {} });
    expect(JSON.parse(verify.stdout).findings).toEqual([]);
  });
});

describe('which problem is reported when there are several', () => {
  it('the first file in discovery order, however long it takes to read; the lockfile before any config', async () => {
    // `.mcp.json` comes first and is slow to read (2 MB, broken at its end); `opencode.json` comes later and is small.
    const big = `{"mcpServers": {${Array.from({ length: 20_000 }, (_, i) => `"s${i}": {"command": "node", "args": ["${'x'.repeat(80)}"]}`).join(',')},}}`;
    const dir = makeProject({ '.mcp.json': big, 'opencode.json': '{ nope' });
    const ls = await runCli(['ls'], { cwd: dir });
    expect(ls.code).toBe(2);
    expect(ls.stderr).toMatch(/^mcp-lock: error \[config-invalid\]: \.mcp\.json: /);

    writeFiles(dir, { 'mcp-lock.json': '{"lockfileVersion": 1, "servers": {' });
    const both = await runCli(['ls'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/mcp-lock\.json/);
    expect(both.stderr).not.toMatch(/\.mcp\.json: /);
  });
});
