import { Fault } from '../errors.js';

/** Why an entry could not be rewritten; the caller names the file. */
export class WrapError extends Fault {
  constructor(message: string) {
    super('entry-unwrappable', message);
  }
}

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
