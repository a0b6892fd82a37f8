import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/json-depth.js';
import { Fault } from '../errors.js';

/** A limit of SnapshotLimits was reached: the server gets `server-limit-exceeded`, not `server-unreachable`. */
export class LimitError extends Fault {
  constructor(message: string) {
    super('limit-exceeded', message);
  }
}

/**
 * Sits between a session and its transport to keep the first transport error (a session sees only "closed") and to
 * cap what a server may send: bytes per message, bytes in all, nesting depth.
 */
export class RecordingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  firstError: Error | undefined;
  private bytes = 0;

  constructor(
    readonly inner: Transport,
    private readonly limits: { maxMessageBytes: number; maxTotalBytes: number },
  ) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.error(error);
    inner.onmessage = (message) => this.receive(message);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  private error(error: Error): void {
    this.firstError ??= error;
    this.onerror?.(error);
  }

  private receive(message: JSONRPCMessage): void {
    try {
      this.admit(message);
    } catch (error) {
      // Nothing a server sends may throw past this point: it becomes this server's failure, the run goes on.
      this.error(error instanceof Error ? error : new Error(String(error)));
      void this.close();
    }
  }

  private admit(message: JSONRPCMessage): void {
    if (nestsDeeperThan(message, MAX_JSON_DEPTH)) {
      this.error(new LimitError(`a message nests deeper than ${MAX_JSON_DEPTH} levels`));
      void this.close();
      return;
    }
    const size = Buffer.byteLength(JSON.stringify(message));
    this.bytes += size;
    if (size > this.limits.maxMessageBytes) {
      this.error(
        new LimitError(`a message of ${size} bytes exceeded the limit of ${this.limits.maxMessageBytes}`),
      );
      void this.close();
      return;
    }
    if (this.bytes > this.limits.maxTotalBytes) {
      this.error(new LimitError(`the server sent more than ${this.limits.maxTotalBytes} bytes`));
      void this.close();
      return;
    }
    this.onmessage?.(message);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: Parameters<Transport['send']>[1]): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
