import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { packFixture, startRegistry, type FixtureRegistry } from '../helpers/registry.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'clients');

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** Each client's config as the fixture has it: relative path → text, for the project and the home folder. */
const projectFiles = filesUnder(join(FIXTURES, 'project'));
const homeFiles = filesUnder(join(FIXTURES, 'home'));
const original = (where: 'project' | 'home', file: string) =>
  readFileSync(join(FIXTURES, where, file), 'utf8');

let registry: FixtureRegistry;
let dir: string;
let home: string;
const read = (where: 'project' | 'home', file: string) =>
  readFileSync(join(where === 'project' ? dir : home, file), 'utf8');
const cli = (args: string[], timeoutMs = 45_000) => runCli(args, { cwd: dir, home, timeoutMs });

beforeAll(async () => {
  registry = await startRegistry();
  registry.publish('weather-mcp', [
    { version: '1.0.0', tarball: packFixture('1.0.0'), manifest: { bin: { 'weather-mcp': 'server.js' } } },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'mcp-lock-clients-'));
  home = mkdtempSync(join(tmpdir(), 'mcp-lock-clients-home-'));
  cpSync(join(FIXTURES, 'project'), dir, { recursive: true });
  cpSync(join(FIXTURES, 'home'), home, { recursive: true });
  writeFileSync(join(dir, '.npmrc'), `registry=${registry.url}/\n`);
  // Claude Code records installed plugins with their folders; the plugin's .mcp.json lists its servers bare.
  writeFileSync(
    join(home, '.claude', 'plugins', 'installed_plugins.json'),
    JSON.stringify({
      version: 2,
      plugins: {
        'weather-plugin@acme': [
          {
            scope: 'user',
            installPath: join(home, '.claude/plugins/cache/acme/weather-plugin/1.0.0'),
            version: '1.0.0',
          },
        ],
      },
    }),
  );
}, 60_000);
afterAll(() => registry.close());

describe('the configs of Zed, Cline, Roo Code, Kiro, Copilot CLI, Visual Studio, Amazon Q, OpenCode, Continue, Goose, Codex and Claude Code plugins', () => {
  it('are discovered in the project and the home folder, each under its client', async () => {
    const ls = await cli(['ls', '--user', '--format', 'json']);
    expect(ls.code, ls.stderr).toBe(0);
    const report = JSON.parse(ls.stdout) as {
      servers: { name: string; locations: { file: string; client?: string }[] }[];
    };
    // The extension-provided Zed server has no launch line to lock.
    expect(report.servers.map((s) => s.name)).toEqual(['weather']);
    const locations = report.servers[0]!.locations;
    expect(locations.map((l) => l.file).sort()).toEqual(
      [...projectFiles, ...homeFiles.map((f) => `~/${f}`)].sort(),
    );
    const clientOf = (file: string) => locations.find((l) => l.file === file)?.client;
    expect(clientOf('.zed/settings.json')).toBe('Zed');
    expect(clientOf('~/.config/zed/settings.json')).toBe('Zed');
    expect(clientOf('.roo/mcp.json')).toBe('Roo Code');
    expect(clientOf('~/.cline/data/settings/cline_mcp_settings.json')).toBe('Cline');
    expect(clientOf('.kiro/settings/mcp.json')).toBe('Kiro');
    expect(clientOf('~/.copilot/mcp-config.json')).toBe('GitHub Copilot CLI');
    expect(clientOf('.vs/mcp.json')).toBe('Visual Studio');
    expect(clientOf('.amazonq/mcp.json')).toBe('Amazon Q Developer');
    expect(clientOf('~/.aws/amazonq/mcp.json')).toBe('Amazon Q Developer');
    expect(clientOf('opencode.jsonc')).toBe('OpenCode');
    expect(clientOf('~/.config/opencode/opencode.json')).toBe('OpenCode');
    expect(clientOf('.continue/mcpServers/weather.yaml')).toBe('Continue');
    expect(clientOf('~/.continue/config.yaml')).toBe('Continue');
    expect(clientOf('~/.config/goose/config.yaml')).toBe('Goose');
    expect(clientOf('.codex/config.toml')).toBe('Codex');
    expect(clientOf('~/.codex/config.toml')).toBe('Codex');
    expect(clientOf('~/.claude/plugins/cache/acme/weather-plugin/1.0.0/.mcp.json')).toBe('Claude Code');
    const human = await cli(['ls', '--user']);
    for (const client of [
      'Zed',
      'Cline',
      'Roo Code',
      'Kiro',
      'GitHub Copilot CLI',
      'Visual Studio',
      'Amazon Q Developer',
      'OpenCode',
    ])
      expect(human.stdout, client).toContain(client);
  });

  it('are locked, pinned, wrapped and unwrapped byte for byte', { timeout: 240_000 }, async () => {
    // Unpinned on purpose (pin comes next): package-unpinned is medium.
    const install = await cli(['install', '--user', '--fail-on', 'high', '--timeout', '60000'], 120_000);
    expect(install.code, install.stdout + install.stderr).toBe(0);
    const lock = JSON.parse(read('project', 'mcp-lock.json'));
    expect(lock.servers.weather.package).toMatchObject({ name: 'weather-mcp', version: '1.0.0' });
    expect(lock.servers.weather.source.configs).toHaveLength(projectFiles.length + homeFiles.length);

    // The clients' allow-lists, written from the lock, name the pinned version: every unpinned entry would be refused.
    const policy = await cli(['policy', '--for', 'claude-code', '-o', 'managed-settings.json']);
    expect(policy.code, policy.stderr).toBe(0);
    expect(JSON.parse(read('project', 'managed-settings.json'))).toEqual({
      allowedMcpServers: [{ serverCommand: ['npx', '-y', 'weather-mcp@1.0.0'] }],
    });
    const codex = await cli(['policy', '--for', 'codex']);
    expect(codex.code, codex.stderr).toBe(0);
    expect(parseToml(codex.stdout)).toEqual({
      mcp_servers: {
        weather: {
          identity: {
            command: {
              executable: 'npx',
              args: [
                { match: 'exact', value: '-y' },
                { match: 'exact', value: 'weather-mcp@1.0.0' },
              ],
            },
          },
        },
      },
    });
    const cursor = await cli(['policy', '--for', 'cursor']);
    expect(JSON.parse(cursor.stdout)).toEqual({ mcpAllowlist: ['weather:get_forecast'] });
    const refusedBy = async () => {
      const checked = await cli([
        'verify',
        '--user',
        '--offline',
        '--format',
        'json',
        '--fail-on',
        'high',
        '--policy-for',
        'claude-code',
        '--policy-for',
        'copilot',
        '--policy-for',
        'codex',
      ]);
      expect(checked.code, checked.stdout).toBe(0);
      return (JSON.parse(checked.stdout).findings as { code: string; message: string }[])
        .filter((f) => f.code === 'server-policy-refused')
        .map((f) => f.message.slice(0, f.message.indexOf(':')))
        .sort();
    };
    expect(await refusedBy()).toEqual(
      [
        '.codex/config.toml',
        '.vs/mcp.json',
        '~/.claude/plugins/cache/acme/weather-plugin/1.0.0/.mcp.json',
        '~/.codex/config.toml',
        '~/.copilot/mcp-config.json',
      ].sort(),
    );

    const pin = await cli(['pin', '--user']);
    expect(pin.code, pin.stdout + pin.stderr).toBe(0);
    const pinned = (where: 'project' | 'home', file: string) =>
      original(where, file).replace(/weather-mcp(?=["'\s,\]]|$)/, 'weather-mcp@1.0.0');
    for (const file of projectFiles) expect(read('project', file), file).toBe(pinned('project', file));
    for (const file of homeFiles) expect(read('home', file), file).toBe(pinned('home', file));
    expect(await refusedBy()).toEqual([]);

    const wrap = await cli(['wrap', '--user']);
    expect(wrap.code, wrap.stdout + wrap.stderr).toBe(0);
    for (const [where, files] of [
      ['project', projectFiles],
      ['home', homeFiles],
    ] as const) {
      for (const file of files) {
        const text = read(where, file);
        expect(text, file).not.toBe(pinned(where, file));
        expect(text, file).toMatch(/"run",?\s+(?:- )?"weather",?\s+(?:- )?"--lockfile"/);
      }
    }
    // Wrapped entries still read as the locked server: verify sees the same launch line.
    const verify = await cli(['verify', '--user', '--fail-on', 'high', '--timeout', '60000'], 120_000);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    const unwrap = await cli(['unwrap', '--user']);
    expect(unwrap.code, unwrap.stdout + unwrap.stderr).toBe(0);
    for (const file of projectFiles) expect(read('project', file), file).toBe(pinned('project', file));
    for (const file of homeFiles) expect(read('home', file), file).toBe(pinned('home', file));
  });
});
