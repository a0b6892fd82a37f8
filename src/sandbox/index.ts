import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Permissions } from '../core/lockfile/schema.js';
import { McpLockError } from '../errors.js';
import { bubblewrapArgs, probeBubblewrap } from './bubblewrap.js';
import { sandboxEnv } from './plan.js';
import { seatbeltProfile } from './sandbox-exec.js';

/** `auto`: sandbox where one is available, say so where not; `off`: `--no-sandbox`; `require`: `--require-sandbox`. */
export type SandboxMode = 'auto' | 'off' | 'require';

/** A command line as it is spawned, and how to clean up after it. */
export interface SandboxedLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Removes the private home; call once the server has exited. */
  cleanup: () => void;
  /** In a PID namespace that ends with it: nothing it starts outlives it. */
  confined?: boolean;
}

/** What launches a stdio server: in a sandbox of a kind, or not at all sandboxed (and why). */
export interface Sandbox {
  kind: 'bubblewrap' | 'sandbox-exec' | 'none';
  /** The report's line about it. */
  note: string;
  /** Whether a server launched by it has no network unless granted. */
  confines: boolean;
  wrap(
    launch: { command: string; args: string[]; cwd: string; env: Record<string, string> },
    permissions: Permissions | undefined,
  ): SandboxedLaunch;
}

const UNSANDBOXED = (note: string): Sandbox => ({
  kind: 'none',
  note,
  confines: false,
  wrap: (launch) => ({ ...launch, cleanup: () => {} }),
});

function privateHome(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'mcp-lock-sandbox-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Whether a command would start: a command that cannot be found is spawned unwrapped, so it fails the way it would
 * without a sandbox (`command not found: …`) and nothing runs either way.
 */
function startable(command: string, cwd: string, path: string | undefined): boolean {
  const candidates = /[\\/]/.test(command)
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : (path ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

let probed: Promise<{ ok: true } | { ok: false; reason: string }> | undefined;

/**
 * The sandbox for this run. `require` on a system without one is exit 2 (`sandbox-unavailable`); `auto` there is
 * a note in the report, never a silent downgrade.
 */
export async function openSandbox(
  mode: SandboxMode,
  context: { project: string; home: string; env: Record<string, string | undefined> },
): Promise<Sandbox> {
  if (mode === 'off') return UNSANDBOXED('servers were launched without a sandbox (--no-sandbox)');
  const unavailable = (reason: string): Sandbox => {
    if (mode === 'require') {
      throw new McpLockError('sandbox-unavailable', `no sandbox to launch servers in: ${reason}`, {
        hint: 'install bubblewrap (Linux), or run without --require-sandbox',
      });
    }
    return UNSANDBOXED(
      `servers were launched without a sandbox: ${reason}; --require-sandbox makes that an error`,
    );
  };
  if (process.platform === 'darwin') {
    // Seatbelt's rules are built but cannot be tested here: used only when asked for.
    if (mode !== 'require')
      return unavailable('the macOS sandbox (sandbox-exec) is used only with --require-sandbox');
    return {
      kind: 'sandbox-exec',
      note: 'servers were launched in a sandbox (sandbox-exec): no network unless granted, writes only to a private home',
      confines: true,
      wrap(launch, permissions) {
        const home = privateHome();
        const plan = { project: context.project, home: context.home, privateHome: home.path, permissions };
        return {
          command: '/usr/bin/sandbox-exec',
          args: ['-p', seatbeltProfile(plan), launch.command, ...launch.args],
          env: sandboxEnv(launch.env, plan),
          cleanup: home.cleanup,
        };
      },
    };
  }
  if (process.platform !== 'linux') return unavailable(`no sandbox is supported on ${process.platform}`);
  probed ??= probeBubblewrap(context.env);
  const probe = await probed;
  if (!probe.ok) return unavailable(probe.reason);
  return {
    kind: 'bubblewrap',
    note: 'servers were launched in a sandbox (bubblewrap): no network unless granted, the filesystem read-only but a private home, credentials and .git hidden',
    confines: true,
    wrap(launch, permissions) {
      if (!startable(launch.command, launch.cwd, launch.env.PATH)) return { ...launch, cleanup: () => {} };
      const home = privateHome();
      const plan = { project: context.project, home: context.home, privateHome: home.path, permissions };
      return {
        command: 'bwrap',
        args: bubblewrapArgs(launch.command, launch.args, launch.cwd, plan),
        env: sandboxEnv(launch.env, plan),
        cleanup: home.cleanup,
        confined: true,
      };
    },
  };
}
