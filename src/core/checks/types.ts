import type { Finding } from '../findings.js';
import type { LockServer } from '../lockfile/schema.js';

/** A server as the checks see it: its name, its current definitions, and the config files that load it. */
export interface ServerView {
  name: string;
  entry: LockServer;
}

/** A classifier: pure, deterministic, one concern. */
export type Check = (servers: readonly ServerView[]) => Finding[];
