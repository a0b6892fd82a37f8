import { describe, expect, it } from 'vitest';
import type { LockSource } from '../../../../src/core/lockfile/schema.js';
import { npxInvocation, packageOf } from '../../../../src/core/package/launch-line.js';

const launch = (command: string, ...args: string[]): LockSource => ({
  configs: [{ file: '.mcp.json', key: 'k' }],
  transport: 'stdio',
  command,
  args,
});
const of = (command: string, ...args: string[]) => {
  const p = packageOf(launch(command, ...args));
  return p && [p.type, p.name, p.pinned];
};

describe('which package a launch line runs', () => {
  it('npm launchers, flags included', () => {
    expect(of('npx', '-y', '@modelcontextprotocol/server-github@2025.4.8')).toEqual([
      'npm',
      '@modelcontextprotocol/server-github',
      true,
    ]);
    expect(of('npx', '--yes', '--registry', 'x', 'pkg@^1', '--flag')).toEqual(['npm', 'pkg', false]);
    expect(of('npx', '-p', 'pkg@1.0.0', 'bin-name')).toEqual(['npm', 'pkg', true]);
    expect(of('/usr/local/bin/npx.cmd', 'pkg@latest')).toEqual(['npm', 'pkg', false]);
    expect(of('npm', 'exec', '--yes', '--', 'pkg@2.0.0')).toEqual(['npm', 'pkg', true]);
    expect(of('pnpm', 'dlx', 'pkg')).toEqual(['npm', 'pkg', false]);
    expect(of('yarn', 'dlx', 'pkg@1.2.3')).toEqual(['npm', 'pkg', true]);
    expect(of('bunx', 'pkg@1.2.3')).toEqual(['npm', 'pkg', true]);
  });
  it('PyPI launchers', () => {
    expect(of('uvx', 'mcp-server-fetch')).toEqual(['pypi', 'mcp-server-fetch', false]);
    expect(of('uvx', 'mcp-server-fetch==2025.1.1')).toEqual(['pypi', 'mcp-server-fetch', true]);
    expect(of('uvx', '--from', 'mcp-server-git@1.0.0', 'mcp-server-git')).toEqual([
      'pypi',
      'mcp-server-git',
      true,
    ]);
    expect(of('uv', 'tool', 'run', 'pkg>=1')).toEqual(['pypi', 'pkg', false]);
    expect(of('pipx', 'run', 'pkg==3')).toEqual(['pypi', 'pkg', true]);
  });
  it('container images: only a digest pins', () => {
    expect(of('docker', 'run', '-i', '--rm', '-e', 'TOKEN', 'ghcr.io/github/github-mcp-server')).toEqual([
      'oci',
      'ghcr.io/github/github-mcp-server',
      false,
    ]);
    expect(of('docker', 'run', '-i', 'mcp/fetch:1.0')).toEqual(['oci', 'mcp/fetch', false]);
    expect(of('podman', 'run', `mcp/fetch@sha256:${'a'.repeat(64)}`)).toEqual(['oci', 'mcp/fetch', true]);
  });
  it('a URL is a remote; a script run by an interpreter is local; anything else is a binary', () => {
    expect(packageOf({ configs: [], transport: 'http', url: 'https://mcp.example/mcp' })).toMatchObject({
      type: 'remote',
    });
    expect(of('node', 'server.js')).toEqual(['local', 'server.js', true]);
    expect(of('python3', '-u', 'server.py')).toEqual(['local', 'server.py', true]);
    expect(of('deno', 'run', '--allow-net', 'main.ts')).toEqual(['local', 'main.ts', true]);
    expect(of('python', '-m', 'mcp_server_time')).toBeUndefined();
    expect(of('/opt/bin/mcp-server', '--stdio')).toEqual(['binary', '/opt/bin/mcp-server', true]);
  });
});

describe('npxInvocation', () => {
  it('reads the package and the arguments of its bin', () => {
    expect(npxInvocation('npx', ['-y', 'pkg@1.2.3', '--root', '/data'])).toEqual({
      spec: 'pkg@1.2.3',
      args: ['--root', '/data'],
    });
    expect(npxInvocation('/usr/bin/npx', ['--yes', '@scope/pkg@1.0.0'])).toEqual({
      spec: '@scope/pkg@1.0.0',
      args: [],
    });
    expect(npxInvocation('npm', ['exec', '--yes', 'pkg@1.0.0', '--', '-v'])).toEqual({
      spec: 'pkg@1.0.0',
      args: ['-v'],
    });
    expect(npxInvocation('pnpm', ['dlx', 'pkg@1.0.0', 'x'])).toEqual({ spec: 'pkg@1.0.0', args: ['x'] });
  });

  it('reads -p pkg bin as a named bin', () => {
    expect(npxInvocation('npx', ['-y', '-p', 'tools@2.0.0', 'tools-mcp', 'serve'])).toEqual({
      spec: 'tools@2.0.0',
      bin: 'tools-mcp',
      args: ['serve'],
    });
    expect(npxInvocation('npx', ['--package=tools@2.0.0', 'tools-mcp'])).toEqual({
      spec: 'tools@2.0.0',
      bin: 'tools-mcp',
      args: [],
    });
  });

  it('does not guess at anything less plain', () => {
    expect(npxInvocation('npx', ['-c', 'echo hi'])).toBeUndefined();
    expect(npxInvocation('npx', ['--registry', 'http://x', 'pkg'])).toBeUndefined();
    expect(npxInvocation('node', ['server.js'])).toBeUndefined();
    expect(npxInvocation('npm', ['run', 'x'])).toBeUndefined();
    expect(npxInvocation('npx', ['-y'])).toBeUndefined();
  });
});
