import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toLockServer } from '../../src/core/lockfile/entry.js';
import { serializeLockfile } from '../../src/core/lockfile/serialize.js';
import type { LockPackage } from '../../src/core/lockfile/schema.js';
import { lockSource } from '../../src/core/lockfile/source.js';
import type { ServerSpec } from '../../src/core/server-spec.js';
import { makeProject, readText, runCli } from '../helpers/cli.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const entry = (name: string, command: string, args: string[]): ServerSpec => ({
  name,
  origin: { file: '.mcp.json', key: `mcpServers.${name}`, client: 'claude-code' },
  transport: 'stdio',
  command,
  args,
});
const snapshot = {
  protocolVersion: '2025-11-25',
  serverInfo: {},
  capabilities: {},
  tools: [],
  prompts: [],
  resources: [],
  resourceTemplates: [],
};

/** A project whose lock (written as install writes it) pins a PyPI release and an image digest the configs float on. */
function project(): string {
  const fetch = entry('fetch', 'uvx', ['mcp-server-fetch']);
  const image = entry('image', 'docker', ['run', '-i', '--rm', 'mcp/fetch:1.0']);
  const packages: Record<string, LockPackage> = {
    fetch: {
      type: 'pypi',
      name: 'mcp-server-fetch',
      spec: 'mcp-server-fetch',
      pinned: false,
      version: '2025.2.0',
    },
    image: {
      type: 'oci',
      name: 'mcp/fetch',
      spec: 'mcp/fetch:1.0',
      pinned: false,
      version: '1.0',
      integrity: DIGEST,
    },
  };
  const lock = {
    lockfileVersion: 1 as const,
    generator: 'mcp-lock@test',
    client: { name: 'mcp-lock', version: 'test', capabilities: {} },
    servers: Object.fromEntries(
      [fetch, image].map((s) => [s.name, toLockServer(lockSource([s]), snapshot, packages[s.name])]),
    ),
  };
  const config = `{
  "mcpServers": {
    "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] },
    "image": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch:1.0"] }
  }
}
`;
  const dir = makeProject({ '.mcp.json': config });
  writeFileSync(join(dir, 'mcp-lock.json'), serializeLockfile(lock));
  return dir;
}

describe('mcp-lock pin for PyPI releases and container images', () => {
  it('rewrites uvx to pkg==version and docker to image@digest, and the lock agrees with the configs', async () => {
    const dir = project();
    const original = readText(dir, '.mcp.json');
    const pin = await runCli(['pin'], { cwd: dir });
    expect(pin.code, pin.stderr).toBe(0);
    expect(readText(dir, '.mcp.json')).toBe(
      original
        .replace('"mcp-server-fetch"]', '"mcp-server-fetch==2025.2.0"]')
        .replace('"mcp/fetch:1.0"', `"mcp/fetch@${DIGEST}"`),
    );
    const lock = JSON.parse(readText(dir, 'mcp-lock.json'));
    expect(lock.servers.fetch.package).toMatchObject({ spec: 'mcp-server-fetch==2025.2.0', pinned: true });
    expect(lock.servers.image.package).toMatchObject({ spec: `mcp/fetch@${DIGEST}`, pinned: true });
    const ls = await runCli(['ls', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(ls.stdout).servers.map((s: { state: string }) => s.state)).toEqual([
      'locked',
      'locked',
    ]);
  });
});
