import type { ClientKind } from '../core/server-spec.js';
import { headerVariable, URL_VARIABLE } from '../core/wrapped-entry.js';
import type { WrapTarget } from './wrap-target.js';

/**
 * How each client writes a server entry, where that differs from the common `{command, args, env}` / `{url, headers}`
 * shape. Sources, checked 2026-12 against each client's documentation:
 * - Zed: zed.dev/docs/ai/mcp — `context_servers.<name>` with `command`, `args`, `env` or `url`, `headers`; older
 *   settings nest the launch line as `command: {path, args, env}`; `source: "extension"` entries are launched by an
 *   installed extension and carry no launch line.
 * - Cline: docs.cline.bot "Configuring MCP servers" — `mcpServers`, `type: stdio | sse | streamableHttp`, a `url`
 *   without a type is SSE, `disabled`.
 * - Roo Code: docs.roocode.com "Using MCP in Roo" — `mcpServers`, `type: stdio | sse | streamable-http`, `disabled`.
 * - Kiro: kiro.dev/docs/mcp/configuration — `mcpServers`, `disabled`, remote `url`.
 * - GitHub Copilot CLI: docs.github.com "Using the Copilot CLI" — `mcpServers`, `type: local | stdio | http | sse`.
 * - Visual Studio: learn.microsoft.com "Use MCP servers" (Visual Studio 2022 17.14+) — `servers` as in VS Code.
 * - Amazon Q Developer: docs.aws.amazon.com "MCP configuration" — `mcpServers`, `disabled`, `timeout`.
 * - OpenCode: opencode.ai/docs/mcp-servers — `mcp.<name>` (v1) or `mcp.servers.<name>` (v2), `type: local` with the
 *   whole launch line in a `command` array and `environment`, `type: remote` with `url`, `headers`; `enabled: false`
 *   (v1) or `disabled: true` (v2).
 * - Continue: docs.continue.dev "MCP" and config.yaml reference — `mcpServers` is a list of `{name, command, args,
 *   env}` or `{name, type: sse | streamable-http, url}`; blocks in `.continue/mcpServers/*.yaml`, and JSON files there in
 *   the Claude Desktop / Cursor shape.
 * - Goose: block.github.io/goose "Configuration files" — `extensions.<key>` with `type: stdio` (`cmd`, `args`,
 *   `envs`, `env_keys`), `sse` or `streamable_http` (`uri`, `headers`), `enabled`; `builtin`, `platform`, `frontend`
 *   and `inline_python` extensions run inside Goose and are not MCP launch lines.
 * - Codex: developers.openai.com/codex "Config" — `[mcp_servers.<name>]` with `command`, `args`, `env`, `env_vars`
 *   (names passed through), `cwd`, or `url` (streamable HTTP only), `bearer_token_env_var`, `http_headers`,
 *   `env_http_headers`; `enabled = false`.
 */
export interface ClientFormat {
  /** The key path of the object that holds the servers, read from the document. */
  serversAt(doc: Record<string, unknown>): string[];
  /** The entry in the common shape (a copy; the original is what pin and wrap edit). */
  normalise?(entry: Record<string, unknown>): Record<string, unknown> | 'skip';
  /** What a `url` without a `type` is: streamable HTTP falling back to SSE (most clients), or SSE (Cline, Roo). */
  bareUrl?: 'sse';
  /** The servers are a list of entries with a `name` (Continue), not an object keyed by name. */
  listed?: boolean;
}

/** Where an entry keeps its launch line, as key paths inside the entry: what pin, wrap and unwrap edit. */
export interface EntryShape {
  /** The command string, or (OpenCode) the array holding the whole launch line. */
  command: readonly string[];
  /** The arguments array; absent where the command array holds them. */
  args?: readonly string[];
  /** The environment map's key. */
  env: string;
  /** Properties a remote entry replaced by wrap needs to be read as a launch line (`type: "local"`). */
  local?: Readonly<Record<string, unknown>>;
  /** Properties of the remote entry that the replacement keeps (Continue's `name`). */
  keep?: readonly string[];
}

export const COMMON_SHAPE: EntryShape = { command: ['command'], args: ['args'], env: 'env' };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const mcpServers: ClientFormat = { serversAt: () => ['mcpServers'] };

/** A `disabled: true` the common reader already honours; `enabled: false` means the same. */
function enabledFlag(entry: Record<string, unknown>): Record<string, unknown> {
  return entry.enabled === false ? { ...entry, disabled: true } : entry;
}

const zed: ClientFormat = {
  serversAt: () => ['context_servers'],
  normalise(entry) {
    const command = entry.command;
    if (isObject(command)) {
      const { path, args, env } = command;
      const flat: Record<string, unknown> = { ...entry, command: path };
      if (args !== undefined) flat.args = args;
      if (env !== undefined) flat.env = env;
      return enabledFlag(flat);
    }
    if (command === undefined && entry.url === undefined && entry.source === 'extension') return 'skip';
    return enabledFlag(entry);
  },
};

const opencode: ClientFormat = {
  serversAt: (doc) => {
    const mcp = doc.mcp;
    // v2 keeps servers under `mcp.servers`; a v1 server could be named "servers", but it would have a type.
    return isObject(mcp) && isObject(mcp.servers) && mcp.servers.type === undefined
      ? ['mcp', 'servers']
      : ['mcp'];
  },
  normalise(entry) {
    const out: Record<string, unknown> = enabledFlag({ ...entry });
    if (entry.type === 'local') {
      out.type = 'stdio';
      if (Array.isArray(entry.command)) {
        out.command = entry.command[0];
        out.args = entry.command.slice(1);
      }
    } else if (entry.type === 'remote') {
      out.type = 'remote';
    }
    if (entry.environment !== undefined) out.env = entry.environment;
    delete out.environment;
    return out;
  },
};

const goose: ClientFormat = {
  serversAt: () => ['extensions'],
  normalise(entry) {
    const type = entry.type ?? (entry.cmd !== undefined ? 'stdio' : undefined);
    const common: Record<string, unknown> = { disabled: entry.enabled === false };
    if (type === 'stdio') {
      // env_keys are read from Goose's secret store; mcp-lock takes them from the environment of the same name.
      const keys = Array.isArray(entry.env_keys) ? entry.env_keys.filter((k) => typeof k === 'string') : [];
      const env = {
        ...Object.fromEntries(keys.map((k) => [k, `\${${k}}`])),
        ...(isObject(entry.envs) ? entry.envs : {}),
      };
      return {
        ...common,
        type: 'stdio',
        command: entry.cmd,
        args: entry.args,
        ...(Object.keys(env).length ? { env } : {}),
        ...(entry.cwd !== undefined ? { cwd: entry.cwd } : {}),
      };
    }
    if (type === 'sse' || type === 'streamable_http')
      return {
        ...common,
        type: type === 'sse' ? 'sse' : 'http',
        url: entry.uri,
        ...(entry.headers !== undefined ? { headers: entry.headers } : {}),
      };
    return typeof type === 'string' ? 'skip' : entry;
  },
};

const codex: ClientFormat = {
  serversAt: () => ['mcp_servers'],
  normalise(entry) {
    const out: Record<string, unknown> = enabledFlag({ ...entry });
    const passed = Array.isArray(entry.env_vars) ? entry.env_vars.filter((k) => typeof k === 'string') : [];
    if (passed.length > 0)
      out.env = {
        ...Object.fromEntries(passed.map((k) => [k, `\${${k}}`])),
        ...(isObject(entry.env) ? entry.env : {}),
      };
    if (entry.url !== undefined) {
      out.type = 'streamable-http';
      const headers: Record<string, unknown> = {
        ...(isObject(entry.http_headers) ? entry.http_headers : {}),
      };
      if (isObject(entry.env_http_headers))
        for (const [name, variable] of Object.entries(entry.env_http_headers))
          headers[name] = `\${${String(variable)}}`;
      if (typeof entry.bearer_token_env_var === 'string')
        headers.Authorization = `Bearer \${${entry.bearer_token_env_var}}`;
      if (Object.keys(headers).length > 0) out.headers = headers;
    }
    for (const key of ['env_vars', 'http_headers', 'env_http_headers', 'bearer_token_env_var'])
      delete out[key];
    return out;
  },
};

const FORMATS: Partial<Record<ClientKind, ClientFormat>> = {
  continue: { serversAt: () => ['mcpServers'], listed: true },
  goose,
  codex,
  zed,
  opencode,
  cline: { ...mcpServers, bareUrl: 'sse' },
  roo: { ...mcpServers, bareUrl: 'sse' },
  vscode: { serversAt: () => ['servers'] },
  'visual-studio': {
    serversAt: (doc) => (doc.servers === undefined && doc.mcpServers ? ['mcpServers'] : ['servers']),
  },
};

export function formatOf(client: ClientKind): ClientFormat {
  return FORMATS[client] ?? mcpServers;
}

/** Where a client's entry keeps its launch line, from the entry as written. */
export function shapeOf(client: ClientKind, entry: unknown): EntryShape {
  if (client === 'opencode') return { command: ['command'], env: 'environment', local: { type: 'local' } };
  if (client === 'zed' && isObject(entry) && isObject(entry.command))
    return { command: ['command', 'path'], args: ['command', 'args'], env: 'env' };
  if (client === 'copilot-cli') return { ...COMMON_SHAPE, local: { type: 'local' } };
  if (client === 'continue') return { ...COMMON_SHAPE, keep: ['name'] };
  if (client === 'goose')
    return {
      command: ['cmd'],
      args: ['args'],
      env: 'envs',
      local: { type: 'stdio' },
      keep: ['name', 'enabled', 'timeout'],
    };
  return COMMON_SHAPE;
}

/** A remote entry's URL and headers, which wrap moves into the replacement's environment. */
export interface RemoteTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * The entry wrap puts in place of a remote one: it launches `mcp-lock run`, carries the original text in `--restore`,
 * and hands the URL and header values (variable references and all) over in its environment, where the client expands
 * them before `run` reads them.
 */
export function remoteReplacement(
  client: ClientKind,
  original: unknown,
  target: WrapTarget,
  remote: RemoteTarget,
  restore: readonly string[],
): Record<string, unknown> {
  const shape = shapeOf(client, { command: '' });
  const env: Record<string, string> = { [URL_VARIABLE]: remote.url };
  for (const [name, value] of Object.entries(remote.headers)) env[headerVariable(name)] = value;
  const args = [...target.launcher.args, 'run', target.server, '--lockfile', target.lockfile, ...restore];
  const kept = isObject(original)
    ? Object.fromEntries(
        (shape.keep ?? []).filter((k) => original[k] !== undefined).map((k) => [k, original[k]]),
      )
    : {};
  const launch = shape.args
    ? { [shape.command[0]!]: target.launcher.command, [shape.args[0]!]: args }
    : { [shape.command[0]!]: [target.launcher.command, ...args] };
  return { ...kept, ...shape.local, ...launch, [shape.env]: env };
}
