import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digest } from '../core/canonical.js';
import { packageAtPath } from '../core/package/names.js';
import type { NpmConfig } from './npm-config.js';
import { packumentUrl, registryOf } from './npm.js';

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

/** A tree resolved once, and the registry documents it was resolved from, each reduced to a fingerprint. */
interface RememberedTree {
  lockText: string;
  /** package name → fingerprint of its registry document when the tree was resolved. */
  fingerprints: Record<string, string>;
}

/**
 * A package's registry document as a digest of its bytes: any publish, deprecation, tag move or re-published
 * integrity changes it (and so does an edit that cannot change the tree, which only costs a resolution). Hashing the
 * bytes, rather than parsing documents that run to megabytes, keeps checking a remembered tree cheap.
 */
function fingerprint(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** npm's abbreviated document (what npm itself asks for to resolve a tree), the full one where that is all there is. */
const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/**
 * The registry packages a tree holds, by name; undefined when the tree holds anything else (a git or file
 * dependency has no registry document to tell whether it moved, so such a tree is resolved every time).
 */
function registryNames(lockText: string): string[] | undefined {
  const lock = JSON.parse(lockText) as {
    packages?: Record<string, { name?: string; version?: string; integrity?: string; link?: boolean }>;
  };
  const names = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '') continue;
    if (entry.link || !entry.version || !entry.integrity) return undefined;
    names.add(entry.name ?? packageAtPath(path));
  }
  return [...names].sort();
}

/** Today's fingerprint of each package's registry document; undefined when any of them cannot be read. */
async function fingerprintsOf(
  names: readonly string[],
  npm: NpmConfig,
  fetcher: typeof fetch,
): Promise<Record<string, string> | undefined> {
  const found = await Promise.all(
    names.map(async (name) => {
      try {
        const { registry, fetcher: asked } = await registryOf(npm, name, fetcher);
        const { value } = await npm.cache.document(packumentUrl(registry, name), asked, fingerprint, CORGI);
        return value === undefined ? undefined : ([name, value] as const);
      } catch {
        return undefined;
      }
    }),
  );
  if (found.some((f) => f === undefined)) return undefined;
  return Object.fromEntries(found as (readonly [string, string])[]);
}

/**
 * `resolveClosure`, done once per (package, version, npm configuration, npm and Node versions) and remembered: a
 * later run asks the registry for the document of every package in the remembered tree (a 304 where the registry
 * gives validators) and reuses the tree when none of them moved — npm would resolve the same tree from the same
 * documents. Otherwise npm resolves it again. (A release published between npm's resolution and the fingerprints
 * read after it is seen at the next release of any package in the tree, or when the inputs change.)
 */
export async function resolveClosureOnce(
  name: string,
  version: string,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
  npm: NpmConfig,
  fetcher: typeof fetch = fetch,
): Promise<Closure & { lockText: string; reused: boolean }> {
  const projectNpmrc = await readFile(join(projectDir, '.npmrc'), 'utf8').catch(() => '');
  const key = digest({
    name,
    version,
    registry: await npm.registryFor(name),
    inputs: await npm.resolutionInputs(),
    projectNpmrc,
  });
  return npm.cache.once('trees', key, async () => {
    const remembered = await npm.cache.get<RememberedTree>('trees', key);
    if (remembered) {
      const now = await fingerprintsOf(Object.keys(remembered.fingerprints), npm, fetcher);
      const moved = !now || Object.entries(remembered.fingerprints).some(([n, f]) => now[n] !== f);
      if (!moved) return { ...closureOf(remembered.lockText), lockText: remembered.lockText, reused: true };
    }
    const resolved = await resolveClosure(name, version, projectDir, env);
    const names = registryNames(resolved.lockText);
    const fingerprints = names && (await fingerprintsOf(names, npm, fetcher));
    if (fingerprints) await npm.cache.set('trees', key, { lockText: resolved.lockText, fingerprints });
    return { ...resolved, reused: false };
  });
}
