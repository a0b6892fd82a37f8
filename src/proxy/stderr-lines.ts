import { redactText } from '../core/redact.js';

/**
 * The server's own stderr is the client's MCP log: passed on a line at a time, so a secret the server prints cannot
 * slip through split across two chunks, with secrets taken out. A line that never ends is passed on once it is long.
 */
export function lineRedactor(write: (text: string) => void, initial: readonly string[]) {
  const MAX_PENDING = 64 * 1024;
  let pending = '';
  let secrets = initial;
  const out = (text: string) => text && write(redactText(text, secrets));
  return {
    /** The secrets, once the launch that knows them is resolved. */
    setSecrets(next: readonly string[]) {
      secrets = next;
    },
    write(chunk: string) {
      pending += chunk;
      const end = pending.lastIndexOf('\n');
      if (end !== -1) {
        out(pending.slice(0, end + 1));
        pending = pending.slice(end + 1);
      }
      if (pending.length > MAX_PENDING) {
        out(pending);
        pending = '';
      }
    },
    flush() {
      out(pending);
      pending = '';
    },
  };
}
