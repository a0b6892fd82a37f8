import { parse as parseJsonc } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { unwrapEntryText, wrapEntryText, WrapError, wrapRemoteEntryText } from '../../../src/config/wrap.js';
import { launchMatches, parseWrapped } from '../../../src/core/wrapped-entry.js';

const target = {
  server: 'files',
  lockfile: '/repo/mcp-lock.json',
  launcher: { command: 'mcp-lock', args: [] },
};

const JSONC = `{
  // project servers
  "servers": {
    "files": {
      "type": "stdio",
      "command": "npx", // pinned by mcp-lock pin
      "args": [
        "-y",
        "@modelcontextprotocol/server-filesystem@2025.8.21", /* the version */
        "\${workspaceFolder}",
      ],
    },
    "bare": { "command": "/usr/local/bin/thing" },
    "empty": { "command": "thing", "args": [] },
    "escaped": { "command": "n\\u0070x", "args": ["a"] }
  }
}
`;

function roundTrip(path: string[]) {
  const wrapped = wrapEntryText(JSONC, path, { ...target, server: path[1]! });
  const back = unwrapEntryText(wrapped, path);
  return { wrapped, back };
}

describe('wrapping a config entry', () => {
  it('--sandbox travels in the wrapped entry, and unwrap takes it out with the rest', () => {
    for (const path of [
      ['servers', 'files'],
      ['servers', 'bare'],
      ['servers', 'empty'],
    ]) {
      const wrapped = wrapEntryText(JSONC, path, { ...target, server: path[1]!, sandbox: true });
      const args = (parseJsonc(wrapped) as { servers: Record<string, { args: string[] }> }).servers[path[1]!]!
        .args;
      expect(args.slice(0, 5)).toEqual(['run', path[1], '--lockfile', '/repo/mcp-lock.json', '--sandbox']);
      expect(parseWrapped(args)).toMatchObject({ server: path[1], sandbox: true });
      expect(unwrapEntryText(wrapped, path)).toBe(JSONC);
    }
    const plain = wrapEntryText(JSONC, ['servers', 'files'], target);
    const args = (parseJsonc(plain) as { servers: { files: { args: string[] } } }).servers.files.args;
    expect(parseWrapped(args)).toMatchObject({ sandbox: false, command: 'npx' });
  });

  it('puts mcp-lock run in front of the launch line and keeps the comments', () => {
    const { wrapped } = roundTrip(['servers', 'files']);
    expect(wrapped).toContain('// project servers');
    expect(wrapped).toContain('/* the version */');
    expect(wrapped).toContain(
      '"command": "mcp-lock", // pinned by mcp-lock pin\n      "args": [\n        "run", "files", "--lockfile", "/repo/mcp-lock.json", "--", "npx", "-y",',
    );
  });

  it('is read back as the original launch line, marked wrapped', () => {
    const { wrapped } = roundTrip(['servers', 'files']);
    const parsed = parseConfig(wrapped, { file: '.vscode/mcp.json', client: 'vscode', jsonc: true });
    expect(parsed.ok).toBe(true);
    const spec = parsed.ok ? parsed.specs.find((s) => s.name === 'files')! : undefined;
    expect(spec).toMatchObject({
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '${workspaceFolder}'],
      wrapped: { lockfile: '/repo/mcp-lock.json' },
    });
  });

  for (const name of ['files', 'bare', 'empty', 'escaped']) {
    it(`restores "${name}" byte for byte`, () => {
      const { wrapped, back } = roundTrip(['servers', name]);
      expect(wrapped).not.toBe(JSONC);
      expect(back).toBe(JSONC);
    });
  }

  it('tells an entry without args from one with an empty array', () => {
    const bare = parseConfig(roundTrip(['servers', 'bare']).wrapped, {
      file: 'x',
      client: 'vscode',
      jsonc: true,
    });
    const args = bare.ok ? bare.specs.find((s) => s.name === 'bare')!.args : undefined;
    expect(args).toEqual([]);
    expect(roundTrip(['servers', 'bare']).wrapped).toContain(
      '"--no-original-args", "--", "/usr/local/bin/thing"',
    );
  });

  it('restores an entry without args even after the file was reformatted', () => {
    const wrapped = wrapEntryText(JSONC, ['servers', 'bare'], { ...target, server: 'bare' }).replace(
      '"command": "mcp-lock", "args"',
      '"command": "mcp-lock", /* wrapped */ "args"',
    );
    expect(wrapped).toContain('/* wrapped */');
    const back = unwrapEntryText(wrapped, ['servers', 'bare'])!;
    const parsed = parseConfig(back, { file: 'x', client: 'vscode', jsonc: true });
    expect(parsed.ok && parsed.specs.find((s) => s.name === 'bare')).toMatchObject({
      command: '/usr/local/bin/thing',
      args: [],
    });
    const bare = (parseJsonc(back) as { servers: Record<string, object> }).servers.bare;
    expect(Object.keys(bare!)).toEqual(['command']);
  });

  it('leaves an entry that is not wrapped alone', () => {
    expect(unwrapEntryText(JSONC, ['servers', 'files'])).toBeNull();
  });

  it('names an entry it cannot find', () => {
    expect(() => wrapEntryText(JSONC, ['servers', 'nope'], target)).toThrow(WrapError);
  });
});

describe('wrapping a remote entry', () => {
  const REMOTE = `{
  "mcpServers": {
    // hosted
    "docs": { "type": "http", "url": "https://docs.example/mcp?k=\${KEY}", "headers": { "Authorization": "Bearer \${TOKEN}" } }
  }
}
`;
  it('launches mcp-lock run with the URL and headers in env, reads back as the remote server, restores byte for byte', () => {
    const launcher = { command: 'npx', args: ['--no-install', 'mcp-lock'] };
    const wrapped = wrapRemoteEntryText(
      REMOTE,
      ['mcpServers', 'docs'],
      { server: 'docs', lockfile: 'mcp-lock.json', launcher },
      {
        url: 'https://docs.example/mcp?k=${KEY}',
        headers: { Authorization: 'Bearer ${TOKEN}' },
      },
    );
    const entry = (parseJsonc(wrapped) as { mcpServers: { docs: Record<string, unknown> } }).mcpServers.docs;
    expect(entry).toMatchObject({
      command: 'npx',
      args: [
        '--no-install',
        'mcp-lock',
        'run',
        'docs',
        '--lockfile',
        'mcp-lock.json',
        '--restore',
        expect.any(String),
      ],
      env: {
        MCP_LOCK_URL: 'https://docs.example/mcp?k=${KEY}',
        MCP_LOCK_HEADER_AUTHORIZATION: 'Bearer ${TOKEN}',
      },
    });
    expect(entry.url).toBeUndefined();
    const parsed = parseConfig(wrapped, { file: '.mcp.json', client: 'claude-code', jsonc: true });
    expect(parsed.ok && parsed.specs[0]).toMatchObject({
      transport: 'http',
      url: 'https://docs.example/mcp?k=${KEY}',
      headers: { Authorization: 'Bearer ${TOKEN}' },
      wrapped: { lockfile: 'mcp-lock.json' },
    });
    expect(unwrapEntryText(wrapped, ['mcpServers', 'docs'])).toBe(REMOTE);
  });
});

describe('parseWrapped', () => {
  it('reads only the exact shape wrap writes', () => {
    expect(parseWrapped(['run', 's', '--lockfile', 'l', '--', 'node', 'x.js'])).toEqual({
      server: 's',
      lockfile: 'l',
      command: 'node',
      args: ['x.js'],
      hadArgs: true,
      prefix: 0,
      sandbox: false,
    });
    expect(
      parseWrapped(['--no-install', 'mcp-lock', 'run', 's', '--lockfile', 'l', '--', 'node']),
    ).toMatchObject({
      server: 's',
      command: 'node',
      prefix: 2,
      sandbox: false,
    });
    expect(parseWrapped(['run', 's', '--lockfile', 'l', '--'])).toBeNull();
    expect(parseWrapped(['run', 's', '-l', 'l', '--', 'node'])).toBeNull();
    expect(parseWrapped(['-y', 'pkg'])).toBeNull();
  });
});

describe('launchMatches', () => {
  const locked = {
    command: 'npx',
    args: ['-y', 'pkg@1.2.3', '${workspaceFolder}/data', '--token=${input:tok}'],
  };

  it('accepts the locked line with its variables expanded by the client', () => {
    expect(launchMatches(locked, 'npx', ['-y', 'pkg@1.2.3', '/home/me/p/data', '--token=abc'])).toBe(true);
  });

  it('refuses another version, another word count or another literal around a variable', () => {
    expect(launchMatches(locked, 'npx', ['-y', 'pkg@1.2.4', '/p/data', '--token=abc'])).toBe(false);
    expect(launchMatches(locked, 'npx', ['-y', 'pkg@1.2.3', '/p/data'])).toBe(false);
    expect(launchMatches(locked, 'npx', ['-y', 'pkg@1.2.3', '/p/other', '--token=abc'])).toBe(false);
    expect(launchMatches(locked, 'node', ['-y', 'pkg@1.2.3', '/p/data', '--token=abc'])).toBe(false);
  });

  it('treats regexp characters in the lock literally', () => {
    expect(launchMatches({ command: 'a.b', args: ['(x)+'] }, 'a.b', ['(x)+'])).toBe(true);
    expect(launchMatches({ command: 'a.b', args: ['(x)+'] }, 'aXb', ['xx'])).toBe(false);
  });
});
