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

const PROJECT_FILES = [
  '.mcp.json',
  '.vscode/mcp.json',
  '.cursor/mcp.json',
  '.gemini/settings.json',
  '.windsurf/mcp.json',
];

function appData(ctx: DiscoveryContext, ...parts: string[]): string {
  if (ctx.platform === 'darwin') return join(ctx.home, 'Library', 'Application Support', ...parts);
  if (ctx.platform === 'win32')
    return join(ctx.env.APPDATA ?? join(ctx.home, 'AppData', 'Roaming'), ...parts);
  return join(ctx.env.XDG_CONFIG_HOME ?? join(ctx.home, '.config'), ...parts);
}

function location(path: string, scope: ConfigLocation['scope'], ctx: DiscoveryContext): ConfigLocation {
  const loc: ConfigLocation = { path, display: displayPath(path, ctx), scope, ...clientOf(path) };
  if (path.endsWith('.claude.json')) loc.projectDir = ctx.cwd;
  return loc;
}

/** The project's config files, in the working directory. Whether each exists is for the reader to find out. */
export function projectConfigs(ctx: DiscoveryContext): ConfigLocation[] {
  return PROJECT_FILES.map((file) => location(join(ctx.cwd, file), 'project', ctx));
}

/** The user-level config files of the clients mcp-lock knows, for this platform. */
export function userConfigs(ctx: DiscoveryContext): ConfigLocation[] {
  const paths = [
    appData(ctx, 'Claude', 'claude_desktop_config.json'),
    join(ctx.home, '.claude.json'),
    join(ctx.home, '.cursor', 'mcp.json'),
    appData(ctx, 'Code', 'User', 'mcp.json'),
    join(ctx.home, '.codeium', 'windsurf', 'mcp_config.json'),
    join(ctx.home, '.gemini', 'settings.json'),
  ];
  return paths.map((path) => location(path, 'user', ctx));
}

export function explicitConfig(file: string, ctx: DiscoveryContext): ConfigLocation {
  return location(resolve(ctx.cwd, file), 'explicit', ctx);
}
