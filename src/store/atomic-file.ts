import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { McpLockError, type ErrorCode } from '../errors.js';
import { removeOnExit } from './exit-cleanup.js';

export interface AtomicWrite {
  /** The file as shown to the user, for the error. */
  display: string;
  /** What a failure is reported as: the lockfile, a config, a signature bundle… */
  code: ErrorCode;
  mode?: number;
}

/** The temporary files of a target: `.<name>.<random>.tmp` beside it. */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Flushes a folder's entries to disk, so a rename in it survives a power cut (not possible on every system). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a folder for syncing; the rename is still atomic there.
  }
}

/**
 * Writes to a temporary file beside the target, flushes it to disk, renames it over the target and flushes the
 * folder: readers see the old bytes or the new ones, and a crash or power cut never leaves half a file.
 */
export async function writeFileAtomic(path: string, text: string, options: AtomicWrite): Promise<void> {
  const temp = tempName(path);
  // An exit before the rename (Ctrl-C included) removes the temporary file.
  const written = removeOnExit(temp);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    written();
    await syncFolder(dirname(path));
  } catch (error) {
    await rm(temp, { force: true });
    written();
    throw new McpLockError(
      options.code,
      `${options.display}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { hint: 'check that the folder exists and is writable', cause: error },
    );
  }
}

/**
 * Removes what an interrupted write left beside a target (a process killed between writing its temporary file and
 * renaming it). Only called by the holder of the target's writer lock, so no other write is in flight.
 */
export async function removeLeftovers(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && /^\.[^/]*\.[0-9a-f]{12}\.tmp$/.test(n))
      .map((n) => rm(join(dirname(path), n), { force: true })),
  );
}
