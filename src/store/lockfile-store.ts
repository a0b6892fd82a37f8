import { access } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { outlineOf, type LockOutline } from '../core/lockfile/outline.js';
import { serializeLockfilePausing } from '../core/lockfile/serialize.js';
import type { Lockfile } from '../core/lockfile/schema.js';
import { McpLockError } from '../errors.js';
import type { SigningConfig } from '../signing/lockfile-signature.js';
import { writeFileAtomic } from './atomic-file.js';
import type { CheckedLocks } from './checked-locks.js';
import { describeProblem, readBoundedBytes } from './bounded-read.js';

/** A lockfile larger than this was not written by mcp-lock (a server may send 32 MiB; a lock holds a few of them). */
export const MAX_LOCKFILE_BYTES = 128 * 1024 * 1024;

/** Lets a signal (Ctrl-C) in between steps of reading a large lockfile. */
const nextTurn = () => new Promise<void>((resume) => setImmediate(resume));

/** A Windows checkout may have turned LF into CRLF; the content is the same. */
const normalised = (text: string) => text.replace(/\r\n/g, '\n');

/** Parses lockfile text, or ends the run (exit 2) with one line naming the file and the fix. */
export async function parseLockfileText(text: string, display: string): Promise<Lockfile> {
  // Loaded on use: a listing that remembers the lock (`CheckedLocks`) neither checks it nor builds its schema.
  const { parseLockfilePausing } = await import('../core/lockfile/parse.js');
  const parsed = await parseLockfilePausing(normalised(text), nextTurn);
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

/**
 * The lockfile of a run, on disk: read (missing is `null`), required (missing is the one `lockfile-missing` error),
 * and saved atomically with its signature kept in step.
 */
export class LockfileStore {
  constructor(
    /** Absolute path. */
    readonly path: string,
    /** As shown to the user and in reports. */
    readonly display: string,
  ) {}

  /** The lockfile's text as it is on disk: `null` when there is none. */
  async text(): Promise<string | null> {
    return (await this.bytes())?.toString('utf8') ?? null;
  }

  /** The lockfile's bytes as they are on disk: `null` when there is none. */
  private async bytes(): Promise<Buffer | null> {
    const read = await readBoundedBytes(this.path, MAX_LOCKFILE_BYTES);
    if (read.ok) return read.bytes;
    if (read.problem.kind === 'missing') return null;
    throw new McpLockError(
      read.problem.kind === 'unreadable' ? 'lockfile-unreadable' : 'lockfile-invalid',
      `${this.display}: ${describeProblem(read.problem)}`,
      {
        hint:
          read.problem.kind === 'unreadable'
            ? 'check the file permissions'
            : `restore ${this.display} from version control, or name the lockfile with --lockfile`,
      },
    );
  }

  async read(): Promise<Lockfile | null> {
    const text = await this.text();
    return text === null ? null : await parseLockfileText(text, this.display);
  }

  /**
   * For a listing only: the lock's outline, from `checked` when these exact bytes were checked in full before, otherwise
   * checked in full (errors as `read`) and remembered. `null` when there is no lockfile.
   */
  async outline(checked: CheckedLocks | undefined): Promise<LockOutline | null> {
    const bytes = await this.bytes();
    if (bytes === null) return null;
    // Remembered by the bytes as read: a lock seen before is not even decoded.
    const known = checked?.outline(bytes);
    if (known) return known;
    const outline = outlineOf(await parseLockfileText(bytes.toString('utf8'), this.display));
    checked?.remember(bytes, outline);
    return outline;
  }

  async requireText(): Promise<string> {
    const text = await this.text();
    if (text === null) {
      throw new McpLockError('lockfile-missing', `${this.display}: no lockfile`, {
        hint: 'run `mcp-lock install` to create it, or name it with --lockfile',
      });
    }
    return text;
  }

  async require(): Promise<Lockfile> {
    return parseLockfileText(await this.requireText(), this.display);
  }

  /** Writes the lockfile through a temporary file and a rename, so a crash never leaves half a lockfile; returns its text. */
  async write(lock: Lockfile): Promise<string> {
    const text = await serializeLockfilePausing(lock, nextTurn);
    await this.writeText(text);
    return text;
  }

  private writeText(text: string): Promise<void> {
    return writeFileAtomic(this.path, text, { display: this.display, code: 'lockfile-write' });
  }

  /**
   * Writes the lockfile and keeps its signature in step: re-signed when a signing mode is configured, otherwise the
   * stale bundle removed. Returns the note that says which.
   */
  async save(lock: Lockfile, signing: SigningConfig | undefined): Promise<string | undefined> {
    return this.saveText(await serializeLockfilePausing(lock, nextTurn), signing);
  }

  /** `save` of a lockfile already serialised (`serializeLockfilePausing`), so a large one is not built twice. */
  async saveText(text: string, signing: SigningConfig | undefined): Promise<string | undefined> {
    await this.writeText(text);
    const { refreshSignature } = await import('../signing/lockfile-signature.js');
    return refreshSignature(text, this.path, this.display, signing);
  }
}

/**
 * A relative lockfile path as a client launching `mcp-lock run` in a subfolder of the project means it: the first
 * folder from `cwd` upwards that holds it. Unchanged when it is absolute or found nowhere (the error names it then).
 */
export async function findUp(cwd: string, file: string): Promise<string> {
  if (isAbsolute(file)) return file;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    try {
      await access(join(dir, file));
      return join(dir, file);
    } catch {
      if (dirname(dir) === dir) return resolve(cwd, file);
    }
  }
}
