import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { McpLockError } from './errors.js';
import { parseLockfile, serializeLockfile } from './core/lockfile/parse.js';
import type { Lockfile } from './core/lockfile/schema.js';

/** The lockfile's text as it is on disk: `null` when there is none. */
export async function readLockfileText(path: string, display: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new McpLockError('lockfile-unreadable', `${display}: cannot be read`, {
      hint: 'check the file permissions',
      cause: error,
    });
  }
}

/** Parses lockfile text, or ends the run (exit 2) with one line naming the file and the fix. */
export function parseLockfileText(text: string, display: string): Lockfile {
  // A Windows checkout may have turned LF into CRLF; the content is the same.
  const parsed = parseLockfile(text.replace(/\r\n/g, '\n'));
  if (parsed.ok) return parsed.value;
  const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
  if (parsed.problem === 'version') {
    throw new McpLockError('lockfile-version', `${display}: ${parsed.errors[0]}`, {
      hint: 'upgrade mcp-lock to read this lockfile',
    });
  }
  throw new McpLockError('lockfile-invalid', `${display}: ${parsed.errors[0]}${more}`, {
    hint: `restore ${display} from version control, or delete it and run \`mcp-lock install\` to pin anew`,
  });
}

/** Reads the lockfile: `null` when there is none; an exit-2 error naming the file when it cannot be trusted. */
export async function readLockfile(path: string, display: string): Promise<Lockfile | null> {
  const text = await readLockfileText(path, display);
  return text === null ? null : parseLockfileText(text, display);
}

/** Writes the lockfile through a temporary file and a rename, so a crash never leaves half a lockfile. */
export function writeLockfile(path: string, display: string, lock: Lockfile): Promise<void> {
  return writeAtomic(path, display, serializeLockfile(lock));
}

/** Writes to a temporary file beside the target and renames it over the target. */
export async function writeAtomic(path: string, display: string, text: string, mode = 0o644): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx', mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new McpLockError(
      'lockfile-write',
      `${display}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        hint: 'check that the folder exists and is writable',
        cause: error,
      },
    );
  }
}
