import type { ClientKind } from '../core/server-spec.js';

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
 */
export interface ClientFormat {
  /** The key path of the object that holds the servers, read from the document. */
  serversAt(doc: Record<string, unknown>): string[];
  /** The entry in the common shape (a copy; the original is what pin and wrap edit). */
  normalise?(entry: Record<string, unknown>): Record<string, unknown> | 'skip';
  /** What a `url` without a `type` is: streamable HTTP falling back to SSE (most clients), or SSE (Cline, Roo). */
  bareUrl?: 'sse';
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

const FORMATS: Partial<Record<ClientKind, ClientFormat>> = {
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
  return COMMON_SHAPE;
}
