import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { LineBuffer } from './line-buffer.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import {
  killMarkedUntilGone,
  LAUNCH_MARKER,
  signalGroup,
  trackChild,
  trackMarker,
  untrackChild,
  untrackMarker,
} from './children.js';
import { LimitError } from './recorder.js';
import { Fault } from '../errors.js';

export interface ProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  maxMessageBytes: number;
  maxStderrBytes: number;
  /** Everything the server writes to stderr, as it comes (`mcp-lock run` passes it on to the client's log). */
  onStderr?: (text: string) => void;
  /** Called once the server has exited (a sandbox removes its private home). */
  cleanup?: () => void;
  /**
   * Launched in a PID namespace that dies with it: what is still found by its marker after close is the namespace
   * going down (killed all the same), not a process that escaped.
   */
  confined?: boolean;
}

/** Raised through `onerror` when a server breaks the stdio framing: the snapshot reports it as the reason. */
export class StdioProtocolError extends Fault {
  constructor(message: string) {
    super('stdio-protocol', message);
  }
}

/** How long a server gets to exit after SIGTERM before its group is killed. */
const TERM_GRACE_MS = 500;

/** Whether `exited` settles within `ms`; the timer is cleared either way, so it never holds the process open. */
async function exitedWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((done) => (timer = setTimeout(() => done(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The SDK's StdioClientTransport, reshaped for untrusted servers: spawned without a shell in a process group of its
 * own (so `close` reaches the grandchildren of `npx`/`uvx`/`docker` too), with a bounded message size, stderr kept
 * to a bounded tail, and any non-JSON-RPC output on stdout treated as the protocol error the spec says it is.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly buffer: LineBuffer;
  private stderrTail = '';
  private exited: Promise<void> | undefined;
  private closed = false;
  private readonly marker = randomUUID();
  /**
   * After close: how many processes the server started outside its group were found and killed (null: this system
   * cannot look; undefined: never started, or not closed yet).
   */
  escaped: number | null | undefined;

  constructor(private readonly options: ProcessOptions) {
    this.buffer = new LineBuffer(options.maxMessageBytes);
  }

  get stderr(): string {
    return this.stderrTail;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        cwd: this.options.cwd,
        env: { ...this.options.env, [LAUNCH_MARKER]: this.marker },
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      trackChild(child);
      trackMarker(this.marker);
      this.exited = new Promise((done) => {
        child.once('exit', () => done());
        child.once('error', () => done());
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        untrackChild(child);
        const message =
          error.code === 'ENOENT'
            ? `command not found: ${this.options.command} (is it installed and on PATH?)`
            : `could not start ${this.options.command}: ${error.message}`;
        const failure = new StdioProtocolError(message);
        reject(failure);
        this.onerror?.(failure);
        this.finish();
      });
      child.once('spawn', () => resolve());
      // 'close' comes after stdout is drained, so a last response written just before exiting is still read.
      child.once('close', (code, signal) => {
        if (!this.closed) {
          this.onerror?.(
            new StdioProtocolError(
              `server exited ${signal ? `on ${signal}` : `with code ${code}`} before it was done`,
            ),
          );
        }
        this.finish();
      });
      child.stdin?.on('error', () => {
        // EPIPE after the server died: the exit handler reports it.
      });
      child.stdout?.on('data', (chunk: Buffer) => this.read(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.keepStderr(chunk));
    });
  }

  private read(chunk: Buffer): void {
    try {
      this.buffer.append(chunk);
    } catch {
      this.fail(new LimitError(`a message exceeded the limit of ${this.options.maxMessageBytes} bytes`));
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch {
        this.fail(new StdioProtocolError('the server wrote something that is not JSON-RPC to stdout'));
        return;
      }
      if (message === null) return;
      try {
        this.onmessage?.(message);
      } catch (error) {
        // A message the reader above could not handle ends this server's connection, never the run.
        this.fail(new StdioProtocolError(`a message could not be read: ${(error as Error).message}`));
        return;
      }
    }
  }

  private keepStderr(chunk: Buffer): void {
    this.options.onStderr?.(chunk.toString('utf8'));
    const max = this.options.maxStderrBytes;
    const text = this.stderrTail + chunk.toString('utf8');
    this.stderrTail = text.length > max ? text.slice(text.length - max) : text;
  }

  private fail(error: Error): void {
    this.buffer.clear();
    this.child?.stdout?.removeAllListeners('data');
    this.onerror?.(error);
    void this.close();
  }

  private cleaned = false;

  private cleanUp(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    try {
      this.options.cleanup?.();
    } catch {
      // A private home that cannot be removed is left in the temp folder; the run goes on.
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed) return resolve();
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the server and everything it started; resolves once the direct child is gone. */
  async close(): Promise<void> {
    const child = this.child;
    this.finish();
    if (!child) return this.cleanUp();
    child.stdin?.end();
    signalGroup(child, 'SIGTERM');
    const gone = await exitedWithin(this.exited!, TERM_GRACE_MS);
    // The direct child may be gone while a grandchild still holds the pipes: kill the group either way.
    signalGroup(child, 'SIGKILL');
    if (!gone) await exitedWithin(this.exited!, TERM_GRACE_MS);
    child.stdout?.destroy();
    child.stderr?.destroy();
    untrackChild(child);
    const found = await killMarkedUntilGone(this.marker, child.pid);
    this.escaped ??= this.options.confined && found !== null ? 0 : found;
    untrackMarker(this.marker);
    this.cleanUp();
  }
}
