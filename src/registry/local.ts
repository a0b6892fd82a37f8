import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

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
