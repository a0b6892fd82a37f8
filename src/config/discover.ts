import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { clientOf } from '../core/clients.js';
import type { ClientKind } from '../core/server-spec.js';

/** A config file mcp-lock may read, and how to read it. */
export interface ConfigLocation {
  path: string;
  /** As shown to the user and recorded in the lock: relative to the project, `~/…`, or absolute. */
  display: string;
  client: ClientKind;
  jsonc: boolean;
  scope: 'project' | 'user' | 'explicit';
  /** `~/.claude.json` keeps per-project servers under the project's absolute path. */
  projectDir?: string;
  /** A Claude Code plugin's folder: its servers may name `${CLAUDE_PLUGIN_ROOT}`, and its `.mcp.json` may list them bare. */
  pluginRoot?: string;
}

export interface DiscoveryContext {
  cwd: string;
  home: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}

export function displayPath(path: string, ctx: DiscoveryContext): string {
  const inside = (base: string) => {
    const rel = relative(base, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  const fromProject = inside(ctx.cwd);
  if (fromProject !== undefined) return fromProject;
  const fromHome = inside(ctx.home);
  if (fromHome !== undefined) return `~/${fromHome}`;
  return path.split(sep).join('/');
}

/** The project-scope config files of every client mcp-lock reads (sources beside each format in formats.ts). */
export const PROJECT_FILES = [
  '.mcp.json',
  '.vscode/mcp.json',
  '.cursor/mcp.json',
  '.gemini/settings.json',
  '.windsurf/mcp.json',
  '.zed/settings.json',
  '.roo/mcp.json',
  '.kiro/settings/mcp.json',
  '.vs/mcp.json',
  '.amazonq/mcp.json',
  'opencode.json',
  'opencode.jsonc',
  '.opencode/opencode.json',
  '.opencode/opencode.jsonc',
  '.codex/config.toml',
];

/**
 * The MCP configs of the Claude Code plugins recorded as installed in `~/.claude/plugins/installed_plugins.json`
 * (`plugins.<name@marketplace>` → installs with an `installPath`): each plugin's `.mcp.json` and the `mcpServers` of
 * its `.claude-plugin/plugin.json` (Claude Code's plugin reference, "MCP servers").
 */
export function pluginConfigs(installed: unknown, ctx: DiscoveryContext): ConfigLocation[] {
  const plugins = (installed as { plugins?: unknown } | null)?.plugins;
  if (typeof plugins !== 'object' || plugins === null) return [];
  const roots = new Set<string>();
  for (const installs of Object.values(plugins)) {
    for (const install of Array.isArray(installs) ? installs : [installs]) {
      const root = (install as { installPath?: unknown } | null)?.installPath;
      if (typeof root === 'string' && root !== '') roots.add(root);
    }
  }
  return [...roots].sort().flatMap((root) =>
    [join(root, '.mcp.json'), join(root, '.claude-plugin', 'plugin.json')].map((path) => ({
      ...location(path, 'user', ctx, 'claude-code'),
      pluginRoot: root,
    })),
  );
}

export const INSTALLED_PLUGINS = ['.claude', 'plugins', 'installed_plugins.json'];

/** Folders whose every config file a client reads (Continue's `.continue/mcpServers/*.yaml|json`). */
export const PROJECT_FOLDERS = ['.continue/mcpServers'];

/** A file found in one of PROJECT_FOLDERS, if its name is one the client reads. */
export function folderConfig(
  folder: string,
  name: string,
  ctx: DiscoveryContext,
): ConfigLocation | undefined {
  return /\.(?:ya?ml|json)$/i.test(name) ? location(join(ctx.cwd, folder, name), 'project', ctx) : undefined;
}

function appData(ctx: DiscoveryContext, ...parts: string[]): string {
  if (ctx.platform === 'darwin') return join(ctx.home, 'Library', 'Application Support', ...parts);
  if (ctx.platform === 'win32')
    return join(ctx.env.APPDATA ?? join(ctx.home, 'AppData', 'Roaming'), ...parts);
  return join(ctx.env.XDG_CONFIG_HOME ?? join(ctx.home, '.config'), ...parts);
}

/** `$XDG_CONFIG_HOME` or `~/.config`: where Zed and OpenCode keep their settings on every platform but Windows. */
function xdgConfig(ctx: DiscoveryContext, ...parts: string[]): string {
  return join(ctx.env.XDG_CONFIG_HOME ?? join(ctx.home, '.config'), ...parts);
}

/** Claude Code's managed servers, set by an administrator for every user of the machine. */
function managedMcp(ctx: DiscoveryContext): string {
  if (ctx.platform === 'darwin') return '/Library/Application Support/ClaudeCode/managed-mcp.json';
  if (ctx.platform === 'win32')
    return join(ctx.env.ProgramFiles ?? 'C:\\Program Files', 'ClaudeCode', 'managed-mcp.json');
  return '/etc/claude-code/managed-mcp.json';
}

function location(
  path: string,
  scope: ConfigLocation['scope'],
  ctx: DiscoveryContext,
  client?: ClientKind,
): ConfigLocation {
  const known = clientOf(path);
  const loc: ConfigLocation = {
    path,
    display: displayPath(path, ctx),
    scope,
    ...(client === undefined ? known : { client, jsonc: true }),
  };
  if (path.endsWith('.claude.json')) loc.projectDir = ctx.cwd;
  return loc;
}

/** The project's config files, in the working directory. Whether each exists is for the reader to find out. */
export function projectConfigs(ctx: DiscoveryContext): ConfigLocation[] {
  return PROJECT_FILES.map((file) => location(join(ctx.cwd, file), 'project', ctx));
}

/** The user-level config files of the clients mcp-lock knows, for this platform. */
export function userConfigs(ctx: DiscoveryContext): ConfigLocation[] {
  const vscodeStorage = (...parts: string[]) => appData(ctx, 'Code', 'User', 'globalStorage', ...parts);
  const paths = [
    appData(ctx, 'Claude', 'claude_desktop_config.json'),
    join(ctx.home, '.claude.json'),
    managedMcp(ctx),
    join(ctx.home, '.cursor', 'mcp.json'),
    appData(ctx, 'Code', 'User', 'mcp.json'),
    join(ctx.home, '.codeium', 'windsurf', 'mcp_config.json'),
    join(ctx.home, '.gemini', 'settings.json'),
    ctx.platform === 'win32' ? appData(ctx, 'Zed', 'settings.json') : xdgConfig(ctx, 'zed', 'settings.json'),
    vscodeStorage('saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
    join(ctx.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json'),
    vscodeStorage('rooveterinaryinc.roo-cline', 'settings', 'mcp_settings.json'),
    join(ctx.home, '.kiro', 'settings', 'mcp.json'),
    join(ctx.home, '.copilot', 'mcp-config.json'),
    join(ctx.home, '.aws', 'amazonq', 'mcp.json'),
    xdgConfig(ctx, 'opencode', 'opencode.json'),
    xdgConfig(ctx, 'opencode', 'opencode.jsonc'),
    join(ctx.home, '.continue', 'config.yaml'),
    ctx.platform === 'win32'
      ? appData(ctx, 'Block', 'goose', 'config', 'config.yaml')
      : xdgConfig(ctx, 'goose', 'config.yaml'),
    join(ctx.env.CODEX_HOME ?? join(ctx.home, '.codex'), 'config.toml'),
  ];
  const locations = paths.map((path) => location(path, 'user', ctx));
  // Visual Studio's user file is `%USERPROFILE%\.mcp.json`: a name Claude Code uses for project files.
  if (ctx.platform === 'win32')
    locations.push(location(join(ctx.home, '.mcp.json'), 'user', ctx, 'visual-studio'));
  return locations;
}

export function explicitConfig(file: string, ctx: DiscoveryContext): ConfigLocation {
  return location(resolve(ctx.cwd, file), 'explicit', ctx);
}
