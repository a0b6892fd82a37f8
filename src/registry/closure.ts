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

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
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

/**
 * The whole dependency tree `npx name@version` would install today, resolved by npm itself (a lockfile only: nothing
 * is downloaded or run, scripts are off) with the project's npm configuration. `npx pkg@1.2.3` pins one tarball; its
 * dependencies float with their ranges, so a release of any of them changes the code the client runs.
 */
export async function resolveClosure(
  name: string,
  version: string,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Closure> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-lock-closure-'));
  try {
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'mcp-lock-closure', private: true, dependencies: { [name]: version } }),
    );
    await copyFile(join(projectDir, '.npmrc'), join(dir, '.npmrc')).catch(() => {});
    await run(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
      dir,
      env as NodeJS.ProcessEnv,
    );
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as {
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
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
