import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC "invalid request" and "parse error". */
const INVALID_REQUEST = -32600;
const PARSE_ERROR = -32700;

/**
 * The client's side of `mcp-lock run`: newline-delimited JSON-RPC on stdin and stdout, like the SDK's stdio server
 * transport, but a message too large or not JSON is answered with a JSON-RPC error (and reported through
 * `onrejected`) instead of ending the session without a word.
 */
export class ClientStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** A message that was refused before it could be read: how big it was and why. */
  onrejected?: (bytes: number, reason: string) => void;
  private chunks: Buffer[] = [];
  private pending = 0;
  private skipping = false;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly maxMessageBytes: number,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', (chunk: Buffer) => this.read(chunk));
    this.input.on('error', (error: Error) => this.onerror?.(error));
  }

  /** The id of a request that could not be parsed, from its first bytes, so the error answers it. */
  private static idIn(head: string): string | number | null {
    const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")/.exec(head);
    if (!match) return null;
    try {
      return JSON.parse(match[1]!) as string | number;
    } catch {
      return null;
    }
  }

  private refuse(head: string, bytes: number, code: number, reason: string): void {
    this.onrejected?.(bytes, reason);
    void this.send({
      jsonrpc: '2.0',
      id: ClientStdioTransport.idIn(head),
      error: { code, message: `mcp-lock: ${reason}` },
    } as unknown as JSONRPCMessage);
  }

  private read(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.chunks.push(chunk.subarray(start, newline));
      this.pending += newline - start;
      this.line();
      start = newline + 1;
    }
    if (start < chunk.length) {
      this.pending += chunk.length - start;
      if (!this.skipping) this.chunks.push(chunk.subarray(start));
      if (this.pending > this.maxMessageBytes && !this.skipping) {
        // Too large to hold: answer from its first bytes, then drop the rest until the line ends.
        this.skipping = true;
        this.refuse(
          Buffer.concat(this.chunks).subarray(0, 1024).toString('utf8'),
          this.pending,
          INVALID_REQUEST,
          `message larger than ${this.maxMessageBytes} bytes refused`,
        );
        this.chunks = [];
      }
    }
  }

  private line(): void {
    const bytes = this.pending;
    const skipped = this.skipping;
    const text = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.pending = 0;
    this.skipping = false;
    if (skipped || text.trim() === '') return;
    if (bytes > this.maxMessageBytes) {
      this.refuse(
        text.slice(0, 1024),
        bytes,
        INVALID_REQUEST,
        `message larger than ${this.maxMessageBytes} bytes refused`,
      );
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.refuse(text.slice(0, 1024), bytes, PARSE_ERROR, 'a message that is not JSON was refused');
      return;
    }
    this.onmessage?.(message as JSONRPCMessage);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.output.destroyed) return resolve();
      if (this.output.write(JSON.stringify(message) + '\n')) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
