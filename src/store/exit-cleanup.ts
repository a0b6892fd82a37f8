import { unlinkSync } from 'node:fs';

/** Files this process made and must not leave behind: an exit (Ctrl-C included) removes those still listed. */
const pending = new Set<string>();
let hooked = false;

/**
 * Removes `path` if the process exits before the returned function is called (a temp file not yet renamed, a writer
 * lock still held). Synchronous, since nothing asynchronous runs in an `exit` handler.
 */
export function removeOnExit(path: string): () => void {
  pending.add(path);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const file of pending) {
        try {
          unlinkSync(file);
        } catch {
          // Renamed, released or never created.
        }
      }
    });
  }
  return () => pending.delete(path);
}
