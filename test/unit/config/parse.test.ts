import { describe, expect, it } from 'vitest';
import { parseConfig, type ParseOptions } from '../../../src/config/parse.js';
import { clientOf } from '../../../src/core/clients.js';
import { configDuplicates, mergeServers } from '../../../src/core/servers.js';

const opts = (client: ParseOptions['client'], extra: Partial<ParseOptions> = {}): ParseOptions => ({
  file: 'f.json',
  client,
  jsonc: false,
  ...extra,
});
const specs = (text: unknown, o: ParseOptions) => {
  const r = parseConfig(typeof text === 'string' ? text : JSON.stringify(text), o);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.specs;
};

describe('reading each client shape', () => {
  it('Claude Code: type http is streamable HTTP only, sse is SSE, command is stdio', () => {
    const out = specs(
      {
        mcpServers: {
          a: { type: 'http', url: 'https://x/mcp', headers: { A: '1' } },
          b: { type: 'sse', url: 'https://x/sse' },
          c: { command: 'npx', args: ['-y', 'pkg'], env: { K: 'v' } },
        },
      },
      opts('claude-code'),
    );
    expect(out.map((s) => [s.name, s.transport, s.sseFallback ?? false])).toEqual([
      ['a', 'http', false],
      ['b', 'sse', false],
      ['c', 'stdio', false],
    ]);
    expect(out[2]).toMatchObject({
      command: 'npx',
      args: ['-y', 'pkg'],
      env: { K: 'v' },
      origin: { file: 'f.json', key: 'mcpServers.c', client: 'claude-code' },
    });
  });

  it('VS Code: JSONC, "servers", type http falls back to SSE', () => {
    const out = specs(
      '{ // c\n "servers": { "a": { "type": "http", "url": "https://x", }, }, "inputs": [] }',
      opts('vscode', { jsonc: true }),
    );
    expect(out[0]).toMatchObject({
      name: 'a',
      transport: 'http',
      sseFallback: true,
      origin: { key: 'servers.a' },
    });
  });

  it('Cursor and Windsurf: a url without type is HTTP with SSE fallback; serverUrl too', () => {
    expect(specs({ mcpServers: { a: { url: 'https://x' } } }, opts('cursor'))[0]).toMatchObject({
      transport: 'http',
      sseFallback: true,
    });
    expect(specs({ mcpServers: { a: { serverUrl: 'https://x' } } }, opts('windsurf'))[0]).toMatchObject({
      transport: 'http',
      url: 'https://x',
    });
  });

  it('Gemini CLI: url is SSE, httpUrl is streamable HTTP', () => {
    const out = specs(
      { mcpServers: { a: { url: 'https://x/sse' }, b: { httpUrl: 'https://x/mcp' } } },
      opts('gemini'),
    );
    expect(out.map((s) => s.transport)).toEqual(['sse', 'http']);
  });

  it("~/.claude.json: user scope plus this project's local scope only", () => {
    const out = specs(
      {
        mcpServers: { u: { command: 'a' } },
        projects: {
          '/p': { mcpServers: { l: { command: 'b' } } },
          '/q': { mcpServers: { q: { command: 'c' } } },
        },
      },
      opts('claude-code', { projectDir: '/p' }),
    );
    expect(out.map((s) => [s.name, s.origin.key])).toEqual([
      ['u', 'mcpServers.u'],
      ['l', 'projects["/p"].mcpServers.l'],
    ]);
  });

  it('skips disabled servers', () => {
    expect(specs({ mcpServers: { a: { command: 'x', disabled: true } } }, opts('generic'))).toEqual([]);
  });

  it('a generic file may use either top-level key', () => {
    expect(specs({ servers: { a: { command: 'x' } } }, opts('generic'))[0]!.origin.key).toBe('servers.a');
  });

  it('reports every problem with its key path', () => {
    const r = parseConfig(
      JSON.stringify({ mcpServers: { a: { command: 'x', args: [1] }, b: 5, c: {} } }),
      opts('claude-code'),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        'mcpServers.a.args[0]: expected a string',
        'mcpServers.b: expected an object with "command" or "url"',
        'mcpServers.c: expected a "command" (stdio) or a "url" (HTTP/SSE)',
      ]);
    }
  });

  it('a syntax error names line and column', () => {
    const r = parseConfig('{\n  "mcpServers": {\n    "a": }\n}', opts('claude-code'));
    expect(r).toEqual({
      ok: false,
      errors: [expect.stringMatching(/JSON syntax error \(ValueExpected\) at line 3, column 10/)],
    });
  });
});

describe('which client a file belongs to', () => {
  it('is told by its path', () => {
    expect(clientOf('/p/.vscode/mcp.json')).toEqual({ client: 'vscode', jsonc: true });
    expect(clientOf('/h/.config/Code/User/mcp.json').client).toBe('vscode');
    expect(clientOf('/p/.cursor/mcp.json').client).toBe('cursor');
    expect(clientOf('/p/.gemini/settings.json').client).toBe('gemini');
    expect(clientOf('/h/.codeium/windsurf/mcp_config.json').client).toBe('windsurf');
    expect(clientOf('/x/claude_desktop_config.json').client).toBe('claude-desktop');
    expect(clientOf('/p/.mcp.json').client).toBe('claude-code');
    expect(clientOf('/p/servers.json').client).toBe('generic');
  });
});

describe('a server named twice in one file', () => {
  const text = [
    '{',
    '  "mcpServers": {',
    '    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] },',
    '    "notes": { "command": "node", "args": ["notes.js"] },',
    '    "github": { "command": "npx", "args": ["-y", "github-mcp-evil"] }',
    '  }',
    '}',
  ].join('\n');

  it('runs the last entry, as clients do, and remembers where the earlier one was', () => {
    const github = specs(text, opts('claude-code')).find((s) => s.name === 'github')!;
    expect(github.args).toEqual(['-y', 'github-mcp-evil']);
    expect(github.origin.line).toBe(5);
    expect(github.origin.shadowedLines).toEqual([3]);
  });

  it('is reported as server-config-duplicate, naming the file and both lines', () => {
    const parsed = specs(text, opts('claude-code'));
    const findings = configDuplicates(mergeServers(parsed).servers);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'server-config-duplicate',
        severity: 'high',
        server: 'github',
        message: expect.stringMatching(/^f\.json defines "github" more than once \(line 3 and 5\)/),
      }),
    ]);
  });

  it('a file that names each server once gives no finding', () => {
    expect(
      configDuplicates(mergeServers(specs({ mcpServers: { a: { command: 'x' } } }, opts('cursor'))).servers),
    ).toEqual([]);
  });
});
