import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { digest } from '../core/canonical.js';
import {
  gateInitialize,
  gateItems,
  type GateDecision,
  type GatedKind,
  type OnDrift,
} from '../core/proxy-gate.js';
import type { LockServer, SamplingPolicy } from '../core/lockfile/schema.js';
import { redactForLog, redactText } from '../core/redact.js';
import {
  admitSampling,
  DEFAULT_SAMPLING_TIMEOUT_SECONDS,
  modelAllowed,
  type SamplingUse,
} from '../core/sampling.js';
import type { ProxyLog, ProxyLogEntry } from './log.js';

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
const MAX_LOGGED_ERROR = 500;

const LISTS: Record<string, { kind: GatedKind; key: string }> = {
  'tools/list': { kind: 'tools', key: 'tools' },
  'prompts/list': { kind: 'prompts', key: 'prompts' },
  'resources/templates/list': { kind: 'resourceTemplates', key: 'resourceTemplates' },
};

const NOUN: Record<GateDecision['kind'], string> = {
  tools: 'tool',
  prompts: 'prompt',
  resourceTemplates: 'resource template',
  instructions: 'instructions',
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function size(value: unknown): { bytes: number; digest: string } {
  return { bytes: Buffer.byteLength(JSON.stringify(value ?? null)), digest: digest(value ?? null) };
}

/**
 * One client ↔ server session through the lockfile. Every request is forwarded under an id of mcp-lock's own, so
 * mcp-lock can ask the server questions of its own (the re-check after `list_changed`) and match every answer to
 * its request; lists are filtered on the way back, tool calls are checked on the way out, and sampling is held to
 * the lockfile's policy.
 */
export class ProxySession {
  private nextId = 1;
  private readonly toServer = new Map<Id, ToServer>();
  private readonly toClient = new Map<Id, ToClient>();
  private views: Record<GatedKind, Map<string, GateDecision>> = {
    tools: new Map(),
    prompts: new Map(),
    resourceTemplates: new Map(),
  };
  /** Whether the tool view reflects the server since its last `list_changed`. */
  private toolsFresh = false;
  private recheck: Promise<void> | undefined;
  private samplingUse: SamplingUse = { recent: [], tokens: 0 };
  private readonly warned = new Set<string>();
  private closing = false;
  private endSession!: () => void;
  /** Settles when either side has gone and the other was closed. */
  readonly ended: Promise<void> = new Promise((done) => (this.endSession = done));

  constructor(
    private readonly client: Transport,
    private readonly server: Transport,
    private readonly options: SessionOptions,
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
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

  private write(entry: Omit<ProxyLogEntry, 'time' | 'server'>): void {
    this.options.log.write({
      time: new Date(this.now()).toISOString(),
      server: this.options.server,
      ...entry,
    });
  }

  private send(to: Transport, message: Json): void {
    to.send(message as unknown as JSONRPCMessage).catch(() => {
      // The other side is gone: its onclose ends the session.
    });
  }

  private errorTo(to: Transport, id: Id, code: number, message: string): void {
    this.send(to, { jsonrpc: '2.0', id, error: { code, message } });
  }

  private body(params: unknown, result?: unknown): Pick<ProxyLogEntry, 'body'> {
    if (!this.options.logBodies) return {};
    return {
      body: {
        params: redactForLog(params, this.options.secrets),
        ...(result === undefined ? {} : { result: redactForLog(result, this.options.secrets) }),
      },
    };
  }

  private loggedError(error: unknown): { code: number; message: string } {
    const e = isObject(error) ? error : {};
    const message = typeof e.message === 'string' ? e.message : '';
    return {
      code: typeof e.code === 'number' ? e.code : 0,
      message: redactText(message, this.options.secrets).slice(0, MAX_LOGGED_ERROR),
    };
  }

  /** A line on stderr (the client's MCP log) the first time something is withheld, replaced or passed drifted. */
  private announce(decisions: readonly GateDecision[]): void {
    for (const d of decisions) {
      if (d.action === 'passed') continue;
      const key = `${d.kind}\u0000${d.name}\u0000${d.status}\u0000${d.action}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      const what = d.kind === 'instructions' ? 'the instructions' : `${NOUN[d.kind]} "${d.name}"`;
      const why =
        d.status === 'new' ? 'not in' : d.status === 'duplicate' ? 'listed twice; see' : 'changed since';
      this.options.warn(`${d.action} ${what}: ${why} ${this.options.lockDisplay}`);
    }
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
    const refusal =
      method === 'tools/call'
        ? await this.toolRefusal(name)
        : method === 'prompts/get'
          ? this.promptRefusal(name)
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
        ...this.body(params),
      });
      return;
    }
    const ours = this.nextId++;
    this.toServer.set(ours, pending);
    this.send(this.server, { jsonrpc: '2.0', id: ours, method, ...(params === undefined ? {} : { params }) });
  }

  private withheldMessage(noun: string, name: string, status: string): string {
    const why =
      status === 'new'
        ? `is not in ${this.options.lockDisplay}`
        : status === 'duplicate'
          ? 'is listed twice by the server'
          : `differs from ${this.options.lockDisplay}`;
    return `mcp-lock: ${noun} "${name}" of server "${this.options.server}" is withheld: it ${why}. Review the change with \`mcp-lock diff ${this.options.server}\` and accept it with \`mcp-lock update ${this.options.server}\`.`;
  }

  /** Why a tool call may not go through, or undefined when it may; the tool view is brought up to date first. */
  private async toolRefusal(name: string | undefined): Promise<string | undefined> {
    if (name === undefined) return undefined;
    if (!this.toolsFresh || !this.views.tools.has(name)) {
      try {
        await this.recheckTools();
      } catch (error) {
        return `mcp-lock: the tools of server "${this.options.server}" could not be checked against ${this.options.lockDisplay} (${error instanceof Error ? error.message : String(error)}), so no tool call goes through`;
      }
    }
    const decision = this.views.tools.get(name);
    if (!decision) {
      return name in this.options.locked.tools
        ? `mcp-lock: tool "${name}" of server "${this.options.server}" is not offered by the server any more`
        : this.withheldMessage('tool', name, 'new');
    }
    return decision.action === 'withheld' ? this.withheldMessage('tool', name, decision.status) : undefined;
  }

  private promptRefusal(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    const decision = this.views.prompts.get(name);
    if (decision?.action === 'withheld') return this.withheldMessage('prompt', name, decision.status);
    if (!decision && !(name in this.options.locked.prompts))
      return this.withheldMessage('prompt', name, 'new');
    return undefined;
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
    const duration = this.now() - pending.started;
    const base = {
      type: 'request' as const,
      from: 'server' as const,
      method: pending.method,
      id: pending.originalId,
      durationMs: duration,
      params: size(pending.params),
    };
    if (pending.method === 'sampling/createMessage' && isObject(message.result)) {
      const policy = this.options.sampling!;
      if (!modelAllowed(policy, message.result.model)) {
        const reason = `mcp-lock: sampling answered by model ${JSON.stringify(message.result.model)}, which the policy in ${this.options.lockDisplay} does not allow`;
        this.errorTo(this.server, pending.originalId, SAMPLING_REJECTED, reason);
        this.write({ ...base, outcome: 'refused', reason, result: size(message.result) });
        return;
      }
    }
    if (message.error !== undefined) {
      this.write({
        ...base,
        outcome: 'error',
        error: this.loggedError(message.error),
        ...this.body(pending.params),
      });
    } else {
      this.write({
        ...base,
        outcome: 'ok',
        result: size(message.result),
        ...this.body(pending.params, message.result),
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
      const admission = admitSampling(this.options.sampling, this.samplingUse, params, started);
      if (!admission.allow) {
        const reason = `mcp-lock: sampling refused: ${admission.reason} (${this.options.lockDisplay})`;
        this.errorTo(this.server, id, SAMPLING_REJECTED, reason);
        this.options.warn(`refused a sampling request: ${admission.reason}`);
        this.write({
          type: 'request',
          from: 'server',
          method,
          id,
          outcome: 'refused',
          reason,
          params: size(params),
          ...this.body(params),
        });
        return;
      }
      this.samplingUse = admission.use;
    }
    const ours = this.nextId++;
    const pending: ToClient = { originalId: id, method, params, started };
    if (method === 'sampling/createMessage') {
      const seconds = this.options.sampling?.timeoutSeconds ?? DEFAULT_SAMPLING_TIMEOUT_SECONDS;
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
      this.toolsFresh = false;
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
      const gated = this.gateResult(pending, result);
      result = gated.result;
      decisions = gated.decisions;
    }
    const entry: Omit<ProxyLogEntry, 'time' | 'server'> = {
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
        ? { error: this.loggedError(message.error) }
        : { result: size(result) }),
      ...(decisions && decisions.length > 0 ? { decisions } : {}),
      ...this.body(pending.params, message.error === undefined ? result : undefined),
    };
    this.write(entry);
    this.send(this.client, {
      ...message,
      id: pending.originalId,
      ...(message.error === undefined ? { result } : {}),
    });
  }

  /** Lists and the initialize result, as the client may see them. Only drift is kept in the decisions logged. */
  private gateResult(pending: ToServer, result: Json): { result: Json; decisions: GateDecision[] } {
    const { locked, onDrift, secrets } = this.options;
    if (pending.method === 'initialize') {
      const gated = gateInitialize(result, locked, secrets);
      this.announce(gated.decisions);
      return gated;
    }
    const list = LISTS[pending.method];
    if (!list || !Array.isArray(result[list.key])) return { result, decisions: [] };
    if (pending.firstPage) this.views[list.kind] = new Map();
    const view = this.views[list.kind];
    const gated = gateItems(
      list.kind,
      result[list.key] as unknown[],
      locked,
      onDrift,
      secrets,
      new Set(view.keys()),
    );
    for (const d of gated.decisions) view.set(d.name, d);
    if (list.kind === 'tools' && pending.firstPage) this.toolsFresh = true;
    this.announce(gated.decisions);
    return {
      result: { ...result, [list.key]: gated.items },
      decisions: gated.decisions.filter((d) => d.status !== 'locked'),
    };
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
          else reject(new Error(`${method} failed: ${this.loggedError(message.error).message}`));
        },
      });
      this.send(this.server, { jsonrpc: '2.0', id: ours, method, params });
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
          const tools = Array.isArray(result.tools) ? (result.tools as unknown[]) : [];
          const gated = gateItems(
            'tools',
            tools,
            this.options.locked,
            this.options.onDrift,
            this.options.secrets,
            new Set(view.keys()),
          );
          for (const d of gated.decisions) view.set(d.name, d);
          cursor = result.nextCursor;
          if (typeof cursor !== 'string' || cursor === '') break;
        }
        this.views.tools = view;
        this.toolsFresh = true;
        const drift = [...view.values()].filter((d) => d.status !== 'locked');
        this.announce(drift);
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
