import { describe, expect, it } from 'vitest';
import { applyArgEdits } from '../../../src/config/arg-edits.js';
import { editorFor } from '../../../src/config/editors.js';
import { parseConfig, type ParseOptions } from '../../../src/config/parse.js';

const target = { server: 'w', lockfile: 'mcp-lock.json', launcher: { command: 'mcp-lock', args: [] } };
const read = (text: string, client: ParseOptions['client'], file: string) =>
  parseConfig(text, { file, client, jsonc: true });
const specsOf = (text: string, client: ParseOptions['client'], file: string) => {
  const r = read(text, client, file);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.specs;
};

describe('Continue (YAML lists of named servers)', () => {
  const file = '.continue/mcpServers/a.yaml';
  const text = `name: x\nmcpServers:\n  - name: w   # weather\n    command: npx\n  - name: r\n    type: streamable-http\n    url: https://x/mcp\n    headers:\n      Authorization: Bearer \${{ secrets.T }}\n`;

  it('reads each item by its name, with its line', () => {
    const specs = specsOf(text, 'continue', file);
    expect(specs.map((s) => [s.name, s.transport, s.origin.line, s.origin.entry])).toEqual([
      ['w', 'stdio', 3, ['mcpServers', 0]],
      ['r', 'http', 5, ['mcpServers', 1]],
    ]);
    expect(specs[0]!.origin.key).toBe('mcpServers.w');
  });

  it('an entry without args gains and loses exactly one line', () => {
    const editor = editorFor(file);
    const wrapped = editor.wrap(text, ['mcpServers', 0], target, 'continue');
    expect(wrapped).toContain('    command: mcp-lock\n');
    expect(wrapped).toContain(
      '\n    args: ["run", "w", "--lockfile", "mcp-lock.json", "--no-original-args", "--", npx]\n',
    );
    expect(specsOf(wrapped, 'continue', file)[0]).toMatchObject({
      command: 'npx',
      args: [],
      wrapped: { lockfile: 'mcp-lock.json' },
    });
    expect(editor.unwrap(wrapped, ['mcpServers', 0], 'continue')).toBe(text);
  });

  it('a remote entry becomes a launch line that keeps its name, and comes back as written', () => {
    const editor = editorFor(file);
    const wrapped = editor.wrapRemote(
      text,
      ['mcpServers', 1],
      target,
      { url: 'https://x/mcp', headers: { Authorization: 'Bearer ${{ secrets.T }}' } },
      'continue',
    );
    const spec = specsOf(wrapped, 'continue', file).find((s) => s.name === 'r');
    expect(spec).toMatchObject({
      transport: 'http',
      url: 'https://x/mcp',
      wrapped: { lockfile: 'mcp-lock.json' },
    });
    expect(editor.unwrap(wrapped, ['mcpServers', 1], 'continue')).toBe(text);
  });

  it('a name given twice: the last counts and the earlier line is reported; an item without a name is an error', () => {
    const twice = specsOf(
      'mcpServers:\n  - name: a\n    command: x\n  - name: a\n    command: y\n',
      'continue',
      file,
    );
    expect(twice.map((s) => [s.command, s.origin.shadowedLines])).toEqual([['y', [2]]]);
    expect(read('mcpServers:\n  - command: x\n', 'continue', file)).toEqual({
      ok: false,
      errors: ['mcpServers[0]: expected a "name"'],
    });
  });
});

describe('Goose (YAML extensions)', () => {
  const file = '~/.config/goose/config.yaml';
  const text = `extensions:\n  dev:\n    type: builtin\n    name: developer\n  w:\n    type: stdio\n    cmd: npx\n    args: [-y, 'w']\n    envs: { K: v }\n    env_keys: [TOKEN]\n    enabled: true\n  off:\n    type: stdio\n    cmd: x\n    enabled: false\n  s:\n    type: sse\n    uri: https://x/sse\n    name: s\n    enabled: true\n`;

  it('reads stdio (cmd, envs, env_keys) and remote extensions, and skips built-in and disabled ones', () => {
    const specs = specsOf(text, 'goose', file);
    expect(specs.map((s) => [s.name, s.transport, s.command ?? s.url, s.args])).toEqual([
      ['w', 'stdio', 'npx', ['-y', 'w']],
      ['s', 'sse', 'https://x/sse', undefined],
    ]);
    expect(specs[0]!.env).toEqual({ TOKEN: '${TOKEN}', K: 'v' });
  });

  it('pins in the quoting the value had, wraps and unwraps in place', () => {
    const pinned = applyArgEdits(
      text,
      [{ path: ['extensions', 'w'], index: 1, value: 'w@1.0.0', client: 'goose' }],
      file,
    );
    expect(pinned).toBe(text.replace("'w']", "'w@1.0.0']"));
    const editor = editorFor(file);
    const wrapped = editor.wrap(pinned, ['extensions', 'w'], target, 'goose');
    expect(wrapped).toContain(
      '    cmd: mcp-lock\n    args: ["run", "w", "--lockfile", "mcp-lock.json", "--", npx, -y, \'w@1.0.0\']',
    );
    expect(editor.unwrap(wrapped, ['extensions', 'w'], 'goose')).toBe(pinned);
    const remote = editor.wrapRemote(
      text,
      ['extensions', 's'],
      target,
      { url: 'https://x/sse', headers: {} },
      'goose',
    );
    expect(specsOf(remote, 'goose', file).find((s) => s.name === 's')).toMatchObject({
      transport: 'sse',
      wrapped: {},
    });
    expect(editor.unwrap(remote, ['extensions', 's'], 'goose')).toBe(text);
  });
});

describe('hostile YAML', () => {
  it('an alias bomb, deep nesting and bad syntax are config errors, a __proto__ key is a server name', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    bomb.push('mcpServers: []');
    expect(read(bomb.join('\n'), 'continue', 'c.yaml')).toEqual({
      ok: false,
      errors: ['expands more than 100 aliases'],
    });
    // Nesting that would exhaust the parser is refused before it parses, in brackets or in block structure.
    for (const deep of [
      `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `mcpServers:\n  ${'- '.repeat(100_000)}x`,
      `a:\n${Array.from({ length: 400 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')}`,
    ])
      expect(read(deep, 'continue', 'c.yaml')).toEqual({
        ok: false,
        errors: ['nests deeper than 64 levels'],
      });
    expect(read('a: [\n', 'continue', 'c.yaml')).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^YAML syntax error \(\w+\) at line \d+, column \d+$/)],
    });
    expect(
      specsOf('extensions:\n  __proto__:\n    cmd: x\n', 'goose', 'config.yaml').map((s) => s.name),
    ).toEqual(['__proto__']);
  });
});

describe('Codex (TOML tables)', () => {
  const file = '.codex/config.toml';
  const text = `# top\n[mcp_servers.w]\ncommand = "npx"\nargs = [\n  "-y",\n  'w', # pin me\n]\nenv_vars = ["HOME_TOKEN"]\n\n[mcp_servers.bare]\ncommand = "x"\n\n[mcp_servers.r]\nurl = "https://x/mcp"\nbearer_token_env_var = "R_TOKEN"\nenv_http_headers = { "X-Team" = "TEAM" }\n\n[other]\nkey = 1\n`;

  it('reads launch lines, passed-through variables and remote headers as variable references', () => {
    const specs = specsOf(text, 'codex', file);
    expect(specs.map((s) => [s.name, s.transport, s.origin.line])).toEqual([
      ['w', 'stdio', 2],
      ['bare', 'stdio', 10],
      ['r', 'http', 13],
    ]);
    expect(specs[0]!.env).toEqual({ HOME_TOKEN: '${HOME_TOKEN}' });
    expect(specs[2]!.headers).toEqual({ Authorization: 'Bearer ${R_TOKEN}', 'X-Team': '${TEAM}' });
    expect(specs[2]!.sseFallback).toBeUndefined();
  });

  it('pins, wraps (with and without args) and unwraps byte for byte', () => {
    const pinned = applyArgEdits(
      text,
      [{ path: ['mcp_servers', 'w'], index: 1, value: 'w@1.0.0', client: 'codex' }],
      file,
    );
    expect(pinned).toBe(text.replace("'w', #", "'w@1.0.0', #"));
    const editor = editorFor(file);
    for (const name of ['w', 'bare']) {
      const wrapped = editor.wrap(pinned, ['mcp_servers', name], target, 'codex');
      expect(specsOf(wrapped, 'codex', file).find((s) => s.name === name)?.wrapped).toEqual({
        lockfile: 'mcp-lock.json',
      });
      expect(editor.unwrap(wrapped, ['mcp_servers', name], 'codex')).toBe(pinned);
    }
    const remote = editor.wrapRemote(
      text,
      ['mcp_servers', 'r'],
      target,
      { url: 'https://x/mcp', headers: { Authorization: 'Bearer ${R_TOKEN}' } },
      'codex',
    );
    expect(specsOf(remote, 'codex', file).find((s) => s.name === 'r')).toMatchObject({
      transport: 'http',
      url: 'https://x/mcp',
      wrapped: {},
    });
    expect(editor.unwrap(remote, ['mcp_servers', 'r'], 'codex')).toBe(text);
  });

  it('an inline-table entry is refused with what to do; bad TOML names the line', () => {
    expect(() =>
      editorFor(file).wrap('mcp_servers.w = { command = "x" }\n', ['mcp_servers', 'w'], target, 'codex'),
    ).toThrow(/inline-table entry must be edited by hand/);
    expect(read(`a = ${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'codex', file)).toEqual({
      ok: false,
      errors: ['nests deeper than 64 levels'],
    });
    expect(read('[mcp_servers.w]\ncommand = \n', 'codex', file)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^TOML syntax error .* at line 2, column \d+$/)],
    });
  });
});
