import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type ClientCapabilities,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ClientIdentity } from '../core/lockfile/schema.js';
import type { JsonObject, ServerSnapshot, SnapshotLimits, SnapshotResult } from '../core/server-snapshot.js';
import type { ServerSpec } from '../core/server-spec.js';
import type { VariableContext } from '../core/vars.js';
import { secretArguments } from '../core/lockfile/source.js';
import { configSecrets, redactDeep, redactText } from '../core/redact.js';
import { passedOnSecrets, serverEnvironment } from './env.js';
import { boundedFetch } from './http.js';
import { LaunchError, resolveLaunch, type Launch } from './launch.js';
import { LimitError, RecordingTransport } from './recorder.js';
import { ProcessTransport } from './stdio.js';
import { Fault } from '../errors.js';

export interface SnapshotOptions {
  timeoutMs: number;
  limits: SnapshotLimits;
  client: ClientIdentity;
  variables: VariableContext;
  /** The environment mcp-lock runs in; servers get only a minimal base of it (connect/env.ts). */
  parentEnv: Readonly<Record<string, string | undefined>>;
}

class TimeoutError extends Fault {
  constructor() {
    super('timeout', 'timed out');
  }
}

/** Accepts any page and keeps every field, so the snapshot holds what the server sent, not what the SDK knows. */
const PageSchema = z.looseObject({});

const LISTS = [
  { method: 'tools/list', key: 'tools', capability: 'tools' },
  { method: 'prompts/list', key: 'prompts', capability: 'prompts' },
  { method: 'resources/list', key: 'resources', capability: 'resources' },
  { method: 'resources/templates/list', key: 'resourceTemplates', capability: 'resources' },
] as const;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One connection attempt: the client, its recorder and the transport underneath, closed together. */
interface Session {
  client: Client;
  recorder: RecordingTransport;
  stderr: () => string;
}

function newClient(identity: ClientIdentity): Client {
  const client = new Client(
    { name: identity.name, version: identity.version },
    { capabilities: identity.capabilities as ClientCapabilities },
  );
  // Declared so that servers list what they list for real clients; answered without giving anything away. The SDK
  // refuses a handler for a capability not declared (a lockfile may record fewer), so only declared ones get one.
  const declared = identity.capabilities;
  if (declared.roots !== undefined) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [] }));
  if (declared.sampling !== undefined) {
    client.setRequestHandler(CreateMessageRequestSchema, () => {
      throw new McpError(ErrorCode.InvalidRequest, 'mcp-lock does not sample while taking a snapshot');
    });
  }
  if (declared.elicitation !== undefined) {
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' as const }));
  }
  return client;
}

function transportsFor(
  spec: ServerSpec,
  launch: Launch,
  options: SnapshotOptions,
  onLimit: (e: Error) => void,
) {
  if (spec.transport === 'stdio') {
    const process = new ProcessTransport({
      command: launch.command!,
      args: launch.args,
      cwd: launch.cwd,
      env: serverEnvironment(options.parentEnv, launch.env),
      maxMessageBytes: options.limits.maxMessageBytes,
      maxStderrBytes: options.limits.maxStderrBytes,
    });
    return [
      { transport: process as Transport, stderr: () => process.stderr, escaped: () => process.escaped },
    ];
  }
  const url = new URL(launch.url!);
  const init = {
    requestInit: { headers: launch.headers },
    fetch: boundedFetch(options.limits.maxTotalBytes, onLimit),
  };
  const sse = () => ({ transport: new SSEClientTransport(url, init) as Transport, stderr: () => '' });
  if (spec.transport === 'sse') return [sse()];
  const http = { transport: new StreamableHTTPClientTransport(url, init) as Transport, stderr: () => '' };
  return spec.sseFallback ? [http, sse()] : [http];
}

async function listAll(
  client: Client,
  list: (typeof LISTS)[number],
  limits: SnapshotLimits,
  timeout: () => number,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > limits.maxPages)
      throw new LimitError(`${list.method} went on for more than ${limits.maxPages} pages`);
    const result = await client.request(
      { method: list.method, params: cursor === undefined ? {} : { cursor } },
      PageSchema,
      { timeout: timeout() },
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

async function takeSnapshot(
  session: Session,
  limits: SnapshotLimits,
  timeout: () => number,
  phase: (p: string) => void,
) {
  const { client, recorder } = session;
  phase('initialize');
  await client.connect(recorder, { timeout: timeout() });
  const init = recorder.initializeResult ?? {};
  const capabilities = isObject(init.capabilities) ? init.capabilities : {};
  const snapshot: ServerSnapshot = {
    protocolVersion: typeof init.protocolVersion === 'string' ? init.protocolVersion : '',
    serverInfo: isObject(init.serverInfo) ? init.serverInfo : {},
    capabilities,
    tools: [],
    prompts: [],
    resources: [],
    resourceTemplates: [],
  };
  if (typeof init.instructions === 'string') snapshot.instructions = init.instructions;
  for (const list of LISTS) {
    if (capabilities[list.capability] === undefined) continue;
    phase(list.method);
    try {
      snapshot[list.key] = await listAll(client, list, limits, timeout);
    } catch (error) {
      // resources/templates/list is optional even for servers with resources.
      if (
        list.method === 'resources/templates/list' &&
        error instanceof McpError &&
        error.code === ErrorCode.MethodNotFound
      )
        continue;
      throw error;
    }
  }
  return snapshot;
}

function describe(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^MCP error -?\d+: /, '');
  const status = error instanceof StreamableHTTPError || error instanceof SseError ? error.code : undefined;
  if (status === 401 || status === 403) {
    return `HTTP ${status}: the server wants credentials (set its headers in the config): ${message}`;
  }
  return status === undefined ? message : `HTTP ${status}: ${message}`;
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
 * Connects (falling back from streamable HTTP to SSE where the client would), lists, and closes; then says whether a
 * process the server started outlived it.
 */
async function connectAndList(
  spec: ServerSpec,
  launch: Launch,
  options: SnapshotOptions,
): Promise<SnapshotResult> {
  const limit: { hit?: Error } = {};
  const attempts = transportsFor(spec, launch, options, (e) => (limit.hit ??= e));
  const result = await tryAttempts(attempts, options, limit);
  const escaped = attempts
    .map((a) => ('escaped' in a ? a.escaped() : undefined))
    .find((n) => n !== undefined);
  return escaped === undefined ? result : { ...result, escaped };
}

async function tryAttempts(
  attempts: ReturnType<typeof transportsFor>,
  options: SnapshotOptions,
  limit: { hit?: Error },
): Promise<SnapshotResult> {
  const started = Date.now();
  const remaining = () => Math.max(1, options.timeoutMs - (Date.now() - started));
  let lastFailure: SnapshotResult = { ok: false, kind: 'unreachable', reason: 'no transport', stderr: '' };

  for (const [index, attempt] of attempts.entries()) {
    const recorder = new RecordingTransport(attempt.transport, options.limits);
    const session: Session = { client: newClient(options.client), recorder, stderr: attempt.stderr };
    let phase = 'start';
    let timer: NodeJS.Timeout | undefined;
    const work = takeSnapshot(session, options.limits, remaining, (p) => (phase = p));
    work.catch(() => {});
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), remaining());
    });
    try {
      const snapshot = await Promise.race([work, deadline]);
      return { ok: true, snapshot, stderr: session.stderr() };
    } catch (error) {
      const cause = limit.hit ?? recorder.firstError ?? error;
      const timedOut =
        error instanceof TimeoutError ||
        (error instanceof McpError && error.code === ErrorCode.RequestTimeout);
      if (cause instanceof LimitError) {
        return {
          ok: false,
          kind: 'limit-exceeded',
          reason: `${cause.message} (during ${phase})`,
          stderr: session.stderr(),
        };
      }
      const reason = timedOut
        ? `timed out after ${options.timeoutMs} ms during ${phase}`
        : `${describe(cause)} (during ${phase})`;
      lastFailure = { ok: false, kind: 'unreachable', reason, stderr: session.stderr() };
      // Fall back to SSE only when streamable HTTP itself failed, not when the time is up.
      if (timedOut || index === attempts.length - 1) return lastFailure;
    } finally {
      clearTimeout(timer);
      await session.client.close().catch(() => {});
      await attempt.transport.close().catch(() => {});
    }
  }
  return lastFailure;
}
