import { resolve } from 'node:path';
import { LaunchError, parseEnvFile, resolveLaunch } from '../connect/launch.js';
import type { LockServer } from '../core/lockfile/schema.js';
import { npxInvocation } from '../core/package/launch-line.js';
import type { ServerSpec } from '../core/server-spec.js';
import { expandsTo, headerVariable, launchMatches, URL_VARIABLE } from '../core/wrapped-entry.js';
import { expandVariables } from '../core/vars.js';
import { McpLockError } from '../errors.js';
import { materialisedTree, treeBin, treeCacheRoot } from '../registry/materialise.js';
import type { Env } from '../workspace.js';
import { readBoundedText } from '../store/bounded-read.js';

/** What `run` starts: command, arguments, folder, and the values the config hands the server (secrets). */
export interface ProxyLaunch {
  command: string;
  args: string[];
  cwd: string;
  configured: Record<string, string>;
  note?: string;
}

export interface LaunchInput {
  server: string;
  entry: LockServer;
  lockDisplay: string;
  /** The launch line the client handed over after `--` (a wrapped config); none: launch the locked one. */
  launch: readonly string[];
  cwd: string;
  env: Env;
  home: string;
}

/** Names a VS Code `envFile` defines: the client loaded them into mcp-lock's environment, so they go on. */
async function envFileNames(path: string): Promise<string[]> {
  try {
    return Object.keys(parseEnvFile(await readBoundedText(path, 1024 * 1024)));
  } catch {
    return [];
  }
}

/**
 * What to start: the client's launch line when it is the locked one (its variables expanded by the client), or the
 * locked launch line expanded here. The server's environment is the minimal base plus the variables its config
 * names — which the client has set in mcp-lock's environment.
 */
export async function serverLaunch(input: LaunchInput): Promise<ProxyLaunch> {
  const source = input.entry.source;
  const names = [
    ...(source.env ?? []),
    ...(source.envFile ? await envFileNames(resolve(input.cwd, source.envFile)) : []),
  ];
  const configured: Record<string, string> = {};
  for (const name of names) {
    const value = input.env[name];
    if (value !== undefined) configured[name] = value;
  }
  if (input.launch.length > 0) {
    const [command, ...args] = input.launch as [string, ...string[]];
    if (!launchMatches(source, command, args)) {
      throw new McpLockError(
        'launch-mismatch',
        `${input.server}: the launch line differs from the one in ${input.lockDisplay}, so it is not started`,
        {
          hint: 'if the config was changed on purpose: `mcp-lock unwrap`, `mcp-lock update`, then `mcp-lock wrap`',
        },
      );
    }
    return { command, args, cwd: input.cwd, configured };
  }
  const spec: ServerSpec = {
    name: input.server,
    origin: { file: input.lockDisplay, key: input.server, client: 'generic' },
    transport: 'stdio',
    command: source.command!,
    args: source.args ?? [],
    env: Object.fromEntries((source.env ?? []).map((n) => [n, `\${env:${n}}`])),
    ...(source.cwd !== undefined ? { cwd: source.cwd } : {}),
    ...(source.envFile !== undefined ? { envFile: source.envFile } : {}),
  };
  try {
    const launch = await resolveLaunch(spec, {
      env: input.env,
      userHome: input.home,
      workspaceFolder: input.cwd,
      pathSeparator: '/',
    });
    return {
      command: launch.command!,
      args: launch.args,
      cwd: launch.cwd,
      configured: { ...launch.env, ...configured },
    };
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    throw new McpLockError('server-not-started', `${input.server} cannot be launched: ${error.message}`, {
      hint: 'set them in the environment, or launch it through its client config (`mcp-lock wrap`)',
    });
  }
}

/**
 * An npm server whose locked dependency tree is installed (`install --materialise`) is started from that tree, so the
 * session runs exactly the reviewed code; otherwise it goes through npx as configured, with a note saying so.
 */
export async function fromLockedTree(input: LaunchInput, launch: ProxyLaunch): Promise<ProxyLaunch> {
  const pkg = input.entry.package;
  if (pkg?.type !== 'npm' || !pkg.dependencies) return launch;
  const invocation = npxInvocation(launch.command, launch.args);
  if (!invocation) return launch;
  const dir = await materialisedTree(treeCacheRoot(input.env, input.home), pkg.dependencies.digest);
  if (!dir) {
    return {
      ...launch,
      note: 'started through npx: its locked dependency tree is not installed (run `mcp-lock install --materialise`)',
    };
  }
  try {
    return { ...launch, command: await treeBin(dir, pkg.name, invocation.bin), args: invocation.args };
  } catch (error) {
    return { ...launch, note: `started through npx: ${(error as Error).message}` };
  }
}

/** Where `run` reaches a remote server: the URL the client handed over (or the locked one), and its headers. */
export interface RemoteLaunch {
  url: URL;
  headers: Record<string, string>;
  /** Every value that came from the config: redacted from everything the session writes. */
  configured: string[];
}

/**
 * A wrapped remote entry hands its URL and header values over in the environment (MCP_LOCK_URL,
 * MCP_LOCK_HEADER_<NAME>), after the client expanded their variables. The URL must be the locked one (its redacted
 * query values and variable references standing for whatever the client put there), and every locked header given.
 */
export function remoteLaunch(input: LaunchInput): RemoteLaunch {
  const source = input.entry.source;
  const given = input.env[URL_VARIABLE];
  const locked = source.url ?? '';
  let text = given;
  if (text === undefined) {
    const expanded = expandVariables(locked, {
      env: input.env,
      userHome: input.home,
      workspaceFolder: input.cwd,
      pathSeparator: '/',
    });
    if (!expanded.ok || expanded.value.includes('<redacted>')) {
      throw new McpLockError('server-not-started', `${input.server}: its URL is not known here`, {
        hint: 'launch it through its client config wrapped by `mcp-lock wrap`, which hands the URL over',
      });
    }
    text = expanded.value;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new McpLockError('server-not-started', `${input.server}: ${URL_VARIABLE} is not a URL`, {
      hint: 'unwrap and wrap the entry again',
    });
  }
  const withoutUser = text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#@]*@/, '$1');
  if (!expandsTo(locked, withoutUser)) {
    throw new McpLockError(
      'launch-mismatch',
      `${input.server}: the URL differs from the one in ${input.lockDisplay}, so it is not connected to`,
      {
        hint: 'if the config was changed on purpose: `mcp-lock unwrap`, `mcp-lock update`, then `mcp-lock wrap`',
      },
    );
  }
  const headers: Record<string, string> = {};
  for (const name of source.headers ?? []) {
    const value = input.env[headerVariable(name)];
    if (value === undefined) {
      throw new McpLockError(
        'server-not-started',
        `${input.server}: the value of header ${name} was not handed over`,
        {
          hint: `set ${headerVariable(name)}, or wrap the entry again with \`mcp-lock wrap\``,
        },
      );
    }
    headers[name] = value;
  }
  const configured = [...Object.values(headers)];
  if (url.password) configured.push(decodeURIComponent(url.password));
  for (const value of url.searchParams.values()) configured.push(value);
  return { url, headers, configured };
}
