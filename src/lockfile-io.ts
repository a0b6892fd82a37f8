import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { McpLockError } from './errors.js';
import { parseLockfile, serializeLockfile } from './core/lockfile/parse.js';
import type { Lockfile } from './core/lockfile/schema.js';

/** Reads the lockfile: `null` when there is none; an exit-2 error naming the file when it cannot be trusted. */
export async function readLockfile(path: string, display: string): Promise<Lockfile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new McpLockError('lockfile-unreadable', `${display}: cannot be read`, {
      hint: 'check the file permissions',
      cause: error,
    });
  }
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

/** Writes to a temporary file beside the lockfile and renames it, so a crash never leaves half a lockfile. */
export async function writeLockfile(path: string, display: string, lock: Lockfile): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, serializeLockfile(lock), { encoding: 'utf8', flag: 'wx' });
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
