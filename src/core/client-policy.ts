import { pinnedArgs } from './package/pinned.js';
import type { Lockfile, LockServer } from './lockfile/schema.js';
import type { ClientKind } from './server-spec.js';

/**
 * The allow-lists clients enforce, written from the reviewed lockfile. Formats, from each client's documentation:
 * - Claude Code, managed settings (`managed-settings.json`): `allowedMcpServers`, each entry exactly one of
 *   `serverName`, `serverCommand` (the exact command and arguments of a stdio server) or `serverUrl` (`*` wildcards).
 * - GitHub Copilot (its enterprise `managed-settings.json`, honoured by Copilot in VS Code, Visual Studio and the
 *   Copilot CLI): the same `allowedMcpServers` entries; a server that matches no entry does not run.
 * - Codex, `requirements.toml`: `[mcp_servers.<name>.identity]` with `url`, or `[mcp_servers.<name>.identity.command]`
 *   with `executable` and `args` matchers (`{ match = "exact", value }`, `{ match = "regex", expression }`); only
 *   the servers listed, under that name and identity, are enabled.
 * - Cursor, `~/.cursor/permissions.json`: `mcpAllowlist` of `server:tool` entries that may run without approval —
 *   Cursor gates tools, not servers, so the list is every reviewed tool.
 */
export const POLICY_CLIENTS = ['claude-code', 'copilot', 'vscode', 'codex', 'cursor'] as const;
export type PolicyClient = (typeof POLICY_CLIENTS)[number];

/** The config files each policy governs: the clients that enforce it. */
export const GOVERNED: Readonly<Record<PolicyClient, readonly ClientKind[]>> = {
  'claude-code': ['claude-code'],
  copilot: ['vscode', 'visual-studio', 'copilot-cli'],
  vscode: ['vscode'],
  codex: ['codex'],
  cursor: ['cursor'],
};

/** Where each policy goes. */
export const POLICY_FILES: Readonly<Record<PolicyClient, string>> = {
  'claude-code': 'managed-settings.json',
  copilot: 'managed-settings.json',
  vscode: 'managed-settings.json',
  codex: 'requirements.toml',
  cursor: 'permissions.json',
};

/** A word a client fills in when it launches: an exact rule cannot name it. */
const FILLED = /\$\{[^}]*\}|\{(?:env|file):[^}]*\}|<redacted>/g;
const filled = (word: string) => new RegExp(FILLED.source).test(word);

export type AllowRule = { serverName: string } | { serverCommand: string[] } | { serverUrl: string };

/** A locked server's launch line as its policy names it: the pinned version, variable references as written. */
export interface LockedLaunch {
  name: string;
  transport: LockServer['source']['transport'];
  command?: string;
  args: string[];
  url?: string;
}

export function lockedLaunches(lock: Lockfile): LockedLaunch[] {
  return Object.entries(lock.servers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entry]) => ({
      name,
      transport: entry.source.transport,
      ...(entry.source.command !== undefined ? { command: entry.source.command } : {}),
      args: pinnedArgs(entry.source.args ?? [], entry.package),
      ...(entry.source.url !== undefined ? { url: entry.source.url } : {}),
    }));
}

/** A URL with what the client fills in (or the lock redacted) as `*`: Claude Code's and Copilot's URL patterns. */
function urlPattern(url: string): string {
  return url.replace(FILLED, '*');
}

/**
 * Claude Code's and Copilot's allow-list: each stdio server by its exact launch line, each remote one by its URL. A
 * launch line with a variable or a secret in it cannot be matched exactly, so that server is allowed by name, and
 * the note says so.
 */
export function allowRules(lock: Lockfile): { rules: AllowRule[]; notes: string[] } {
  const rules: AllowRule[] = [];
  const notes: string[] = [];
  for (const launch of lockedLaunches(lock)) {
    if (launch.transport !== 'stdio') {
      rules.push({ serverUrl: urlPattern(launch.url ?? '') });
    } else if ([launch.command ?? '', ...launch.args].some(filled)) {
      rules.push({ serverName: launch.name });
      notes.push(`${launch.name}: allowed by name only: its launch line has a value the client fills in`);
    } else {
      rules.push({ serverCommand: [launch.command ?? '', ...launch.args] });
    }
  }
  return { rules, notes };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A word as a Codex matcher: exact, or a regex with `.*` where the client fills in a value. */
function matcher(word: string): string {
  if (!filled(word)) return `{ match = "exact", value = ${JSON.stringify(word)} }`;
  const expression = `^${word.split(FILLED).map(escapeRegex).join('.*')}$`;
  return `{ match = "regex", expression = ${JSON.stringify(expression)} }`;
}

const tomlKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));

/** Codex's `requirements.toml`: every locked server under its name, with its launch line or URL as its identity. */
export function codexRequirements(lock: Lockfile): string {
  const tables = lockedLaunches(lock).map((launch) => {
    const at = `mcp_servers.${tomlKey(launch.name)}.identity`;
    if (launch.transport !== 'stdio') {
      const url = launch.url ?? '';
      return `[${at}]\nurl = ${filled(url) ? matcher(url) : JSON.stringify(url)}\n`;
    }
    const args = launch.args.map((a) => `  ${matcher(a)},`).join('\n');
    return `[${at}.command]\nexecutable = ${JSON.stringify(launch.command ?? '')}\nargs = [${args ? `\n${args}\n` : ''}]\n`;
  });
  return `# Written by mcp-lock from the reviewed lockfile: only these MCP servers, launched exactly so, are enabled.\n\n${tables.join('\n')}`;
}

/** Cursor's `permissions.json`: every reviewed tool may run without asking; anything else asks first. */
export function cursorPermissions(lock: Lockfile): { mcpAllowlist: string[] } {
  return {
    mcpAllowlist: Object.entries(lock.servers)
      .flatMap(([name, entry]) => Object.keys(entry.tools).map((tool) => `${name}:${tool}`))
      .sort(),
  };
}

/** The policy file's text for a client, and what it could not say exactly. */
export function policyText(client: PolicyClient, lock: Lockfile): { text: string; notes: string[] } {
  if (client === 'codex') return { text: codexRequirements(lock), notes: [] };
  if (client === 'cursor')
    return { text: `${JSON.stringify(cursorPermissions(lock), null, 2)}\n`, notes: [] };
  const { rules, notes } = allowRules(lock);
  return { text: `${JSON.stringify({ allowedMcpServers: rules }, null, 2)}\n`, notes };
}

/** `*` in a URL pattern stands for any text. */
function urlMatches(pattern: string, url: string): boolean {
  return new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`).test(url);
}

/** A configured server as a policy sees it: its name and launch line as written. */
export interface ConfiguredLaunch {
  name: string;
  transport: string;
  command?: string;
  args?: readonly string[];
  url?: string;
}

/**
 * Why the policy made from the lock would refuse a configured server, or undefined when it would let it run. The
 * lock's launch lines are compared with the config's as written (both unexpanded), the pinned version included.
 */
export function refusal(client: PolicyClient, lock: Lockfile, server: ConfiguredLaunch): string | undefined {
  if (client === 'cursor') return undefined;
  const launches = lockedLaunches(lock);
  const line = [server.command ?? '', ...(server.args ?? [])];
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((w, i) => w === b[i]);
  if (client === 'codex') {
    const locked = launches.find((l) => l.name === server.name);
    if (!locked) return 'it is not in the lockfile, so requirements.toml does not list it';
    if (locked.transport !== 'stdio')
      return server.url === locked.url ||
        (locked.url && server.url && urlMatches(urlPattern(locked.url), server.url))
        ? undefined
        : `its URL is not the locked ${locked.url}`;
    return same([locked.command ?? '', ...locked.args], line)
      ? undefined
      : `its launch line is not the locked \`${[locked.command, ...locked.args].join(' ')}\``;
  }
  const { rules } = allowRules(lock);
  const allowed = rules.some((rule) =>
    'serverName' in rule
      ? rule.serverName === server.name
      : 'serverCommand' in rule
        ? server.transport === 'stdio' && same(rule.serverCommand, line)
        : server.transport !== 'stdio' && server.url !== undefined && urlMatches(rule.serverUrl, server.url),
  );
  if (allowed) return undefined;
  const locked = launches.find((l) => l.name === server.name);
  if (!locked) return 'no entry of the allow-list matches it: it is not in the lockfile';
  return server.transport === 'stdio'
    ? `no entry of the allow-list matches \`${line.join(' ')}\`: the lock allows \`${[locked.command, ...locked.args].join(' ')}\``
    : `no entry of the allow-list matches its URL`;
}
