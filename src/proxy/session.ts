import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { LockServer, SamplingPolicy } from '../core/lockfile/schema.js';
import type { GateDecision, OnDrift } from '../core/proxy-gate.js';
import { redactText } from '../core/redact.js';
import { LockedViews } from './locked-views.js';
import type { ProxyLog } from './log.js';
import { SamplingGuard } from './sampling-guard.js';
import { SessionLogger, size, type SessionEntry } from './session-log.js';

type Id = string | number;
type Json = Record<string, unknown>;

export interface SessionOptions {
  /** The server's name in the lockfile. */
  server: string;
  locked: LockServer;
  lockDisplay: string;
  onDrift: OnDrift;
  sampling: SamplingPolicy | undefined;
  /** Values the config handed the server: compared redacted, as install recorded them, and never logged. */
  secrets: readonly string[];
  logBodies: boolean;
  log: ProxyLog;
  warn: (text: string) => void;
  /** How long mcp-lock's own re-check of the tool list may take. */
  requestTimeoutMs: number;
  now?: () => number;
}

/** A request on its way to the server: from the client (answered to it) or from mcp-lock itself. */
interface ToServer {
  from: 'client' | 'proxy';
  originalId: Id;
  method: string;
  params: unknown;
  started: number;
  tool?: string;
  prompt?: string;
  /** A list request with no cursor starts a fresh view of what the server offers. */
  firstPage: boolean;
  answer?: (message: Json) => void;
}

/** A request from the server on its way to the client (sampling, elicitation, roots, ping). */
interface ToClient {
  originalId: Id;
  method: string;
  params: unknown;
  started: number;
  timer?: NodeJS.Timeout;
}

/** JSON-RPC "invalid params": what SDK clients already show for a tool that does not exist. */
const INVALID_PARAMS = -32602;
/** What the MCP spec suggests for a sampling request the user declined. */
const SAMPLING_REJECTED = -1;
const INTERNAL_ERROR = -32603;
const MAX_PAGES = 100;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One client ↔ server session through the lockfile: the relay. Every request is forwarded under an id of mcp-lock's
 * own, so mcp-lock can ask the server questions of its own (the re-check after `list_changed`) and match every answer
 * to its request. What may pass is `LockedViews`' call, sampling is `SamplingGuard`'s, the log is `SessionLogger`'s.
 */
export class ProxySession {
  private nextId = 1;
  private readonly toServer = new Map<Id, ToServer>();
  private readonly toClient = new Map<Id, ToClient>();
  private readonly views: LockedViews;
  private readonly sampling: SamplingGuard;
  private readonly logger: SessionLogger;
  private recheck: Promise<void> | undefined;
  /** The 2026-07-28 envelope the client sends with each request: mcp-lock's own requests carry the same one. */
  private envelope: Json | undefined;
  private closing = false;
  private endSession!: () => void;
  /** Settles when either side has gone and the other was closed. */
  readonly ended: Promise<void> = new Promise((done) => (this.endSession = done));

  constructor(
    private readonly client: Transport,
    private readonly server: Transport,
    private readonly options: SessionOptions,
  ) {
    this.views = new LockedViews(options);
    this.sampling = new SamplingGuard(options.sampling, options.lockDisplay);
    this.logger = new SessionLogger(options.log, {
      server: options.server,
      secrets: options.secrets,
      logBodies: options.logBodies,
      now: () => this.now(),
    });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
    const rejecting = this.client as Transport & { onrejected?: (bytes: number, reason: string) => void };
    rejecting.onrejected = (bytes, reason) =>
      this.write({
        type: 'request',
        from: 'client',
        outcome: 'refused',
        reason,
        params: { bytes, digest: '' },
      });
    this.client.onmessage = (m) => this.fromClient(m as unknown as Json);
    this.server.onmessage = (m) => this.fromServer(m as unknown as Json);
    this.client.onclose = () => void this.close('the client disconnected');
    this.server.onclose = () => void this.close('the server exited');
    this.client.onerror = (e) => this.options.warn(`client: ${e.message}`);
    this.server.onerror = (e) => this.options.warn(`server: ${redactText(e.message, this.options.secrets)}`);
    await this.server.start();
    await this.client.start();
    this.write({ type: 'session', outcome: 'started' });
  }

  private write(entry: SessionEntry): void {
    this.logger.write(entry);
  }

  private send(to: Transport, message: Json): void {
    to.send(message as unknown as JSONRPCMessage).catch(() => {
      // The other side is gone: its onclose ends the session.
    });
  }

  private errorTo(to: Transport, id: Id, code: number, message: string): void {
    this.send(to, { jsonrpc: '2.0', id, error: { code, message } });
  }

  private fromClient(message: Json): void {
    if (typeof message.method === 'string' && message.id !== undefined) {
      void this.clientRequest(message.id as Id, message.method, message.params);
    } else if (typeof message.method === 'string') {
      this.clientNotification(message);
    } else if (message.id !== undefined) {
      this.clientResponse(message);
    }
  }

  private async clientRequest(id: Id, method: string, params: unknown): Promise<void> {
    const p = isObject(params) ? params : {};
    if (isObject(p._meta) && typeof p._meta['io.modelcontextprotocol/protocolVersion'] === 'string') {
      this.envelope = p._meta;
    }
    const name = typeof p.name === 'string' ? p.name : undefined;
    const pending: ToServer = {
      from: 'client',
      originalId: id,
      method,
      params,
      started: this.now(),
      firstPage: p.cursor === undefined,
      ...(method === 'tools/call' && name !== undefined ? { tool: name } : {}),
      ...(method === 'prompts/get' && name !== undefined ? { prompt: name } : {}),
    };
    const named = method === 'tools/call' || method === 'prompts/get';
    const refusal =
      named && typeof p.name !== 'string'
        ? `mcp-lock: ${method} needs a name that is a string`
        : method === 'tools/call'
          ? await this.toolRefusal(name)
          : method === 'prompts/get' && name !== undefined
            ? this.views.promptRefusal(name)
            : undefined;
    if (refusal !== undefined) {
      this.errorTo(this.client, id, INVALID_PARAMS, refusal);
      this.write({
        type: 'request',
        from: 'client',
        method,
        id,
        ...(pending.tool !== undefined ? { tool: pending.tool } : {}),
        ...(pending.prompt !== undefined ? { prompt: pending.prompt } : {}),
        outcome: 'refused',
        reason: refusal,
        params: size(params),
        ...this.logger.body(params),
      });
      return;
    }
    const ours = this.nextId++;
    this.toServer.set(ours, pending);
    this.send(this.server, { jsonrpc: '2.0', id: ours, method, ...(params === undefined ? {} : { params }) });
  }

  /** Why a tool call may not go through, or undefined when it may; the tool view is brought up to date first. */
  private async toolRefusal(name: string | undefined): Promise<string | undefined> {
    if (name === undefined) return undefined;
    if (!this.views.toolsFresh || !this.views.hasTool(name)) {
      try {
        await this.recheckTools();
      } catch (error) {
        return `mcp-lock: the tools of server "${this.options.server}" could not be checked against ${this.options.lockDisplay} (${error instanceof Error ? error.message : String(error)}), so no tool call goes through`;
      }
    }
    return this.views.toolRefusal(name);
  }

  private clientNotification(message: Json): void {
    const method = message.method as string;
    let forward = message;
    if (method === 'notifications/cancelled' && isObject(message.params)) {
      const requestId = message.params.requestId;
      const ours = [...this.toServer].find(([, p]) => p.from === 'client' && p.originalId === requestId)?.[0];
      if (ours === undefined) return;
      forward = { ...message, params: { ...message.params, requestId: ours } };
    }
    this.write({ type: 'notification', from: 'client', method, outcome: 'forwarded' });
    this.send(this.server, forward);
  }

  private clientResponse(message: Json): void {
    const pending = this.toClient.get(message.id as Id);
    // Unknown: answered after mcp-lock gave up on it (timeout) — the server has had its answer.
    if (!pending) return;
    this.toClient.delete(message.id as Id);
    clearTimeout(pending.timer);
    const base = {
      type: 'request' as const,
      from: 'server' as const,
      method: pending.method,
      id: pending.originalId,
      durationMs: this.now() - pending.started,
      params: size(pending.params),
    };
    if (pending.method === 'sampling/createMessage' && isObject(message.result)) {
      const reason = this.sampling.answerRefusal(message.result);
      if (reason !== undefined) {
        this.errorTo(this.server, pending.originalId, SAMPLING_REJECTED, reason);
        this.write({ ...base, outcome: 'refused', reason, result: size(message.result) });
        return;
      }
    }
    if (message.error !== undefined) {
      this.write({
        ...base,
        outcome: 'error',
        error: this.logger.error(message.error),
        ...this.logger.body(pending.params),
      });
    } else {
      this.write({
        ...base,
        outcome: 'ok',
        result: size(message.result),
        ...this.logger.body(pending.params, message.result),
      });
    }
    this.send(this.server, { ...message, id: pending.originalId });
  }

  private fromServer(message: Json): void {
    if (typeof message.method === 'string' && message.id !== undefined) {
      this.serverRequest(message.id as Id, message.method, message.params);
    } else if (typeof message.method === 'string') {
      this.serverNotification(message);
    } else if (message.id !== undefined && message.id !== null) {
      this.serverResponse(message);
    }
  }

  private serverRequest(id: Id, method: string, params: unknown): void {
    const started = this.now();
    if (method === 'sampling/createMessage') {
      const refused = this.sampling.refusal(params, started);
      if (refused !== undefined) {
        const reason = `mcp-lock: sampling refused: ${refused} (${this.options.lockDisplay})`;
        this.errorTo(this.server, id, SAMPLING_REJECTED, reason);
        this.options.warn(`refused a sampling request: ${refused}`);
        this.write({
          type: 'request',
          from: 'server',
          method,
          id,
          outcome: 'refused',
          reason,
          params: size(params),
          ...this.logger.body(params),
        });
        return;
      }
    }
    const ours = this.nextId++;
    const pending: ToClient = { originalId: id, method, params, started };
    if (method === 'sampling/createMessage') {
      const seconds = this.sampling.timeoutSeconds;
      pending.timer = setTimeout(() => this.samplingTimedOut(ours, seconds), seconds * 1000);
      pending.timer.unref();
    }
    this.toClient.set(ours, pending);
    this.send(this.client, { jsonrpc: '2.0', id: ours, method, ...(params === undefined ? {} : { params }) });
  }

  private samplingTimedOut(ours: Id, seconds: number): void {
    const pending = this.toClient.get(ours);
    if (!pending) return;
    this.toClient.delete(ours);
    const reason = `mcp-lock: sampling not answered within ${seconds} s (the policy's timeout)`;
    this.errorTo(this.server, pending.originalId, SAMPLING_REJECTED, reason);
    this.send(this.client, {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: ours, reason: 'timed out' },
    });
    this.write({
      type: 'request',
      from: 'server',
      method: pending.method,
      id: pending.originalId,
      outcome: 'timeout',
      reason,
      durationMs: this.now() - pending.started,
      params: size(pending.params),
    });
  }

  private serverNotification(message: Json): void {
    const method = message.method as string;
    let forward = message;
    if (method === 'notifications/cancelled' && isObject(message.params)) {
      const requestId = message.params.requestId;
      const ours = [...this.toClient].find(([, p]) => p.originalId === requestId)?.[0];
      if (ours === undefined) return;
      clearTimeout(this.toClient.get(ours)!.timer);
      this.toClient.delete(ours);
      forward = { ...message, params: { ...message.params, requestId: ours } };
    }
    if (method === 'notifications/tools/list_changed') {
      // What the client is about to list again is checked now, so no call slips through on the old view.
      this.views.toolsFresh = false;
      this.recheckTools().catch(() => {});
    }
    this.write({ type: 'notification', from: 'server', method, outcome: 'forwarded' });
    this.send(this.client, forward);
  }

  private serverResponse(message: Json): void {
    const pending = this.toServer.get(message.id as Id);
    if (!pending) return;
    this.toServer.delete(message.id as Id);
    if (pending.answer) {
      pending.answer(message);
      return;
    }
    let result = message.result;
    let decisions: GateDecision[] | undefined;
    if (isObject(result) && message.error === undefined) {
      const gated = this.views.gate(pending.method, pending.firstPage, result);
      result = gated.result;
      decisions = gated.decisions;
    }
    if (pending.prompt !== undefined && isObject(result) && message.error === undefined) {
      const args = isObject(pending.params) ? pending.params.arguments : undefined;
      const refusal = this.views.promptBodyRefusal(pending.prompt, args, result);
      if (refusal !== undefined) {
        this.errorTo(this.client, pending.originalId, INVALID_PARAMS, refusal);
        this.write({
          type: 'request',
          from: 'client',
          method: pending.method,
          id: pending.originalId,
          prompt: pending.prompt,
          outcome: 'refused',
          reason: refusal,
          durationMs: this.now() - pending.started,
          params: size(pending.params),
          result: size(result),
        });
        return;
      }
    }
    this.write({
      type: 'request',
      from: 'client',
      method: pending.method,
      id: pending.originalId,
      ...(pending.tool !== undefined ? { tool: pending.tool } : {}),
      ...(pending.prompt !== undefined ? { prompt: pending.prompt } : {}),
      outcome: message.error !== undefined ? 'error' : 'ok',
      durationMs: this.now() - pending.started,
      params: size(pending.params),
      ...(message.error !== undefined
        ? { error: this.logger.error(message.error) }
        : { result: size(result) }),
      ...(decisions && decisions.length > 0 ? { decisions } : {}),
      ...this.logger.body(pending.params, message.error === undefined ? result : undefined),
    });
    this.send(this.client, {
      ...message,
      id: pending.originalId,
      ...(message.error === undefined ? { result } : {}),
    });
  }

  /** Asks the server something on mcp-lock's own account. */
  private ask(method: string, params: Json): Promise<Json> {
    return new Promise((resolve, reject) => {
      const ours = this.nextId++;
      const timer = setTimeout(() => {
        this.toServer.delete(ours);
        reject(new Error(`${method} not answered within ${this.options.requestTimeoutMs} ms`));
      }, this.options.requestTimeoutMs);
      timer.unref();
      this.toServer.set(ours, {
        from: 'proxy',
        originalId: ours,
        method,
        params,
        started: this.now(),
        firstPage: params.cursor === undefined,
        answer: (message) => {
          clearTimeout(timer);
          if (isObject(message.result)) resolve(message.result);
          else reject(new Error(`${method} failed: ${this.logger.error(message.error).message}`));
        },
      });
      const withEnvelope = this.envelope ? { ...params, _meta: this.envelope } : params;
      this.send(this.server, { jsonrpc: '2.0', id: ours, method, params: withEnvelope });
    });
  }

  /** Lists the server's tools afresh (every page) and makes that the view calls are checked against. */
  private recheckTools(): Promise<void> {
    this.recheck ??= (async () => {
      const started = this.now();
      const view = new Map<string, GateDecision>();
      try {
        let cursor: unknown;
        for (let page = 0; page < MAX_PAGES; page++) {
          const result = await this.ask('tools/list', cursor === undefined ? {} : { cursor });
          this.views.gateToolPage(Array.isArray(result.tools) ? (result.tools as unknown[]) : [], view);
          cursor = result.nextCursor;
          if (typeof cursor !== 'string' || cursor === '') break;
        }
        const drift = this.views.replaceTools(view);
        this.write({
          type: 'recheck',
          from: 'proxy',
          method: 'tools/list',
          outcome: 'ok',
          durationMs: this.now() - started,
          ...(drift.length > 0 ? { decisions: drift } : {}),
        });
      } catch (error) {
        this.write({
          type: 'recheck',
          from: 'proxy',
          method: 'tools/list',
          outcome: 'error',
          durationMs: this.now() - started,
          reason: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        this.recheck = undefined;
      }
    })();
    return this.recheck;
  }

  /** Ends the session from either side: what is still waiting gets an answer, and both transports are closed. */
  async close(why: string): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const [ours, pending] of this.toServer) {
      this.toServer.delete(ours);
      if (pending.from === 'client') {
        this.errorTo(this.client, pending.originalId, INTERNAL_ERROR, `mcp-lock: ${why} before answering`);
        this.write({
          type: 'request',
          from: 'client',
          method: pending.method,
          id: pending.originalId,
          outcome: 'unanswered',
          reason: why,
        });
      }
    }
    for (const pending of this.toClient.values()) clearTimeout(pending.timer);
    this.toClient.clear();
    this.write({ type: 'session', outcome: 'ended', reason: why });
    await Promise.allSettled([this.server.close(), this.client.close()]);
    this.endSession();
  }
}
