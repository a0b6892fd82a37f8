import { describe, expect, it } from 'vitest';
import { mergeServers } from '../../../src/core/servers.js';
import type { ServerSpec } from '../../../src/core/server-spec.js';

const spec = (name: string, file: string, args: string[]): ServerSpec => ({
  name,
  origin: { file, key: `mcpServers.${name}`, client: 'claude-code' },
  transport: 'stdio',
  command: 'node',
  args,
});

describe('merging the servers of several configs', () => {
  it('one name defined alike is one server with every origin', () => {
    const { servers, notes } = mergeServers([spec('a', 'x', ['1']), spec('a', 'y', ['1'])]);
    expect(servers.map((s) => [s.name, s.specs.map((p) => p.origin.file)])).toEqual([['a', ['x', 'y']]]);
    expect(notes).toEqual([]);
  });
  it('one name defined differently is kept twice under qualified names, with a note', () => {
    const { servers, notes } = mergeServers([
      spec('a', 'x', ['1']),
      spec('a', 'y', ['2']),
      spec('b', 'x', []),
    ]);
    expect(servers.map((s) => s.name)).toEqual(['a@x', 'a@y', 'b']);
    expect(notes[0]).toMatch(/"a" is defined differently/);
  });
  it('differing only in an env value still counts as different', () => {
    const a = { ...spec('a', 'x', []), env: { K: '1' } };
    const b = { ...spec('a', 'y', []), env: { K: '2' } };
    expect(mergeServers([a, b]).servers).toHaveLength(2);
  });
});

describe('a server named alike in CI and on a laptop', () => {
  const scoped = (file: string, args: string[], scope: 'project' | 'user') => {
    const s = spec('github', file, args);
    s.origin.scope = scope;
    return s;
  };
  it('keeps its plain name when only a user file defines it differently', () => {
    const project = scoped('.mcp.json', ['1'], 'project');
    const user = scoped('~/.claude.json', ['2'], 'user');
    expect(mergeServers([project]).servers.map((s) => s.name)).toEqual(['github']);
    expect(mergeServers([project, user]).servers.map((s) => s.name)).toEqual([
      'github',
      'github@~/.claude.json',
    ]);
  });
  it('two project files defining it differently still qualify both', () => {
    const a = scoped('.mcp.json', ['1'], 'project');
    const b = scoped('.cursor/mcp.json', ['2'], 'project');
    expect(mergeServers([a, b, scoped('~/.claude.json', ['3'], 'user')]).servers.map((s) => s.name)).toEqual([
      'github@.cursor/mcp.json',
      'github@.mcp.json',
      'github@~/.claude.json',
    ]);
  });
});
