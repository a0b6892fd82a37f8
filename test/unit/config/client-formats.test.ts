import { describe, expect, it } from 'vitest';
import {
  pluginConfigs,
  userConfigs,
  projectConfigs,
  type DiscoveryContext,
} from '../../../src/config/discover.js';
import { resolveLaunch } from '../../../src/connect/launch.js';
import { applyArgEdits } from '../../../src/config/arg-edits.js';
import { parseConfig, type ParseOptions } from '../../../src/config/parse.js';
import { unwrapEntryText, wrapEntryText, wrapRemoteEntryText } from '../../../src/config/wrap.js';
import { clientOf } from '../../../src/core/clients.js';

const opts = (client: ParseOptions['client']): ParseOptions => ({ file: 'f.json', client, jsonc: true });
const specs = (doc: unknown, client: ParseOptions['client']) => {
  const r = parseConfig(JSON.stringify(doc), opts(client));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.specs;
};
const line = (s: {
  name: string;
  transport: string;
  command?: string;
  args?: string[];
  url?: string;
  sseFallback?: boolean;
  env?: Record<string, string>;
}) =>
  [s.name, s.transport, s.command ?? s.url, ...(s.args ?? []), s.sseFallback ? 'fallback' : '']
    .join(' ')
    .trim();

describe('reading the newer clients', () => {
  it('Zed: context_servers, the older nested command, remote url, extension entries and enabled: false', () => {
    const out = specs(
      {
        context_servers: {
          a: { source: 'custom', command: 'npx', args: ['-y', 'a'], env: { K: 'v' } },
          b: { command: { path: 'uvx', args: ['b'], env: { T: '1' } }, settings: {} },
          c: { url: 'https://x/mcp', headers: { Authorization: 'Bearer t' } },
          d: { source: 'extension', enabled: true, settings: {} },
          e: { command: 'off', enabled: false },
        },
      },
      'zed',
    );
    expect(out.map(line)).toEqual(['a stdio npx -y a', 'b stdio uvx b', 'c http https://x/mcp fallback']);
    expect(out[1]!.env).toEqual({ T: '1' });
    expect(out[0]!.origin.key).toBe('context_servers.a');
  });

  it('Cline and Roo: a url without a type is SSE; streamableHttp and streamable-http are streamable HTTP', () => {
    const doc = {
      mcpServers: {
        a: { url: 'https://x/sse' },
        b: { type: 'streamableHttp', url: 'https://x/mcp' },
        c: { type: 'streamable-http', url: 'https://x/mcp' },
        d: { command: 'x', disabled: true },
      },
    };
    for (const client of ['cline', 'roo'] as const)
      expect(specs(doc, client).map((s) => [s.name, s.transport])).toEqual([
        ['a', 'sse'],
        ['b', 'http'],
        ['c', 'http'],
      ]);
  });

  it('Copilot CLI: type local is a launch line', () => {
    expect(
      specs(
        { mcpServers: { a: { type: 'local', command: 'npx', args: ['a'], tools: ['*'] } } },
        'copilot-cli',
      ).map(line),
    ).toEqual(['a stdio npx a']);
  });

  it('OpenCode v1 and v2: the launch line is one array, environment is env, remote falls back to SSE', () => {
    const v1 = specs(
      {
        mcp: {
          a: { type: 'local', command: ['npx', '-y', 'a'], environment: { K: 'v' } },
          b: { type: 'remote', url: 'https://x/mcp', headers: { A: '1' } },
          c: { type: 'local', command: ['off'], enabled: false },
        },
      },
      'opencode',
    );
    expect(v1.map(line)).toEqual(['a stdio npx -y a', 'b http https://x/mcp fallback']);
    expect(v1[0]!.env).toEqual({ K: 'v' });
    const v2 = specs(
      {
        mcp: {
          servers: {
            a: { type: 'local', command: ['npx', 'a'] },
            b: { type: 'local', command: ['x'], disabled: true },
          },
        },
      },
      'opencode',
    );
    expect(v2.map(line)).toEqual(['a stdio npx a']);
    expect(v2[0]!.origin).toMatchObject({ key: 'mcp.servers.a', entry: ['mcp', 'servers', 'a'] });
  });

  it('Visual Studio: servers, as VS Code writes them', () => {
    expect(specs({ servers: { a: { type: 'stdio', command: 'x' } } }, 'visual-studio').map(line)).toEqual([
      'a stdio x',
    ]);
  });

  it('an unknown type is still an error that names the entry', () => {
    const r = parseConfig(JSON.stringify({ mcp: { a: { type: 'ws', url: 'x' } } }), opts('opencode'));
    expect(r).toEqual({ ok: false, errors: ['mcp.a: unknown type "ws" (expected stdio, http or sse)'] });
  });
});

describe('editing the newer shapes in place', () => {
  const target = { server: 'a', lockfile: 'mcp-lock.json', launcher: { command: 'mcp-lock', args: [] } };

  it('OpenCode: pin, wrap and unwrap edit the command array', () => {
    const text =
      '{\n  // servers\n  "mcp": { "a": { "type": "local", "command": ["npx", "-y", "a"] } },\n}\n';
    const pinned = applyArgEdits(text, [
      { path: ['mcp', 'a'], index: 1, value: 'a@1.0.0', client: 'opencode' },
    ]);
    expect(pinned).toBe(text.replace('"a"]', '"a@1.0.0"]'));
    const wrapped = wrapEntryText(pinned, ['mcp', 'a'], target, 'opencode');
    expect(wrapped).toContain(
      '"command": ["mcp-lock", "run", "a", "--lockfile", "mcp-lock.json", "--", "npx", "-y", "a@1.0.0"]',
    );
    const read = parseConfig(wrapped, { ...opts('opencode'), jsonc: true });
    expect(read.ok && read.specs[0]).toMatchObject({
      command: 'npx',
      args: ['-y', 'a@1.0.0'],
      wrapped: { lockfile: 'mcp-lock.json' },
    });
    expect(unwrapEntryText(wrapped, ['mcp', 'a'], 'opencode')).toBe(pinned);
  });

  it('OpenCode and Copilot CLI: a wrapped remote entry is a local one, and unwraps to the original text', () => {
    for (const [client, top] of [
      ['opencode', 'mcp'],
      ['copilot-cli', 'mcpServers'],
    ] as const) {
      const entry =
        client === 'opencode'
          ? '{ "type": "remote", "url": "https://x/mcp" }'
          : '{ "type": "http", "url": "https://x/mcp" }';
      const text = `{ "${top}": { "a": ${entry} } }`;
      const wrapped = wrapRemoteEntryText(
        text,
        [top, 'a'],
        target,
        { url: 'https://x/mcp', headers: {} },
        client,
      );
      const value = JSON.parse(wrapped)[top].a;
      expect(value.type).toBe('local');
      const read = parseConfig(wrapped, opts(client));
      expect(read.ok && read.specs[0]).toMatchObject({
        transport: 'http',
        url: 'https://x/mcp',
        wrapped: { lockfile: 'mcp-lock.json' },
      });
      expect(unwrapEntryText(wrapped, [top, 'a'], client)).toBe(text);
    }
  });

  it("Zed's nested command: pin and wrap edit command.path and command.args", () => {
    const text = '{ "context_servers": { "a": { "command": { "path": "npx", "args": ["a"] } } } }';
    const pinned = applyArgEdits(text, [
      { path: ['context_servers', 'a'], index: 0, value: 'a@2', client: 'zed' },
    ]);
    expect(pinned).toBe(text.replace('["a"]', '["a@2"]'));
    const wrapped = wrapEntryText(pinned, ['context_servers', 'a'], target, 'zed');
    expect(JSON.parse(wrapped).context_servers.a.command).toEqual({
      path: 'mcp-lock',
      args: ['run', 'a', '--lockfile', 'mcp-lock.json', '--', 'npx', 'a@2'],
    });
    expect(unwrapEntryText(wrapped, ['context_servers', 'a'], 'zed')).toBe(pinned);
  });
});

describe('where the newer clients keep their configs', () => {
  const ctx = (platform: NodeJS.Platform, env: Record<string, string> = {}): DiscoveryContext => ({
    cwd: '/p',
    home: '/h',
    platform,
    env,
  });
  const users = (c: DiscoveryContext) => userConfigs(c).map((l) => `${l.client} ${l.path}`);

  it('on Linux, macOS and Windows, with the client each file belongs to', () => {
    expect(users(ctx('linux'))).toEqual(
      expect.arrayContaining([
        'claude-code /etc/claude-code/managed-mcp.json',
        'zed /h/.config/zed/settings.json',
        'cline /h/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
        'cline /h/.cline/data/settings/cline_mcp_settings.json',
        'roo /h/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
        'kiro /h/.kiro/settings/mcp.json',
        'copilot-cli /h/.copilot/mcp-config.json',
        'amazon-q /h/.aws/amazonq/mcp.json',
        'opencode /h/.config/opencode/opencode.json',
        'opencode /h/.config/opencode/opencode.jsonc',
        'continue /h/.continue/config.yaml',
        'goose /h/.config/goose/config.yaml',
        'codex /h/.codex/config.toml',
      ]),
    );
    expect(users(ctx('linux', { CODEX_HOME: '/c' }))).toContain('codex /c/config.toml');
    expect(users(ctx('linux', { XDG_CONFIG_HOME: '/x' }))).toContain('zed /x/zed/settings.json');
    expect(users(ctx('darwin'))).toEqual(
      expect.arrayContaining([
        'claude-code /Library/Application Support/ClaudeCode/managed-mcp.json',
        'zed /h/.config/zed/settings.json',
        'roo /h/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
      ]),
    );
    const win = users(ctx('win32', { APPDATA: '/h/AppData/Roaming' }));
    expect(win).toEqual(
      expect.arrayContaining([
        'zed /h/AppData/Roaming/Zed/settings.json',
        'visual-studio /h/.mcp.json',
        'goose /h/AppData/Roaming/Block/goose/config/config.yaml',
      ]),
    );
    expect(users(ctx('linux'))).not.toContain('visual-studio /h/.mcp.json');
  });

  it('in the project', () => {
    expect(projectConfigs(ctx('linux')).map((l) => `${l.client} ${l.display}`)).toEqual(
      expect.arrayContaining([
        'zed .zed/settings.json',
        'roo .roo/mcp.json',
        'kiro .kiro/settings/mcp.json',
        'visual-studio .vs/mcp.json',
        'amazon-q .amazonq/mcp.json',
        'opencode opencode.json',
        'opencode opencode.jsonc',
        'opencode .opencode/opencode.jsonc',
        'claude-code .mcp.json',
        'codex .codex/config.toml',
      ]),
    );
    expect(clientOf('~/.mcp.json').client).toBe('visual-studio');
    expect(clientOf('/etc/claude-code/managed-mcp.json').client).toBe('claude-code');
  });
});

describe('Claude Code plugins', () => {
  const ctx: DiscoveryContext = { cwd: '/p', home: '/h', platform: 'linux', env: {} };

  it("are found from installed_plugins.json, each plugin's .mcp.json and plugin.json", () => {
    const installed = {
      version: 2,
      plugins: {
        'a@m': [{ scope: 'user', installPath: '/h/.claude/plugins/cache/m/a/1.0.0' }],
        'b@m': { installPath: '/h/.claude/plugins/cache/m/b/2.0.0' },
        'c@m': [{ scope: 'user' }],
      },
    };
    expect(pluginConfigs(installed, ctx).map((l) => `${l.client} ${l.display} ${l.pluginRoot}`)).toEqual([
      'claude-code ~/.claude/plugins/cache/m/a/1.0.0/.mcp.json /h/.claude/plugins/cache/m/a/1.0.0',
      'claude-code ~/.claude/plugins/cache/m/a/1.0.0/.claude-plugin/plugin.json /h/.claude/plugins/cache/m/a/1.0.0',
      'claude-code ~/.claude/plugins/cache/m/b/2.0.0/.mcp.json /h/.claude/plugins/cache/m/b/2.0.0',
      'claude-code ~/.claude/plugins/cache/m/b/2.0.0/.claude-plugin/plugin.json /h/.claude/plugins/cache/m/b/2.0.0',
    ]);
    for (const nothing of [null, 'x', {}, { plugins: 3 }]) expect(pluginConfigs(nothing, ctx)).toEqual([]);
  });

  it('list servers bare in .mcp.json, or under mcpServers in plugin.json, and launch with their folder', async () => {
    const root = '/h/plugins/a';
    const bare = parseConfig(
      JSON.stringify({ db: { command: '${CLAUDE_PLUGIN_ROOT}/server', args: ['-v'] } }),
      {
        file: '~/plugins/a/.mcp.json',
        client: 'claude-code',
        jsonc: false,
        pluginRoot: root,
      },
    );
    expect(bare.ok && bare.specs.map((s) => [s.name, s.pluginRoot, s.origin.entry])).toEqual([
      ['db', root, ['db']],
    ]);
    const manifest = parseConfig(JSON.stringify({ name: 'a', mcpServers: { api: { command: 'x' } } }), {
      file: '~/plugins/a/.claude-plugin/plugin.json',
      client: 'claude-code',
      jsonc: false,
      pluginRoot: root,
    });
    expect(manifest.ok && manifest.specs.map((s) => s.name)).toEqual(['api']);
    const launch = await resolveLaunch(bare.ok ? bare.specs[0]! : (undefined as never), {
      env: {},
      userHome: '/h',
      workspaceFolder: '/p',
      pathSeparator: '/',
    });
    expect([launch.command, ...launch.args]).toEqual(['/h/plugins/a/server', '-v']);
  });
});
