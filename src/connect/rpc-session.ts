import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { JsonObject } from '../core/server-snapshot.js';
import { Fault } from '../errors.js';

/** An error response from the server: its JSON-RPC code and message. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** The connection ended (the server exited or closed the stream) before an answer came. */
export class ConnectionClosed extends Fault {
  constructor(message = 'the connection closed') {
    super('stdio-protocol', message);
  }
}

/** No answer in time. */
export class RequestTimeout extends Fault {
  constructor(method: string, ms: number) {
    super('timeout', `${method} not answered within ${ms} ms`);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Pending {
  method: string;
  resolve: (result: JsonObject) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A raw JSON-RPC client over any transport: what mcp-lock reads is exactly what the server sent (no SDK schema drops
 * or reshapes a field), in either protocol era. Requests the server sends back are answered without giving anything
 * away: no roots, no sampling, elicitation declined.
 */
export class RpcSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed: Error | undefined;
  /** Notifications the server sent, by method (a `list_changed` during a snapshot is worth knowing). */
  readonly notifications: string[] = [];

  constructor(private readonly transport: Transport) {
    transport.onmessage = (message) => this.receive(message as unknown as JsonObject);
    transport.onclose = () => this.fail(new ConnectionClosed());
    transport.onerror = (error) => {
      // Stream errors of HTTP transports arrive here; the request that suffered them fails with the cause.
      if (this.pending.size > 0) this.fail(error);
    };
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  private fail(error: Error): void {
    this.closed ??= error;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(error);
    }
  }

  private receive(message: JsonObject): void {
    if (typeof message.method === 'string') {
      if (message.id !== undefined && message.id !== null) this.answerServer(message.id, message.method);
      else this.notifications.push(message.method);
      return;
    }
    // An error the server could not tie to a request (id null: it could not read the id) answers the oldest one.
    const id = message.id === null && isObject(message.error) ? this.pending.keys().next().value : message.id;
    if (typeof id !== 'number') return;
    message = { ...message, id };
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (isObject(message.error)) {
      const code = typeof message.error.code === 'number' ? message.error.code : 0;
      const text = typeof message.error.message === 'string' ? message.error.message : 'error';
      p.reject(new RpcError(code, text));
    } else if (isObject(message.result)) {
      p.resolve(message.result);
    } else {
      p.reject(new RpcError(-32603, `${p.method} answered without a result object`));
    }
  }

  private answerServer(id: unknown, method: string): void {
    const reply = (body: JsonObject) => void this.send({ jsonrpc: '2.0', id, ...body });
    if (method === 'ping') reply({ result: {} });
    else if (method === 'roots/list') reply({ result: { roots: [] } });
    else if (method === 'elicitation/create') reply({ result: { action: 'decline' } });
    else if (method === 'sampling/createMessage')
      reply({ error: { code: -1, message: 'mcp-lock does not sample while taking a snapshot' } });
    else reply({ error: { code: -32601, message: 'Method not found' } });
  }

  private send(message: JsonObject): Promise<void> {
    return this.transport.send(message as unknown as JSONRPCMessage).catch((error: unknown) => {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** Sends a request and resolves with its result; rejects with RpcError, RequestTimeout or the connection's end. */
  request(method: string, params: JsonObject, timeoutMs: number): Promise<JsonObject> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeout(method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      void this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params?: JsonObject): Promise<void> {
    return this.send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
  }

  async close(): Promise<void> {
    this.fail(new ConnectionClosed('the session was closed'));
    await this.transport.close().catch(() => {});
  }
}
