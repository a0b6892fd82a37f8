import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LockOutline } from '../core/lockfile/outline.js';
import { VERSION } from '../version.js';
import { privateTempSubfolder, writePrivateFile } from './private-temp.js';

/** Bumped when `LockOutline` changes shape, so an outline is never read by code expecting another. */
const OUTLINE_FORMAT = 1;

/**
 * Lockfiles this version of mcp-lock has checked in full before (schema, depth, every digest), each with its outline,
 * remembered by the SHA-256 of their bytes in the user's private temporary folder (`privateTempFolder`). A listing
 * (`ls`) then reads a lock it has seen without decoding, parsing or checking it again; any edit is new bytes and is
 * checked in full. The gates (`verify`, `run`, …) never ask. Whoever could write here could as well write the code cache next
 * to it, which runs.
 */
export class CheckedLocks {
  private constructor(private readonly folder: string) {}

  /** The memo in the private temporary folder, or `undefined` where there is none to trust (then everything is checked). */
  static open(base?: string): CheckedLocks | undefined {
    const folder = privateTempSubfolder('checked-locks', base);
    return folder === undefined ? undefined : new CheckedLocks(folder);
  }

  private file(content: Uint8Array | string): string {
    // The version is part of the name: a newer mcp-lock may check more than this one did.
    const digest = createHash('sha256')
      .update(`${VERSION}\n${OUTLINE_FORMAT}\n`)
      .update(content)
      .digest('hex');
    return join(this.folder, `${digest}.json`);
  }

  /** The outline of a lockfile's content (its bytes as read, or its text) if it was checked in full before. */
  outline(content: Uint8Array | string): LockOutline | undefined {
    try {
      return JSON.parse(readFileSync(this.file(content), 'utf8')) as LockOutline;
    } catch {
      // Not checked before (or a file that is not an outline): check in full.
      return undefined;
    }
  }

  /** Best effort (`writePrivateFile`): without the file the next run checks again. */
  remember(content: Uint8Array | string, outline: LockOutline): void {
    writePrivateFile(this.file(content), JSON.stringify(outline));
  }
}
