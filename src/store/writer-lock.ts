import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { McpLockError } from '../errors.js';
import { removeLeftovers } from './atomic-file.js';
import { removeOnExit } from './exit-cleanup.js';

/** Whether a process is still there (EPERM: it is, but not ours to signal). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Holder {
  pid: number;
  host: string;
}

async function holderOf(path: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, host: String(holder.host ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/** A writer writes its pid within milliseconds of creating the lock: an unreadable one older than this was left. */
const UNREADABLE_STALE_MS = 10_000;

async function unreadableAndOld(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > UNREADABLE_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` holding the writer lock of a lockfile (`<lockfile>.lock`, created exclusively): two writers at once would
 * each rename their own version over the other's, and one's servers would be lost. A second writer waits, and says
 * so; a lock left by a process that is gone is taken over. Whatever an interrupted write left beside the lockfile is
 * cleaned up once the lock is held.
 */
export async function withWriterLock<T>(
  target: string,
  display: string,
  onWait: ((text: string) => void) | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const path = `${target}.lock`;
  let announced = false;
  let release = () => {};
  for (;;) {
    try {
      // Synchronous, so no signal can fall between the file being created and this process knowing it holds it.
      const fd = openSync(path, 'wx', 0o644);
      // Ours from this moment: an exit before the pid is written, or at any time while held, removes it.
      release = removeOnExit(path);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new McpLockError('lockfile-write', `${display}.lock: cannot be created (${code ?? 'error'})`, {
          hint: 'check that the folder of the lockfile is writable',
          cause: error,
        });
      }
      const holder = await holderOf(path);
      const sameHost = holder === undefined || holder.host === '' || holder.host === hostname();
      // Left by a process that is gone, or by one killed between creating it and writing its pid.
      if ((holder && sameHost && !alive(holder.pid)) || (!holder && (await unreadableAndOld(path)))) {
        await rm(path, { force: true });
        continue;
      }
      if (!announced) {
        announced = true;
        onWait?.(
          `waiting for another mcp-lock${holder ? ` (pid ${holder.pid}${sameHost ? '' : ` on ${holder.host}`})` : ''} to finish writing ${display}`,
        );
      }
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    await removeLeftovers(target);
    return await fn();
  } finally {
    await rm(path, { force: true });
    release();
  }
}
