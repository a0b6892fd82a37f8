import type { Finding } from '../findings.js';
import type { LockServer } from '../lockfile/schema.js';

/** A server as the checks see it: its name, its current definitions, and the config files that load it. */
export interface ServerView {
  name: string;
  entry: LockServer;
}

/** A classifier: pure, deterministic, one concern. */
export type Check = (servers: readonly ServerView[]) => Finding[];

/**
 * A classifier that judges one server at a time, in the context of all: the same findings as a `Check`, in steps a
 * caller can pause between (on servers of thousands of tools one such check takes a large part of a second).
 */
export interface ServerCheck {
  each: (servers: readonly ServerView[], view: ServerView) => Finding[];
}
