import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { McpLockError, type ErrorCode } from '../errors.js';

export interface AtomicWrite {
  /** The file as shown to the user, for the error. */
  display: string;
  /** What a failure is reported as: the lockfile, a config, a signature bundle… */
  code: ErrorCode;
  mode?: number;
}

/**
 * Writes to a temporary file beside the target and renames it over the target, so a crash never leaves half a file:
 * readers see the old bytes or the new ones.
 */
export async function writeFileAtomic(path: string, text: string, options: AtomicWrite): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx', mode: options.mode ?? 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new McpLockError(
      options.code,
      `${options.display}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { hint: 'check that the folder exists and is writable', cause: error },
    );
  }
}
