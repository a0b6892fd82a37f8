import { deserializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Newline-framed JSON-RPC messages from a server's stdout, read as the SDK's ReadBuffer reads them (the same limit on
 * what is held, the same validation of each line) but without joining every chunk to what came before: that copy is
 * quadratic in a message's size, and a server may send one of tens of megabytes in 64 KiB pieces. The part of a line
 * not yet ended is kept as a list of chunks, joined once its newline arrives.
 */
export class LineBuffer {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private lines: Buffer[] = [];

  constructor(private readonly maxBytes: number) {}

  /** Takes a chunk; throws (and forgets everything) when what is held would pass the limit. */
  append(chunk: Buffer): void {
    const held = this.partialBytes + this.lines.reduce((sum, line) => sum + line.length + 1, 0);
    if (held + chunk.length > this.maxBytes) {
      this.clear();
      throw new Error(`a message exceeded the limit of ${this.maxBytes} bytes`);
    }
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      this.partial.push(chunk.subarray(start, end));
      this.lines.push(this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial));
      this.partial = [];
      this.partialBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      this.partial.push(chunk.subarray(start));
      this.partialBytes += chunk.length - start;
    }
  }

  /** The next complete message, or null; throws on a line that is not JSON-RPC. */
  readMessage(): JSONRPCMessage | null {
    const line = this.lines.shift();
    if (line === undefined) return null;
    return deserializeMessage(line.toString('utf8').replace(/\r$/, ''));
  }

  clear(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.lines = [];
  }
}
