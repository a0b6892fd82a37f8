import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closureOf, run, treeManifest, withProjectNpmrc } from './closure.js';

/** Where locked npm trees are installed: one folder per dependency-tree digest, under the user's cache. */
export function treeCacheRoot(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'mcp-lock', 'npm');
}

const COMPLETE = '.mcp-lock-complete';

function folderOf(root: string, digest: string): string {
  return join(root, Buffer.from(digest.replace(/^sha256-/, ''), 'base64').toString('hex'));
}

/**
 * The installed tree for a dependency digest, if it is there, complete, and its package-lock.json still pins exactly
 * that digest (a tree whose lockfile was edited is not used).
 */
export async function materialisedTree(root: string, digest: string): Promise<string | null> {
  const dir = folderOf(root, digest);
  try {
    await access(join(dir, COMPLETE));
    return closureOf(await readFile(join(dir, 'package-lock.json'), 'utf8')).digest === digest ? dir : null;
  } catch {
    return null;
  }
}

/**
 * Installs the tree a package-lock.json pins with `npm ci --ignore-scripts`: npm checks every tarball against the
 * integrity in the lockfile and runs no install script, so what lands on disk is exactly the locked code. Built in a
 * temporary folder and renamed into place, so a half-installed tree is never used.
 */
export async function materialiseTree(options: {
  root: string;
  lockText: string;
  name: string;
  version: string;
  projectDir: string;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<string> {
  const digest = closureOf(options.lockText).digest;
  const existing = await materialisedTree(options.root, digest);
  if (existing) return existing;
  const dir = folderOf(options.root, digest);
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  try {
    await writeFile(join(building, 'package.json'), treeManifest(options.name, options.version));
    await writeFile(join(building, 'package-lock.json'), options.lockText);
    const removeNpmrc = await withProjectNpmrc(options.projectDir, building);
    try {
      await run(
        'npm',
        ['ci', '--ignore-scripts', '--no-audit', '--no-fund'],
        building,
        options.env as NodeJS.ProcessEnv,
      );
    } finally {
      // The project's .npmrc may hold a registry token: it does not stay in the cache.
      await removeNpmrc();
    }
    await writeFile(join(building, COMPLETE), digest + '\n');
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
    return dir;
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
}

/** The executable of a package inside an installed tree, chosen as npx chooses it. */
export async function treeBin(dir: string, name: string, bin?: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const unscoped = name.replace(/^@[^/]+\//, '');
  const bins = typeof manifest.bin === 'string' ? [unscoped] : Object.keys(manifest.bin ?? {});
  const chosen = bin ?? (bins.length === 1 ? bins[0] : bins.find((b) => b === unscoped));
  if (!chosen || !bins.includes(chosen)) {
    throw new Error(`${name} has no executable${bin ? ` named ${bin}` : ' npx would run'}`);
  }
  const path = join(dir, 'node_modules', '.bin', chosen);
  await access(path);
  return path;
}
