import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  LEGACY_PROTOCOL_VERSION,
  MODERN_PROTOCOL_VERSION,
  type ObservedIdentity,
  type ProtocolEra,
} from '../core/client-identities.js';
import type { JsonObject, ServerSnapshot, SnapshotLimits, SnapshotResult } from '../core/server-snapshot.js';
import type { ServerSpec } from '../core/server-spec.js';
import type { VariableContext } from '../core/vars.js';
import { secretArguments } from '../core/lockfile/source.js';
import { configSecrets, redactDeep, redactText } from '../core/redact.js';
import { passedOnSecrets, serverEnvironment } from './env.js';
import { boundedFetch } from './http.js';
import { LaunchError, resolveLaunch, type Launch } from './launch.js';
import { HttpStatusError, ModernHttpTransport } from './modern-http.js';
import { LimitError, RecordingTransport } from './recorder.js';
import { ConnectionClosed, RequestTimeout, RpcError, RpcSession } from './rpc-session.js';
import { ProcessTransport } from './stdio.js';
import type { Permissions } from '../core/lockfile/schema.js';
import type { Sandbox } from '../sandbox/index.js';

/** The SDK's transports for servers of the 2025 revisions over HTTP: loaded when one is reached (~30 ms to load). */
interface LegacyHttp {
  sse: typeof import('@modelcontextprotocol/sdk/client/sse.js');
  streamable: typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js');
}
let legacyHttpModules: LegacyHttp | undefined;

async function loadLegacyHttp(): Promise<LegacyHttp> {
  return (legacyHttpModules ??= {
    sse: await import('@modelcontextprotocol/sdk/client/sse.js'),
    streamable: await import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  });
}

export interface SnapshotOptions {
  timeoutMs: number;
  limits: SnapshotLimits;
  /** Who mcp-lock says it is: the identity of the client that loads the server. */
  identity: ObservedIdentity;
  /** `probe`: `server/discover` first, `initialize` when the server is not a 2026-07-28 one; or exactly one era. */
  era: 'probe' | ProtocolEra;
  variables: VariableContext;
  /** The environment mcp-lock runs in; servers get only a minimal base of it (connect/env.ts). */
  parentEnv: Readonly<Record<string, string | undefined>>;
  /** What a stdio server is launched in, with what it may do there (the lock's permissions). */
  sandbox?: Sandbox;
  permissions?: Permissions;
}

const LISTS = [
  { method: 'tools/list', key: 'tools', capability: 'tools' },
  { method: 'prompts/list', key: 'prompts', capability: 'prompts' },
  { method: 'resources/list', key: 'resources', capability: 'resources' },
  { method: 'resources/templates/list', key: 'resourceTemplates', capability: 'resources' },
] as const;

/** JSON-RPC "method not found". */
const METHOD_NOT_FOUND = -32601;
/** How long a stdio server gets to answer `server/discover` before it is taken for a legacy one. */
const PROBE_MS = 10_000;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Result fields that describe the answer, not what it offers (2026-07-28): never part of a pin. */
function withoutWireFields(result: JsonObject): JsonObject {
  const { resultType: _t, ttlMs: _ttl, cacheScope: _scope, _meta: _m, ...rest } = result;
  return rest;
}

class Deadline extends Error {}

/** One connection to a server: its session, what it recorded, and how to end it. */
interface Connection {
  session: RpcSession;
  recorder: RecordingTransport;
  transport: Transport;
  stderr: () => string;
  escaped?: () => number | null | undefined;
}

/** A phase name for messages ("timed out during tools/list"). */
type Phase = (name: string) => void;

class Observer {
  private readonly started = Date.now();
  private readonly limit: { hit?: Error } = {};
  readonly connections: Connection[] = [];

  constructor(
    readonly spec: ServerSpec,
    private readonly launch: Launch,
    readonly options: SnapshotOptions,
  ) {}

  remaining(): number {
    return Math.max(1, this.options.timeoutMs - (Date.now() - this.started));
  }

  get limitHit(): Error | undefined {
    return this.limit.hit;
  }

  private closed = false;

  private connection(
    transport: Transport,
    stderr: () => string,
    escaped?: () => number | null | undefined,
  ): Connection {
    // Past the deadline, the observation goes on only until its next step: nothing new is started.
    if (this.closed) throw new Deadline();
    const recorder = new RecordingTransport(transport, this.options.limits);
    const connection = {
      session: new RpcSession(recorder),
      recorder,
      transport,
      stderr,
      ...(escaped ? { escaped } : {}),
    };
    this.connections.push(connection);
    return connection;
  }

  /** A fresh stdio process. */
  process(): Connection {
    const { launch, options } = this;
    const plain = {
      command: launch.command!,
      args: launch.args,
      cwd: launch.cwd,
      env: serverEnvironment(options.parentEnv, launch.env, launch.command),
    };
    const child = new ProcessTransport({
      ...plain,
      ...options.sandbox?.wrap(plain, options.permissions),
      maxMessageBytes: options.limits.maxMessageBytes,
      maxStderrBytes: options.limits.maxStderrBytes,
    });
    return this.connection(
      child,
      () => child.stderr,
      () => child.escaped,
    );
  }

  private fetch() {
    return boundedFetch(this.options.limits.maxTotalBytes, (e) => (this.limit.hit ??= e));
  }

  modernHttp(): Connection {
    const transport = new ModernHttpTransport(new URL(this.launch.url!), {
      headers: this.launch.headers,
      fetch: this.fetch(),
    });
    return this.connection(transport, () => '');
  }

  async legacyHttp(kind: 'http' | 'sse'): Promise<Connection> {
    const url = new URL(this.launch.url!);
    const init = { requestInit: { headers: this.launch.headers }, fetch: this.fetch() };
    const { sse, streamable } = await loadLegacyHttp();
    const transport =
      kind === 'sse'
        ? new sse.SSEClientTransport(url, init)
        : new streamable.StreamableHTTPClientTransport(url, init);
    return this.connection(transport, () => '');
  }

  /** The envelope every 2026-07-28 request carries: who asks, in which revision, able to do what. */
  envelope(): JsonObject {
    const { identity } = this.options;
    return {
      'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
      'io.modelcontextprotocol/clientInfo': { name: identity.name, version: identity.version },
      'io.modelcontextprotocol/clientCapabilities': identity.capabilities,
    };
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all(this.connections.map((c) => c.session.close()));
  }
}

/**
 * `server/discover`: the modern handshake. Resolves with the discover result when the server speaks 2026-07-28,
 * with null when it answered in a way that means "legacy" (an error, an unknown method, no modern version).
 */
async function discover(
  observer: Observer,
  connection: Connection,
  probeMs: number,
): Promise<JsonObject | null> {
  try {
    const result = await connection.session.request(
      'server/discover',
      { _meta: observer.envelope() },
      Math.min(probeMs, observer.remaining()),
    );
    const versions = Array.isArray(result.supportedVersions) ? result.supportedVersions : [];
    return versions.includes(MODERN_PROTOCOL_VERSION) ? result : null;
  } catch (error) {
    if (error instanceof RpcError || error instanceof HttpStatusError) return null;
    throw error;
  }
}

async function listAll(
  observer: Observer,
  connection: Connection,
  list: (typeof LISTS)[number],
  extra: JsonObject,
  limits: SnapshotLimits,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > limits.maxPages)
      throw new LimitError(`${list.method} went on for more than ${limits.maxPages} pages`);
    const result = await connection.session.request(
      list.method,
      { ...extra, ...(cursor === undefined ? {} : { cursor }) },
      observer.remaining(),
    );
    const batch = result[list.key];
    if (!Array.isArray(batch) || !batch.every(isObject)) {
      throw new Error(`${list.method} answered without a "${list.key}" array of objects`);
    }
    items.push(...batch);
    if (items.length > limits.maxItems)
      throw new LimitError(`${list.method} listed more than ${limits.maxItems} items`);
    const next = result.nextCursor;
    if (next === undefined || next === null || next === '') return items;
    if (typeof next !== 'string')
      throw new Error(`${list.method} answered with a nextCursor that is not a string`);
    if (cursors.has(next))
      throw new LimitError(`${list.method} repeated the cursor ${JSON.stringify(next).slice(0, 40)}`);
    cursors.add(next);
    cursor = next;
  }
}

/** A prompt whose body can be fetched without asking anyone for an argument. */
function fetchable(prompt: JsonObject): boolean {
  const args = Array.isArray(prompt.arguments) ? prompt.arguments : [];
  return args.every((a) => !(isObject(a) && a.required === true));
}

/** Everything the server offers, listed in one era; prompt bodies fetched where no argument is required. */
async function readOffer(
  observer: Observer,
  connection: Connection,
  base: Omit<ServerSnapshot, 'tools' | 'prompts' | 'resources' | 'resourceTemplates' | 'promptBodies'>,
  extra: JsonObject,
  limits: SnapshotLimits,
  phase: Phase,
): Promise<ServerSnapshot> {
  const snapshot: ServerSnapshot = { ...base, tools: [], prompts: [], resources: [], resourceTemplates: [] };
  for (const list of LISTS) {
    if (base.capabilities[list.capability] === undefined) continue;
    phase(list.method);
    try {
      snapshot[list.key] = await listAll(observer, connection, list, extra, limits);
    } catch (error) {
      // resources/templates/list is optional even for servers with resources.
      if (
        list.method === 'resources/templates/list' &&
        error instanceof RpcError &&
        error.code === METHOD_NOT_FOUND
      )
        continue;
      throw error;
    }
  }
  const bodies: Record<string, JsonObject> = {};
  for (const prompt of snapshot.prompts) {
    if (typeof prompt.name !== 'string' || !fetchable(prompt) || Object.hasOwn(bodies, prompt.name)) continue;
    phase('prompts/get');
    try {
      const body = await connection.session.request(
        'prompts/get',
        { ...extra, name: prompt.name, arguments: {} },
        observer.remaining(),
      );
      Object.defineProperty(bodies, prompt.name, { value: withoutWireFields(body), enumerable: true });
    } catch (error) {
      // A prompt that cannot be fetched without arguments after all is pinned by its definition alone.
      if (!(error instanceof RpcError)) throw error;
    }
  }
  if (Object.keys(bodies).length > 0) snapshot.promptBodies = bodies;
  return snapshot;
}

async function legacy(
  observer: Observer,
  connection: Connection,
  limits: SnapshotLimits,
  phase: Phase,
): Promise<ServerSnapshot> {
  const { identity } = observer.options;
  phase('initialize');
  const init = await connection.session.request(
    'initialize',
    {
      protocolVersion: LEGACY_PROTOCOL_VERSION,
      capabilities: identity.capabilities,
      clientInfo: {
        name: identity.name,
        version: identity.version,
        ...(identity.title ? { title: identity.title } : {}),
      },
    },
    observer.remaining(),
  );
  const protocolVersion = typeof init.protocolVersion === 'string' ? init.protocolVersion : '';
  connection.transport.setProtocolVersion?.(protocolVersion);
  await connection.session.notify('notifications/initialized');
  const base: Parameters<typeof readOffer>[2] = {
    protocolVersion,
    serverInfo: isObject(init.serverInfo) ? init.serverInfo : {},
    capabilities: isObject(init.capabilities) ? init.capabilities : {},
  };
  if (typeof init.instructions === 'string') base.instructions = init.instructions;
  return readOffer(observer, connection, base, {}, limits, phase);
}

async function modern(
  observer: Observer,
  connection: Connection,
  discovered: JsonObject,
  limits: SnapshotLimits,
  phase: Phase,
): Promise<ServerSnapshot> {
  const meta = isObject(discovered._meta) ? discovered._meta : {};
  const serverInfo = meta['io.modelcontextprotocol/serverInfo'];
  const base: Parameters<typeof readOffer>[2] = {
    protocolVersion: MODERN_PROTOCOL_VERSION,
    serverInfo: isObject(serverInfo) ? serverInfo : {},
    capabilities: isObject(discovered.capabilities) ? discovered.capabilities : {},
  };
  if (typeof discovered.instructions === 'string') base.instructions = discovered.instructions;
  return readOffer(observer, connection, base, { _meta: observer.envelope() }, limits, phase);
}

function describe(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^MCP error -?\d+: /, '');
  const status =
    // An SDK transport's error can only come once the transports were loaded.
    legacyHttpModules &&
    (error instanceof legacyHttpModules.streamable.StreamableHTTPError ||
      error instanceof legacyHttpModules.sse.SseError)
      ? error.code
      : error instanceof HttpStatusError
        ? error.status
        : undefined;
  if (status === 401 || status === 403) {
    return `HTTP ${status}: the server wants credentials (set its headers in the config): ${message.replace(/^HTTP \d+: /, '')}`;
  }
  return status === undefined || message.startsWith('HTTP ') ? message : `HTTP ${status}: ${message}`;
}

/**
 * One observation of a server in the era asked for. stdio: one process, probed with `server/discover` when the
 * identity (or the caller) wants the modern era; an error or no modern version means legacy, and `initialize` follows
 * on the same process; a process that died of the probe, or kept silent, is started afresh for `initialize`. HTTP:
 * a modern POST first, then streamable HTTP and, where the client would, SSE.
 */
async function observe(
  observer: Observer,
  phase: Phase,
): Promise<{ snapshot: ServerSnapshot; era: ProtocolEra }> {
  const { spec, options } = observer;
  const want: ProtocolEra = options.era === 'legacy' ? 'legacy' : 'modern';
  const limits = options.limits;
  if (spec.transport === 'stdio') {
    let connection = observer.process();
    phase('start');
    await connection.session.start();
    if (want === 'modern') {
      phase('server/discover');
      let discovered: JsonObject | null = null;
      let restart = false;
      try {
        // A third of the time at most, so a server that ignores the probe still has time for `initialize`.
        discovered = await discover(observer, connection, Math.min(PROBE_MS, observer.remaining() / 3));
      } catch (error) {
        if (!(error instanceof ConnectionClosed || error instanceof RequestTimeout)) throw error;
        if (options.era === 'modern') throw error;
        restart = true;
      }
      if (discovered)
        return { snapshot: await modern(observer, connection, discovered, limits, phase), era: 'modern' };
      if (options.era === 'modern')
        throw new Error('it does not speak protocol revision 2026-07-28 (server/discover)');
      if (restart) {
        await connection.session.close();
        connection = observer.process();
        await connection.session.start();
      }
    }
    return { snapshot: await legacy(observer, connection, limits, phase), era: 'legacy' };
  }
  if (want === 'modern' && spec.transport === 'http') {
    const connection = observer.modernHttp();
    await connection.session.start();
    phase('server/discover');
    const discovered = await discover(observer, connection, observer.remaining());
    if (discovered)
      return { snapshot: await modern(observer, connection, discovered, limits, phase), era: 'modern' };
    if (options.era === 'modern')
      throw new Error('it does not speak protocol revision 2026-07-28 (server/discover)');
  }
  if (options.era === 'modern') throw new Error('it does not speak protocol revision 2026-07-28 over SSE');
  const kinds: ('http' | 'sse')[] =
    spec.transport === 'sse' ? ['sse'] : spec.sseFallback ? ['http', 'sse'] : ['http'];
  let lastError: unknown;
  for (const [index, kind] of kinds.entries()) {
    const connection = await observer.legacyHttp(kind);
    try {
      phase('connect');
      await connection.session.start();
      return { snapshot: await legacy(observer, connection, limits, phase), era: 'legacy' };
    } catch (error) {
      lastError = error;
      // Fall back to SSE only when streamable HTTP itself failed, not when the time is up or a limit was hit.
      if (error instanceof RequestTimeout || observer.limitHit || index === kinds.length - 1) throw error;
      await connection.session.close();
    }
  }
  throw lastError;
}

/**
 * Starts or connects to one server, reads everything it offers, and ends it (and its process group) whatever
 * happens. Never throws: every failure becomes a result that names the reason.
 */
export async function snapshotServer(spec: ServerSpec, options: SnapshotOptions): Promise<SnapshotResult> {
  let launch: Launch;
  try {
    launch = await resolveLaunch(spec, options.variables);
  } catch (error) {
    if (error instanceof LaunchError)
      return { ok: false, kind: 'unreachable', reason: `cannot be launched: ${error.message}`, stderr: '' };
    throw error;
  }
  const result = await connectAndList(spec, launch, options);
  const secrets = configSecrets([...launchSecrets(launch), ...passedOnSecrets(options.parentEnv)]);
  if (result.ok) {
    return {
      ...result,
      snapshot: redactDeep(result.snapshot, secrets),
      stderr: redactText(result.stderr, secrets),
    };
  }
  return {
    ...result,
    reason: redactText(result.reason, secrets),
    stderr: redactText(result.stderr, secrets),
  };
}

/** Every value a config handed this server: env, headers, URL credentials and query values, secret arguments. */
function launchSecrets(launch: Launch): string[] {
  const values = [
    ...Object.values(launch.env),
    ...Object.values(launch.headers),
    ...secretArguments(launch.args).map((a) => a.value),
  ];
  if (launch.url !== undefined) {
    try {
      const url = new URL(launch.url);
      if (url.password) values.push(decodeURIComponent(url.password));
      for (const value of url.searchParams.values()) values.push(value);
    } catch {
      // Not a URL: the connection attempt reports that.
    }
  }
  return values;
}

/**
 * Connects, lists, and closes every connection it made; then says whether a process the server started outlived it.
 * Never throws: a failure is a result naming the reason and the phase it happened in.
 */
async function connectAndList(
  spec: ServerSpec,
  launch: Launch,
  options: SnapshotOptions,
): Promise<SnapshotResult> {
  const observer = new Observer(spec, launch, options);
  let phase = 'start';
  let timer: NodeJS.Timeout | undefined;
  const work = observe(observer, (p) => (phase = p));
  work.catch(() => {});
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline()), options.timeoutMs);
  });
  const stderr = () =>
    observer.connections
      .map((c) => c.stderr())
      .filter(Boolean)
      .join('\n');
  let result: SnapshotResult;
  try {
    const { snapshot, era } = await Promise.race([work, deadline]);
    result = { ok: true, snapshot, era, stderr: stderr() };
  } catch (error) {
    const recorded = observer.connections.map((c) => c.recorder.firstError).find((e) => e !== undefined);
    const cause =
      observer.limitHit ?? (recorded instanceof LimitError ? recorded : undefined) ?? recorded ?? error;
    const timedOut = error instanceof Deadline || error instanceof RequestTimeout;
    if (cause instanceof LimitError) {
      result = {
        ok: false,
        kind: 'limit-exceeded',
        reason: `${cause.message} (during ${phase})`,
        stderr: stderr(),
      };
    } else {
      const reason = timedOut
        ? `timed out after ${options.timeoutMs} ms during ${phase}`
        : `${describe(error instanceof ConnectionClosed && recorded ? recorded : error)} (during ${phase})`;
      result = { ok: false, kind: 'unreachable', reason, stderr: stderr() };
    }
  } finally {
    clearTimeout(timer);
    await observer.closeAll();
  }
  // The observation may still be winding down after the deadline: let it reach its end before counting.
  await work.catch(() => {});
  await observer.closeAll();
  const counts = observer.connections.map((c) => c.escaped?.()).filter((n) => n !== undefined);
  if (counts.length === 0) return result;
  const escaped = counts.includes(null) ? null : counts.reduce<number>((a, b) => a + (b ?? 0), 0);
  return { ...result, escaped };
}
