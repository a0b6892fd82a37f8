import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HIDDEN_IN_HOME, HIDDEN_IN_PROJECT, resolveGrant, type SandboxPlan } from './plan.js';

/**
 * The bubblewrap command line around a server's: new PID, IPC, UTS and (unless granted) network namespaces, killed
 * with its parent; the whole filesystem read-only, credentials and `.git` hidden behind empty mounts, a private home
 * that is the one writable place, then the grants (read paths shown again, write paths bound read-write).
 */
export function bubblewrapArgs(
  command: string,
  args: readonly string[],
  cwd: string,
  plan: SandboxPlan,
): string[] {
  const out = [
    '--die-with-parent',
    '--new-session',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
  ];
  if (!plan.permissions?.network) out.push('--unshare-net');
  out.push('--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev');
  const hide = (path: string) => {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      return; // Nothing there to hide.
    }
    if (isDir) out.push('--tmpfs', path);
    else out.push('--ro-bind', '/dev/null', path);
  };
  for (const rel of HIDDEN_IN_HOME) hide(join(plan.home, rel));
  for (const rel of HIDDEN_IN_PROJECT) hide(join(plan.project, rel));
  out.push('--bind', plan.privateHome, plan.privateHome);
  for (const path of plan.permissions?.read ?? []) {
    const real = resolveGrant(path, plan);
    if (existsSync(real)) out.push('--ro-bind', real, real);
  }
  for (const path of plan.permissions?.write ?? []) {
    const real = resolveGrant(path, plan);
    if (existsSync(real)) out.push('--bind', real, real);
  }
  out.push('--chdir', cwd, '--', command, ...args);
  return out;
}

/** Whether bubblewrap runs here with the namespaces a scan needs (it may be installed but refused user namespaces). */
export function probeBubblewrap(
  env: Record<string, string | undefined>,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(
      'bwrap',
      [
        '--die-with-parent',
        '--unshare-pid',
        '--unshare-net',
        '--ro-bind',
        '/',
        '/',
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        '--',
        'true',
      ],
      { env: { PATH: env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'ignore', 'pipe'], shell: false },
    );
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        reason:
          error.code === 'ENOENT'
            ? 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap'
            : `bwrap could not start: ${error.message}`,
      });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: `bwrap cannot create namespaces here: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`,
        });
    });
  });
}
