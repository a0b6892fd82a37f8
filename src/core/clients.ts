import type { ClientKind } from './server-spec.js';

/**
 * Which client a config file belongs to, from its path (as shown to the user or absolute, `/` or `\`). It decides
 * how an entry is read, and which servers a client loads together (for shadowing).
 */
export function clientOf(path: string): { client: ClientKind; jsonc: boolean } {
  const p = '/' + path.replace(/\\/g, '/').replace(/^\/+/, '');
  if (p.endsWith('/.vscode/mcp.json') || /\/(Code|Code - Insiders|VSCodium)\/User\/mcp\.json$/.test(p)) {
    return { client: 'vscode', jsonc: true };
  }
  if (p.endsWith('/.cursor/mcp.json')) return { client: 'cursor', jsonc: false };
  if (p.endsWith('/.gemini/settings.json')) return { client: 'gemini', jsonc: true };
  if (p.endsWith('/.windsurf/mcp.json') || p.endsWith('/mcp_config.json'))
    return { client: 'windsurf', jsonc: false };
  if (p.endsWith('/claude_desktop_config.json')) return { client: 'claude-desktop', jsonc: false };
  if (p.endsWith('/.mcp.json') || p.endsWith('/.claude.json')) return { client: 'claude-code', jsonc: false };
  return { client: 'generic', jsonc: true };
}

export const CLIENT_NAMES: Record<ClientKind, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  gemini: 'Gemini CLI',
  generic: 'the client of',
};

/**
 * Clients that give each server's tools a name of their own, so two servers offering the same tool name do not
 * collide for the model. Claude Code calls them `mcp__<server>__<tool>` (its docs, "MCP tool names" in the settings
 * and permissions pages); Gemini CLI prefixes a name that two servers offer with `<server>__` (its docs,
 * `docs/tools/mcp-server.md`, "conflict resolution").
 */
export const NAMESPACING_CLIENTS: ReadonlySet<ClientKind> = new Set(['claude-code', 'gemini']);

/** The servers one client loads together, and which client that is (none for a file of no known client). */
export interface ClientGroup {
  client: ClientKind;
  members: string[];
}

/**
 * The sets of servers one client loads together: every file of the same client is merged by that client (project
 * and user scope); a file of no known client is a set of its own. A server appears in every set it is configured in.
 */
export function clientGroups(
  servers: readonly { name: string; files: readonly string[] }[],
): Map<string, ClientGroup> {
  const groups = new Map<string, { client: ClientKind; members: Set<string> }>();
  for (const server of servers) {
    for (const file of server.files) {
      const { client } = clientOf(file);
      const key = client === 'generic' ? `${CLIENT_NAMES.generic} ${file}` : CLIENT_NAMES[client];
      const group = groups.get(key) ?? { client, members: new Set<string>() };
      group.members.add(server.name);
      groups.set(key, group);
    }
  }
  return new Map([...groups].map(([k, v]) => [k, { client: v.client, members: [...v.members].sort() }]));
}
