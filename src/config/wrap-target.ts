import { wrapPrefix } from '../core/wrapped-entry.js';

/** What clients start in place of each server: a command and the arguments it needs before `run`. */
export interface Launcher {
  command: string;
  args: string[];
}

export interface WrapTarget {
  server: string;
  lockfile: string;
  launcher: Launcher;
  /** The wrapped entry runs the server in the sandbox (`run --sandbox`). */
  sandbox?: boolean;
}

/** The words wrap puts in front of an entry's original command, JSON-quoted (valid in JSON, YAML and TOML alike). */
export function quotedPrefix(target: WrapTarget, hadArgs: boolean): string[] {
  return wrapPrefix(
    target.server,
    target.lockfile,
    hadArgs,
    target.launcher.args,
    target.sandbox ?? false,
  ).map((a) => JSON.stringify(a));
}
