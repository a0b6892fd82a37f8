import { open } from 'node:fs/promises';
import { constants } from 'node:fs';

/** Why a file was not read: missing, not a regular file (a FIFO would block for ever), too large, unreadable. */
export type ReadProblem =
  | { kind: 'missing' }
  | { kind: 'not-a-file' }
  | { kind: 'too-large'; size: number; limit: number }
  | { kind: 'unreadable'; code: string };

/** Reads a regular file of at most `limit` bytes as UTF-8 (`readBoundedBytes`, decoded). */
export async function readBounded(
  path: string,
  limit: number,
): Promise<{ ok: true; text: string } | { ok: false; problem: ReadProblem }> {
  const read = await readBoundedBytes(path, limit);
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
}

/**
 * Reads a regular file of at most `limit` bytes. Opened without blocking and checked before a byte is read: a FIFO,
 * a device (`/dev/urandom`) or a directory is refused at once, and so is a file larger than the limit.
 */
export async function readBoundedBytes(
  path: string,
  limit: number,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; problem: ReadProblem }> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, problem: code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', code } };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, problem: { kind: 'not-a-file' } };
    if (stat.size > limit) return { ok: false, problem: { kind: 'too-large', size: stat.size, limit } };
    // Read at most limit + 1 bytes: a file that grows while it is read is caught too.
    const buffer = Buffer.alloc(Math.min(limit + 1, Math.max(stat.size, 0) + 65_536));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) return { ok: false, problem: { kind: 'too-large', size: length, limit } };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return {
      ok: false,
      problem: { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'error' },
    };
  } finally {
    await handle.close();
  }
}

/** The problem as the end of a one-line error. */
export function describeProblem(problem: ReadProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'no such file';
    case 'not-a-file':
      return 'not a regular file';
    case 'too-large':
      return `larger than ${Math.round(problem.limit / 1024 / 1024)} MiB (${Math.round(problem.size / 1024 / 1024)} MiB)`;
    case 'unreadable':
      return `cannot be read (${problem.code})`;
  }
}

/** `readBounded` for callers that only need the text or a reason: throws an Error whose message is the reason. */
export async function readBoundedText(path: string, limit: number): Promise<string> {
  const read = await readBounded(path, limit);
  if (!read.ok) throw new Error(describeProblem(read.problem));
  return read.text;
}
