import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * mcp-lock's folder in the temporary folder, for what it keeps between runs that is code or vouches for something (the
 * V8 code cache, which lockfile texts were checked): only this user may write there. In the temporary folder, as
 * Node's own compile cache, not in the user's cache folder that CI jobs save and restore — a restored folder would be
 * another run's, perhaps a pull request's. `undefined` when the folder is not safely ours (made by someone else, a link,
 * writable by others) or cannot be made; callers then go without.
 */
export function privateTempFolder(base: string = tmpdir()): string | undefined {
  const uid = process.getuid?.();
  const folder = join(base, `mcp-lock-${uid ?? 'user'}`);
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stat = lstatSync(folder);
    if (!stat.isDirectory()) return undefined;
    // Windows has no uid; its temporary folder is the user's own.
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

/** A folder inside `privateTempFolder` (made if missing), or `undefined` as that is. */
export function privateTempSubfolder(name: string, base?: string): string | undefined {
  const root = privateTempFolder(base);
  if (root === undefined) return undefined;
  try {
    const folder = join(root, name);
    mkdirSync(folder, { recursive: true });
    return folder;
  } catch {
    return undefined;
  }
}

/**
 * Writes a file of the private folder through a temporary name and a rename, so a reader never sees half of it. Best
 * effort: what is kept there is optional, and without it the next run does the work again. Synchronous, unlike
 * `writeFileAtomic` (the lockfile's: flushed to disk, failures reported): the code cache is written while the process
 * exits, when nothing asynchronous runs any more.
 */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // A full disk or a read-only folder: no half-written file is left either.
    rmSync(partial, { force: true });
  }
}
