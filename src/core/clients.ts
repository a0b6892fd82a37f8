import type { ClientKind } from './server-spec.js';

/** File name endings of each client's configs (paths with `/`), most specific first. */
const ENDINGS: readonly [RegExp, ClientKind, boolean][] = [
  [/\/(?:Code|Code - Insiders|VSCodium)\/User\/mcp\.json$/, 'vscode', true],
  [/\/\.vscode\/mcp\.json$/, 'vscode', true],
  [
    /\/saoudrizwan\.claude-dev\/settings\/cline_mcp_settings\.json$|\/\.cline\/data\/settings\/cline_mcp_settings\.json$/,
    'cline',
    false,
  ],
  [/\/rooveterinaryinc\.roo-cline\/settings\/mcp_settings\.json$|\/\.roo\/mcp\.json$/, 'roo', false],
  [/\/\.kiro\/settings\/mcp\.json$/, 'kiro', false],
  [/\/\.copilot\/mcp-config\.json$/, 'copilot-cli', false],
  [/\/\.vs\/mcp\.json$|^\/~\/\.mcp\.json$/, 'visual-studio', true],
  [/\/\.?amazonq\/mcp\.json$/, 'amazon-q', false],
  [/\/opencode\.jsonc?$/, 'opencode', true],
  [/\/\.continue\/(?:config\.ya?ml|mcpServers\/[^/]+\.(?:ya?ml|json))$/, 'continue', true],
  [/\/goose\/(?:config\/)?config\.ya?ml$/, 'goose', true],
  // Codex's file, also under $CODEX_HOME: no other client mcp-lock knows names its config config.toml.
  [/\/config\.toml$/, 'codex', true],
  [/\/(?:\.zed|zed|Zed)\/settings\.json$/, 'zed', true],
  [/\/\.cursor\/mcp\.json$/, 'cursor', false],
  [/\/\.gemini\/settings\.json$/, 'gemini', true],
  [/\/\.windsurf\/mcp\.json$|\/mcp_config\.json$/, 'windsurf', false],
  [/\/claude_desktop_config\.json$/, 'claude-desktop', false],
  [/\/managed-mcp\.json$|\/\.mcp\.json$|\/\.claude\.json$/, 'claude-code', false],
];

/**
 * Which client a config file belongs to, from its path (as shown to the user or absolute, `/` or `\`). It decides
 * how an entry is read, and which servers a client loads together (for shadowing). `~/.mcp.json` seen from another
 * folder is Visual Studio's user file (`%USERPROFILE%\.mcp.json`); in the project it is Claude Code's.
 */
export function clientOf(path: string): { client: ClientKind; jsonc: boolean } {
  const p = path.startsWith('~/') ? `/${path}` : '/' + path.replace(/\\/g, '/').replace(/^\/+/, '');
  for (const [ending, client, jsonc] of ENDINGS) if (ending.test(p)) return { client, jsonc };
  return { client: 'generic', jsonc: true };
}

export const CLIENT_NAMES: Record<ClientKind, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  gemini: 'Gemini CLI',
  zed: 'Zed',
  cline: 'Cline',
  roo: 'Roo Code',
  kiro: 'Kiro',
  'copilot-cli': 'GitHub Copilot CLI',
  'visual-studio': 'Visual Studio',
  'amazon-q': 'Amazon Q Developer',
  opencode: 'OpenCode',
  continue: 'Continue',
  goose: 'Goose',
  codex: 'Codex',
  generic: 'the client of',
};

/**
 * Clients that give each server's tools a name of their own, so two servers offering the same tool name do not
 * collide for the model. Claude Code calls them `mcp__<server>__<tool>` (its docs, "MCP tool names" in the settings
 * and permissions pages); Gemini CLI prefixes a name that two servers offer with `<server>__` (its docs,
 * `docs/tools/mcp-server.md`, "conflict resolution"); Cline and Roo Code call every MCP tool through one
 * `use_mcp_tool` tool that takes the server's name beside the tool's; OpenCode registers `<server>_<tool>`; Goose
 * `<extension>__<tool>`; Codex qualifies each tool with its server (`<server>__<tool>`, codex-rs's MCP connection
 * manager).
 */
export const NAMESPACING_CLIENTS: ReadonlySet<ClientKind> = new Set([
  'claude-code',
  'gemini',
  'cline',
  'roo',
  'opencode',
  'goose',
  'codex',
]);

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
