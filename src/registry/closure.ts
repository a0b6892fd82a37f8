import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digest } from '../core/canonical.js';

export interface Closure {
  digest: string;
  count: number;
  /** `node_modules/a/node_modules/b` → version: enough to say what changed. */
  packages: Record<string, string>;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(stderr.trim().split('\n').pop() || error.message));
        else resolve();
      },
    );
  });
}

/** What a tree's package-lock.json pins: the digest the lock records, a count, and path → version to show changes. */
export function closureOf(lockText: string): Closure {
  const lock = JSON.parse(lockText) as {
    packages?: Record<string, { version?: string; integrity?: string }>;
  };
  const entries = Object.entries(lock.packages ?? {}).filter(([path]) => path !== '');
  const packages = Object.fromEntries(
    entries.map(([path, p]) => [path, p.version ?? '']).sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
  return {
    digest: digest(
      Object.fromEntries(entries.map(([path, p]) => [path, `${p.version ?? ''} ${p.integrity ?? ''}`])),
    ),
    count: entries.length,
    packages,
  };
}

/** The package.json of a one-package tree: the same bytes when the tree is resolved and when it is installed. */
export function treeManifest(name: string, version: string): string {
  return JSON.stringify({ name: 'mcp-lock-closure', private: true, dependencies: { [name]: version } });
}

/** Copies the project's .npmrc (registry, scopes, auth) next to a tree; returns how to remove it again. */
export async function withProjectNpmrc(projectDir: string, dir: string): Promise<() => Promise<void>> {
  await copyFile(join(projectDir, '.npmrc'), join(dir, '.npmrc')).catch(() => {});
  return () => rm(join(dir, '.npmrc'), { force: true });
}

/**
 * The whole dependency tree `npx name@version` would install today, resolved by npm itself (a lockfile only: nothing
 * is downloaded or run, scripts are off) with the project's npm configuration. `npx pkg@1.2.3` pins one tarball; its
 * dependencies float with their ranges, so a release of any of them changes the code the client runs. Returns the
 * package-lock.json too, for `--materialise`.
 */
export async function resolveClosure(
  name: string,
  version: string,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Closure & { lockText: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-closure-'));
  try {
    await writeFile(join(dir, 'package.json'), treeManifest(name, version));
    await withProjectNpmrc(projectDir, dir);
    await run(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
      dir,
      env as NodeJS.ProcessEnv,
    );
    const lockText = await readFile(join(dir, 'package-lock.json'), 'utf8');
    return { ...closureOf(lockText), lockText };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
