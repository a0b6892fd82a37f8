import type { Readable, Writable } from 'node:stream';
import type { CommandName, Report } from '../report/model.js';
import type { Env } from '../workspace.js';
import type { ParamName, ParamValues } from './params.js';

/** The streams and surroundings a command runs in, handed over by the CLI (the only place that touches process). */
export interface CommandIO {
  cwd: string;
  env: Env;
  /** `YYYY-MM-DD`, read from the clock once, at the CLI. */
  today: string;
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Whether progress lines are wanted (stderr is a terminal). */
  progress: boolean;
}

export interface ArgumentSpec {
  /** commander syntax: `<server>`, `[servers...]`. */
  name: string;
  description: string;
}

export interface Invocation<K extends ParamName> {
  /** The positional arguments, one entry per declared argument (a variadic one is a list). */
  args: (string | string[] | undefined)[];
  params: ParamValues<K>;
  io: CommandIO;
}

/**
 * One CLI command: its name, the params it takes (declared in params.ts, shared), and what it does. `run` returns the
 * report to print (the CLI renders it in `--format` and exits with its code) or, for `run`, the exit code itself.
 */
export interface CommandDefinition<K extends ParamName = ParamName> {
  name: CommandName;
  summary: string;
  args: readonly ArgumentSpec[];
  params: readonly K[];
  /** Show whole before/after values in the human report (`diff`). */
  full?: boolean;
  /** Print the help text about variables and exit codes after this command's own help. */
  launchesServers?: boolean;
  run(invocation: Invocation<K>): Promise<Report | number>;
}

/** Declares a command with its params' types checked against what `run` reads. */
export function defineCommand<const K extends ParamName>(
  definition: CommandDefinition<K>,
): CommandDefinition<K> {
  return definition;
}

/** The list of names a `[servers...]` argument gave. */
export function names(arg: string | string[] | undefined): string[] {
  return Array.isArray(arg) ? arg : arg === undefined ? [] : [arg];
}
