import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePermissions, permissionsOf } from '../../../src/core/permissions.js';
import { bubblewrapArgs } from '../../../src/sandbox/bubblewrap.js';
import { resolveGrant, sandboxEnv } from '../../../src/sandbox/plan.js';
import { seatbeltProfile } from '../../../src/sandbox/sandbox-exec.js';

function layout() {
  const root = mkdtempSync(join(tmpdir(), 'mcp-lock-plan-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  for (const dir of [join(home, '.ssh'), join(home, '.aws'), join(project, '.git'), join(project, 'data')])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(home, '.npmrc'), '//registry/:_authToken=secret\n');
  return { root, home, project, privateHome: join(root, 'private') };
}

describe('the bubblewrap command line', () => {
  it('confines by default: namespaces, no network, read-only root, credentials and .git hidden', () => {
    const { home, project, privateHome } = layout();
    const args = bubblewrapArgs('node', ['s.js'], project, {
      home,
      project,
      privateHome,
      permissions: undefined,
    });
    const text = args.join(' ');
    for (const flag of ['--die-with-parent', '--unshare-pid', '--unshare-net', '--new-session'])
      expect(args).toContain(flag);
    expect(text).toContain('--ro-bind / /');
    expect(text).toContain(`--tmpfs ${join(home, '.ssh')}`);
    expect(text).toContain(`--tmpfs ${join(home, '.aws')}`);
    expect(text).toContain(`--tmpfs ${join(project, '.git')}`);
    expect(text).toContain(`--ro-bind /dev/null ${join(home, '.npmrc')}`);
    // What does not exist needs no hiding (and a read-only root could not make a mount point for it).
    expect(text).not.toContain(join(home, '.kube'));
    expect(text).toContain(`--bind ${privateHome} ${privateHome}`);
    expect(args.slice(-5)).toEqual(['--chdir', project, '--', 'node', 's.js']);
    // The command always comes last, after every mount: a grant cannot be overridden by a later hide.
    expect(args.indexOf('--')).toBe(args.length - 3);
  });

  it('grants network, reads of hidden paths and writes, after the hiding', () => {
    const { home, project, privateHome } = layout();
    const args = bubblewrapArgs('node', [], project, {
      home,
      project,
      privateHome,
      permissions: { network: true, read: ['~/.ssh'], write: ['data', '/nonexistent/path'] },
    });
    const text = args.join(' ');
    expect(args).not.toContain('--unshare-net');
    expect(text.indexOf(`--ro-bind ${join(home, '.ssh')} ${join(home, '.ssh')}`)).toBeGreaterThan(
      text.indexOf(`--tmpfs ${join(home, '.ssh')}`),
    );
    expect(text).toContain(`--bind ${join(project, 'data')} ${join(project, 'data')}`);
    expect(text).not.toContain('/nonexistent/path');
  });

  it('resolves grants: ~ in the home, relative in the project', () => {
    const plan = { home: '/h', project: '/p' };
    expect(resolveGrant('~', plan)).toBe('/h');
    expect(resolveGrant('~/.ssh', plan)).toBe('/h/.ssh');
    expect(resolveGrant('./data', plan)).toBe('/p/data');
    expect(resolveGrant('/abs', plan)).toBe('/abs');
  });

  it('gives the server a private home and temp, npm its cache and no registry without network', () => {
    const plan = { home: '/h', project: '/p', privateHome: '/t/x', permissions: undefined };
    const env = sandboxEnv({ PATH: '/bin', HOME: '/h', NPM_CONFIG_CACHE: '/c' }, plan);
    expect(env).toMatchObject({
      PATH: '/bin',
      HOME: '/t/x',
      TMPDIR: '/t/x',
      npm_config_cache: '/c',
      npm_config_offline: 'true',
    });
    expect(env).not.toHaveProperty('NPM_CONFIG_CACHE');
    const online = sandboxEnv({ HOME: '/h' }, { ...plan, permissions: { network: true } });
    expect(online).not.toHaveProperty('npm_config_offline');
    expect(online.npm_config_cache).toBe('/h/.npm');
  });
});

describe('the macOS profile (untested on macOS itself)', () => {
  it('denies network and writes but the private home and grants, and reads of hidden paths not granted', () => {
    const profile = seatbeltProfile({
      home: '/Users/u',
      project: '/w/p "q"',
      privateHome: '/tmp/x',
      permissions: { read: ['~/.aws'], write: ['out'] },
    });
    expect(profile).toMatch(/^\(version 1\)\n\(allow default\)\n\(deny network-outbound\)/);
    expect(profile).toContain('(deny file-write*)');
    expect(profile).toContain('(allow file-write* (subpath "/tmp/x")');
    expect(profile).toContain('(allow file-write* (subpath "/w/p \\"q\\"/out"))');
    expect(profile).toContain('(deny file-read* (subpath "/Users/u/.ssh"))');
    expect(profile).not.toContain('(deny file-read* (subpath "/Users/u/.aws"))');
    expect(profile).toContain('(deny file-read* (subpath "/w/p \\"q\\"/.git"))');
    expect(
      seatbeltProfile({ home: '/h', project: '/p', privateHome: '/t', permissions: { network: true } }),
    ).not.toContain('network');
  });
});

describe('permissions in the lock', () => {
  it('are sorted, deduplicated, and absent when nothing is granted', () => {
    expect(permissionsOf({ network: false, read: [], write: [] })).toBeUndefined();
    expect(permissionsOf({ network: true, read: ['b', 'a', 'b'], write: ['w'] })).toEqual({
      network: true,
      read: ['a', 'b'],
      write: ['w'],
    });
  });

  it('a change is one finding that says what may be done now and what was locked', () => {
    expect(comparePermissions('s', { network: true }, { network: true })).toEqual([]);
    expect(comparePermissions('s', undefined, undefined)).toEqual([]);
    const [widened] = comparePermissions('s', undefined, { network: true, write: ['out'] });
    expect(widened).toMatchObject({
      code: 'server-permissions-changed',
      severity: 'info',
      field: 'permissions',
    });
    expect(widened!.message).toBe('may now: network, write out (locked: no network)');
    const [narrowed] = comparePermissions('s', { read: ['~/.ssh'] }, undefined);
    expect(narrowed!.message).toBe('may now: no network (locked: no network, read ~/.ssh)');
  });
});
