import { isAbsolute, resolve } from 'node:path';
import { expandVariables, type VariableContext } from '../core/vars.js';
import type { ServerSpec } from '../core/server-spec.js';
import { Fault } from '../errors.js';
import { readBoundedText } from '../store/bounded-read.js';

/** An env file is a handful of lines; a larger one is not one (and a FIFO or device is refused outright). */
const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** A spec with every variable expanded: what is actually launched or connected to. Holds secrets; never persisted. */
export interface Launch {
  command?: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  url?: string;
  headers: Record<string, string>;
}

/** A server that cannot be launched as configured (a variable is not set, an env file is missing). */
export class LaunchError extends Fault {
  constructor(message: string) {
    super('launch-unresolved', message);
  }
}

/** Minimal dotenv reading for VS Code's `envFile`: KEY=VALUE lines, `#` comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    env[match[1]!] = value;
  }
  return env;
}

export async function resolveLaunch(spec: ServerSpec, given: VariableContext): Promise<Launch> {
  const context: VariableContext =
    spec.pluginRoot === undefined
      ? given
      : { ...given, env: { ...given.env, CLAUDE_PLUGIN_ROOT: spec.pluginRoot } };
  const ctx: VariableContext =
    spec.origin.client === 'gemini'
      ? { ...context, dollar: true }
      : spec.origin.client === 'opencode'
        ? { ...context, bare: true }
        : spec.origin.client === 'continue'
          ? { ...context, mustache: true }
          : context;
  const missing = new Set<string>();
  const expand = (text: string): string => {
    const result = expandVariables(text, ctx);
    if (result.ok) return result.value;
    for (const m of result.missing) missing.add(m);
    return text;
  };
  const expandMap = (map: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, expand(v)]));

  const cwd = spec.cwd === undefined ? ctx.workspaceFolder : resolve(ctx.workspaceFolder, expand(spec.cwd));
  let env: Record<string, string> = {};
  if (spec.envFile !== undefined) {
    const path = resolve(ctx.workspaceFolder, expand(spec.envFile));
    try {
      env = parseEnvFile(await readBoundedText(path, MAX_ENV_FILE_BYTES));
    } catch (error) {
      throw new LaunchError(`its envFile ${spec.envFile} cannot be read: ${(error as Error).message}`);
    }
  }
  env = { ...env, ...expandMap(spec.env) };
  const launch: Launch = {
    args: (spec.args ?? []).map(expand),
    cwd,
    env,
    headers: expandMap(spec.headers),
  };
  if (spec.command !== undefined) {
    const command = expand(spec.command);
    // A relative path with a slash is relative to the project, as the clients launch it; a bare name goes to PATH.
    launch.command =
      /[\\/]/.test(command) && !isAbsolute(command) ? resolve(ctx.workspaceFolder, command) : command;
  }
  if (spec.url !== undefined) {
    launch.url = expand(spec.url);
    // `https://user:pass@host/` is sent as Basic credentials, as clients do: fetch refuses a URL that carries them.
    const userinfo = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/.exec(launch.url);
    if (userinfo) {
      launch.url = launch.url.replace(userinfo[0], userinfo[1]!);
      const [user = '', password = ''] = userinfo[2]!.split(/:(.*)/s);
      const decode = (text: string) => {
        try {
          return decodeURIComponent(text);
        } catch {
          return text;
        }
      };
      const hasAuthorization = Object.keys(launch.headers).some((h) => h.toLowerCase() === 'authorization');
      if (!hasAuthorization) {
        launch.headers.Authorization = `Basic ${Buffer.from(`${decode(user)}:${decode(password)}`).toString('base64')}`;
      }
    }
  }
  if (missing.size > 0) throw new LaunchError(`not set: ${[...missing].join(', ')}`);
  return launch;
}
