import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, readdir, readlink } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** sha256 of a file, as `sha256-<base64>`, read as a stream (a binary can be large). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256-${hash.digest('base64')}`;
}

/** The file a command names: a path as is (relative to the project), a bare name looked up on PATH. */
export async function resolveExecutable(
  command: string,
  cwd: string,
  path: string | undefined,
): Promise<string | undefined> {
  if (command.includes('/') || command.includes('\\'))
    return isAbsolute(command) ? command : resolve(cwd, command);
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Files that mark a folder as a package of its own (Node, Python, Deno). */
const PACKAGE_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'deno.json', 'deno.jsonc'];
/** What a package folder holds that is not its code: installed dependencies, VCS data, caches. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.venv',
  'venv',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
]);
/** Beyond this many files a folder is not a server's package but something larger: only the script is pinned. */
const MAX_TREE_FILES = 2_000;

/**
 * The package folder a script belongs to: the nearest folder with a package marker, below the project folder. A
 * script of the project itself (the marker is the project's own) has no package folder: hashing the whole project
 * would make every unrelated edit look like a changed server.
 */
export async function packageFolderOf(script: string, projectDir: string): Promise<string | undefined> {
  const root = resolve(projectDir);
  for (let dir = dirname(resolve(script)); dir.startsWith(root + sep) && dir !== root; dir = dirname(dir)) {
    for (const marker of PACKAGE_MARKERS) {
      try {
        await access(join(dir, marker));
        return dir;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/**
 * Every file of a package folder and its sha256 (`relative/path` → `sha256-<base64>`), dependencies and VCS data
 * left out; symbolic links are recorded by target, not followed. Undefined when the folder is too large to be one
 * server's code.
 */
export async function hashTree(dir: string): Promise<Record<string, string> | undefined> {
  const files: Record<string, string> = {};
  let count = 0;
  const walk = async (folder: string): Promise<boolean> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(folder, entry.name);
      const key = relative(dir, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!(await walk(path))) return false;
      } else if (entry.isSymbolicLink()) {
        files[key] = `link:${await readlink(path)}`;
      } else if (entry.isFile()) {
        if (++count > MAX_TREE_FILES) return false;
        files[key] = await hashFile(path);
      }
    }
    return true;
  };
  return (await walk(dir)) ? files : undefined;
}
