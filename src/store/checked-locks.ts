import { hash } from 'node:crypto';
import { accessSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.js';
import { privateTempSubfolder } from './private-temp.js';

/**
 * Lockfile texts this version of mcp-lock has checked in full before (schema, depth, every digest), remembered by
 * their SHA-256 in the user's private temporary folder (`privateTempFolder`). A listing (`ls`) then reads a lock it has
 * seen without checking it again; any edit is new text and is checked in full. The gates (`verify`, `run`, …) never
 * ask. Whoever could write a mark there could as well write the code cache next to it, which runs.
 */
export class CheckedLocks {
  private constructor(private readonly folder: string) {}

  /** The memo in the private temporary folder, or `undefined` where there is none to trust (then everything is checked). */
  static open(base?: string): CheckedLocks | undefined {
    const folder = privateTempSubfolder('checked-locks', base);
    return folder === undefined ? undefined : new CheckedLocks(folder);
  }

  private mark(text: string): string {
    // The version is part of the mark: a newer mcp-lock may check more than this one did.
    return join(this.folder, hash('sha256', `${VERSION}\n${text}`));
  }

  has(text: string): boolean {
    try {
      accessSync(this.mark(text));
      return true;
    } catch {
      return false;
    }
  }

  /** Best effort: without the mark the next run checks again. */
  remember(text: string): void {
    try {
      writeFileSync(this.mark(text), '', { mode: 0o600 });
    } catch {
      // A full disk or a read-only folder.
    }
  }
}
