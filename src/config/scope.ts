import { mergeServers, type ConfiguredServer } from '../core/servers.js';
import { McpLockError } from '../errors.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  explicitConfig,
  folderConfig,
  INSTALLED_PLUGINS,
  pluginConfigs,
  PROJECT_FILES,
  PROJECT_FOLDERS,
  type ConfigLocation,
  projectConfigs,
  userConfigs,
  type DiscoveryContext,
} from './discover.js';
import { MAX_CONFIG_BYTES, readConfigs } from './read.js';
import { readBounded } from '../store/bounded-read.js';

/** Which config files a run reads: those named with --config (else the project's), and the user's with --user. */
export interface ConfigScope {
  configs: readonly string[];
  user: boolean;
}

export interface ConfiguredServers {
  servers: ConfiguredServer[];
  notes: string[];
  /** Every file looked at, present or not (a locked server is "removed" only if all its files were looked at). */
  lookedAt: Set<string>;
  /** The files that were read, as shown to the user. */
  read: string[];
  /** Each file read, by the name the lock and the reports use for it → its absolute path. */
  paths: Map<string, string>;
}

/** The config files in the project's config folders, in name order; a folder that is not there holds none. */
async function folderConfigs(discovery: DiscoveryContext): Promise<ConfigLocation[]> {
  const out: ConfigLocation[] = [];
  for (const folder of PROJECT_FOLDERS) {
    let names: string[];
    try {
      names = (await readdir(join(discovery.cwd, folder), { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const location = folderConfig(folder, name, discovery);
      if (location) out.push(location);
    }
  }
  return out;
}

/** Claude Code's installed plugins' configs; no record (or an unreadable one) is no plugins. */
async function installedPlugins(discovery: DiscoveryContext): Promise<ConfigLocation[]> {
  const read = await readBounded(join(discovery.home, ...INSTALLED_PLUGINS), MAX_CONFIG_BYTES);
  if (!read.ok) return [];
  try {
    return pluginConfigs(JSON.parse(read.text), discovery);
  } catch {
    return [];
  }
}

/** Reads every config in scope and merges their servers. */
export async function readConfiguredServers(
  scope: ConfigScope,
  discovery: DiscoveryContext,
): Promise<ConfiguredServers> {
  const locations = [
    ...(scope.configs.length > 0
      ? scope.configs.map((c) => explicitConfig(c, discovery))
      : projectConfigs(discovery)),
    ...(scope.user ? userConfigs(discovery) : []),
  ];
  if (scope.configs.length === 0) locations.push(...(await folderConfigs(discovery)));
  if (scope.user) locations.push(...(await installedPlugins(discovery)));
  const reads = await readConfigs(locations);
  const merged = mergeServers(reads.flatMap((r) => r.specs));
  return {
    ...merged,
    lookedAt: new Set(locations.map((l) => l.display)),
    read: reads.map((r) => r.location.display),
    paths: new Map(reads.map((r) => [r.location.display, r.location.path])),
  };
}

/** The servers named on the command line (all when none is named); a name neither configured nor locked is an error. */
export function selectServers(
  servers: ConfiguredServer[],
  wanted: readonly string[],
  lock: { servers: Record<string, unknown> } | null,
  lockDisplay: string,
): ConfiguredServer[] {
  if (wanted.length === 0) return servers;
  for (const name of wanted) {
    if (!servers.some((s) => s.name === name) && !(lock && Object.hasOwn(lock.servers, name))) {
      throw new McpLockError('server-unknown', `no server named "${name}" in the configs or ${lockDisplay}`, {
        hint: 'run `mcp-lock ls` to see the configured servers',
      });
    }
  }
  return servers.filter((s) => wanted.includes(s.name));
}

/** The error for a run that found nothing to lock. */
export function noConfigError(cwd: string, read: readonly string[]): McpLockError {
  return new McpLockError(
    'config-not-found',
    read.length === 0
      ? `no MCP config found in ${cwd} (${[...PROJECT_FILES, ...PROJECT_FOLDERS.map((f) => `${f}/*`)].join(', ')})`
      : `no MCP servers are configured in ${read.join(', ')}`,
    { hint: 'run mcp-lock in your project folder, or name a config with --config FILE (or add --user)' },
  );
}
