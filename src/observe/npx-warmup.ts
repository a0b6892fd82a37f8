import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { serverEnvironment } from '../connect/env.js';
import { npxInvocation } from '../core/package/launch-line.js';
import type { ServerSpec } from '../core/server-spec.js';
import type { Env } from '../workspace.js';
import { treeBin } from '../registry/materialise.js';

/** How long a download may take: never cut short by the listing's --timeout, but not for ever either. */
const DOWNLOAD_MS = 10 * 60_000;

/** npm's cache folder, as npm finds it: `npm_config_cache`, else ~/.npm (%LocalAppData%\npm-cache on Windows). */
function npmCache(env: Env, home: string): string {
  const configured = env.npm_config_cache ?? env.NPM_CONFIG_CACHE;
  if (configured) return configured;
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'npm-cache');
  return join(home, '.npm');
}

/** Whether npx's cache already holds this version of the package (then npx starts it without downloading). */
async function cached(env: Env, home: string, name: string, version: string): Promise<boolean> {
  return (await npxCacheDir(env, home, name, version)) !== undefined;
}

/** The folder in npx's cache whose `node_modules` holds this version of the package, if there is one. */
export async function npxCacheDir(
  env: Env,
  home: string,
  name: string,
  version: string,
): Promise<string | undefined> {
  const root = join(npmCache(env, home), '_npx');
  let dirs: string[];
  try {
    dirs = await readdir(root);
  } catch {
    return undefined;
  }
  for (const dir of dirs) {
    try {
      const manifest = JSON.parse(
        await readFile(join(root, dir, 'node_modules', name, 'package.json'), 'utf8'),
      ) as {
        version?: unknown;
      };
      if (manifest.version === version) return join(root, dir);
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/**
 * An npx launch line as the bin npx would run from its cache: what a sandbox launches, since npx inside one can
 * neither reach the registry nor write its (read-only) cache. Undefined when the line is not a plain npx call or
 * the package is not cached.
 */
export async function npxCachedLaunch(input: {
  command: string;
  args: readonly string[];
  name: string;
  version: string;
  env: Env;
  home: string;
}): Promise<{ command: string; args: string[]; dir: string } | undefined> {
  const invocation = npxInvocation(input.command, input.args);
  if (!invocation) return undefined;
  const dir = await npxCacheDir(input.env, input.home, input.name, input.version);
  if (!dir) return undefined;
  try {
    return { command: await treeBin(dir, input.name, invocation.bin), args: invocation.args, dir };
  } catch {
    return undefined;
  }
}

/**
 * A cold `npx` downloads the package before it starts it. Killed by the listing's timeout mid-download, it leaves a
 * cache folder that makes the server crash for every client after it. So a package npx has not cached is fetched
 * first, by npx itself (same command, same environment, same cache), under a download budget of its own; then the
 * server is listed within --timeout. Resolves with a note to show, or nothing when there was nothing to do.
 */
export async function warmNpx(input: {
  spec: ServerSpec;
  name: string;
  version: string | undefined;
  env: Env;
  home: string;
  cwd: string;
  onProgress?: (text: string) => void;
}): Promise<string | undefined> {
  const { spec } = input;
  if (spec.command === undefined || input.version === undefined) return undefined;
  const invocation = npxInvocation(spec.command, spec.args ?? []);
  if (!invocation || spec.command.includes('${')) return undefined;
  if (await cached(input.env, input.home ?? homedir(), input.name, input.version)) return undefined;
  input.onProgress?.(`downloading ${input.name}@${input.version} for ${spec.name} (npx)`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      spec.command!,
      ['--yes', '--package', `${input.name}@${input.version}`, '--', 'node', '-e', ''],
      {
        cwd: input.cwd,
        env: serverEnvironment(input.env, {}, spec.command),
        stdio: 'ignore',
        shell: false,
        windowsHide: true,
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), DOWNLOAD_MS);
    child.once('error', () => resolve(null));
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return code === 0
    ? `${spec.name}: downloaded ${input.name}@${input.version} into npx's cache first (${seconds} s), apart from the listing's timeout`
    : `${spec.name}: fetching ${input.name}@${input.version} ahead of the listing did not succeed (${seconds} s); npx fetches it itself`;
}
