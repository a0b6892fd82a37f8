import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { policyText, refusal, type PolicyClient } from '../../../src/core/client-policy.js';
import { toLockServer } from '../../../src/core/lockfile/entry.js';
import type { Lockfile, LockPackage } from '../../../src/core/lockfile/schema.js';
import { lockSource } from '../../../src/core/lockfile/source.js';
import type { ServerSpec } from '../../../src/core/server-spec.js';

const spec = (name: string, rest: Partial<ServerSpec>): ServerSpec => ({
  name,
  origin: { file: '.mcp.json', key: `mcpServers.${name}`, client: 'claude-code' },
  transport: 'stdio',
  ...rest,
});
const snapshot = (tools: string[]) => ({
  protocolVersion: '2025-11-25',
  serverInfo: {},
  capabilities: {},
  tools: tools.map((name) => ({ name, description: 'd', inputSchema: { type: 'object' } })),
  prompts: [],
  resources: [],
  resourceTemplates: [],
});
const npm: LockPackage = {
  type: 'npm',
  name: 'weather-mcp',
  spec: 'weather-mcp',
  pinned: false,
  version: '1.2.3',
};
const servers: [ServerSpec, string[], LockPackage?][] = [
  [spec('weather', { command: 'npx', args: ['-y', 'weather-mcp'] }), ['get_forecast'], npm],
  [
    spec('local', { command: 'node', args: ['${workspaceFolder}/server.js', '--token', '${TOKEN}'] }),
    ['run'],
  ],
  [spec('remote', { transport: 'http', url: 'https://mcp.example.com/mcp?key=secret' }), ['search', 'fetch']],
  [spec('odd name.x', { command: 'uvx', args: ['tool'] }), []],
];
const lock: Lockfile = {
  lockfileVersion: 1,
  generator: 'mcp-lock@test',
  client: { name: 'mcp-lock', version: 'test', capabilities: {} },
  servers: Object.fromEntries(
    servers.map(([s, tools, pkg]) => [s.name, toLockServer(lockSource([s]), snapshot(tools) as never, pkg)]),
  ),
};

// Each client's documented format, as a schema: what the client would accept.
const AllowEntry = z.union([
  z.strictObject({ serverName: z.string().min(1) }),
  z.strictObject({ serverCommand: z.array(z.string()).min(1) }),
  z.strictObject({ serverUrl: z.string().min(1) }),
]);
const ManagedSettings = z.strictObject({ allowedMcpServers: z.array(AllowEntry) });
const Matcher = z.union([
  z.strictObject({ match: z.literal('exact'), value: z.string() }),
  z.strictObject({ match: z.literal('regex'), expression: z.string() }),
]);
const CodexRequirements = z.strictObject({
  mcp_servers: z.record(
    z.string(),
    z.strictObject({
      identity: z.union([
        z.strictObject({ url: z.union([z.string(), Matcher]) }),
        z.strictObject({
          command: z.strictObject({ executable: z.string().min(1), args: z.array(Matcher) }),
        }),
      ]),
    }),
  ),
});
const CursorPermissions = z.strictObject({ mcpAllowlist: z.array(z.string().regex(/^[^:]+:.+$/)) });

describe('policy --for each client', () => {
  it.each(['claude-code', 'copilot', 'vscode'] as const)(
    '%s: managed settings of exact launch lines, pinned',
    (client) => {
      const { text, notes } = policyText(client, lock);
      const settings = ManagedSettings.parse(JSON.parse(text));
      expect(settings.allowedMcpServers).toEqual([
        { serverName: 'local' },
        { serverCommand: ['uvx', 'tool'] },
        { serverUrl: 'https://mcp.example.com/mcp?key=*' },
        { serverCommand: ['npx', '-y', 'weather-mcp@1.2.3'] },
      ]);
      expect(notes).toEqual(['local: allowed by name only: its launch line has a value the client fills in']);
      expect(text).not.toContain('secret');
    },
  );

  it('codex: requirements.toml with each server under its name, launch line matchers and URLs', () => {
    const { text } = policyText('codex', lock);
    const requirements = CodexRequirements.parse(parseToml(text));
    expect(requirements.mcp_servers.weather!.identity).toEqual({
      command: {
        executable: 'npx',
        args: [
          { match: 'exact', value: '-y' },
          { match: 'exact', value: 'weather-mcp@1.2.3' },
        ],
      },
    });
    expect(requirements.mcp_servers.local!.identity).toEqual({
      command: {
        executable: 'node',
        args: [
          { match: 'regex', expression: '^.*/server\\.js$' },
          { match: 'exact', value: '--token' },
          { match: 'regex', expression: '^.*$' },
        ],
      },
    });
    expect(requirements.mcp_servers.remote!.identity).toEqual({
      url: { match: 'regex', expression: '^https://mcp\\.example\\.com/mcp\\?key=.*$' },
    });
    expect(Object.keys(requirements.mcp_servers)).toContain('odd name.x');
    expect(text).not.toContain('secret');
  });

  it('cursor: permissions.json allowing the reviewed tools, server:tool', () => {
    const { text } = policyText('cursor', lock);
    expect(CursorPermissions.parse(JSON.parse(text)).mcpAllowlist).toEqual([
      'local:run',
      'remote:fetch',
      'remote:search',
      'weather:get_forecast',
    ]);
  });
});

describe('what a policy from the lock would refuse', () => {
  const configured = (rest: Partial<ServerSpec> & { name: string }) => ({ transport: 'stdio', ...rest });
  const refused = (client: PolicyClient, server: ReturnType<typeof configured>) =>
    refusal(client, lock, server);

  it('an unpinned or edited launch line, a server not in the lock; not the locked ones', () => {
    for (const client of ['claude-code', 'copilot', 'codex'] as const) {
      expect(
        refused(client, configured({ name: 'weather', command: 'npx', args: ['-y', 'weather-mcp@1.2.3'] })),
      ).toBeUndefined();
      expect(
        refused(client, configured({ name: 'weather', command: 'npx', args: ['-y', 'weather-mcp'] })),
      ).toMatch(/weather-mcp@1\.2\.3/);
      expect(refused(client, configured({ name: 'new', command: 'npx', args: ['evil'] }))).toMatch(
        /not in the lockfile/,
      );
      expect(
        refused(
          client,
          configured({ name: 'remote', transport: 'http', url: 'https://mcp.example.com/mcp?key=other' }),
        ),
      ).toBeUndefined();
      expect(
        refused(client, configured({ name: 'remote', transport: 'http', url: 'https://evil.example/mcp' })),
      ).toBeDefined();
    }
    // Claude Code and Copilot match a launch line under any name; Codex also wants the name.
    expect(
      refused('claude-code', configured({ name: 'other', command: 'uvx', args: ['tool'] })),
    ).toBeUndefined();
    expect(refused('codex', configured({ name: 'other', command: 'uvx', args: ['tool'] }))).toMatch(
      /not in the lockfile/,
    );
    expect(refused('cursor', configured({ name: 'new', command: 'x' }))).toBeUndefined();
  });
});
