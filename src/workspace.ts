import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { displayPath, type DiscoveryContext } from './config/discover.js';
import { LockfileStore } from './store/lockfile-store.js';
import { withWriterLock } from './store/writer-lock.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where a command runs: the project folder, the user's home and environment, and the lockfile it works on. */
export interface WorkspaceInput {
  cwd: string;
  lockfile: string;
  /** mcp-lock's own environment (servers never get it whole); `process.env` when left out. */
  env?: Env;
  home?: string;
  /** Told when the command waits for another mcp-lock writing the same lockfile. */
  onWait?: (text: string) => void;
}

export interface Workspace {
  discovery: DiscoveryContext;
  env: Env;
  store: LockfileStore;
  /** Runs `fn` as the only writer of the lockfile (a second one waits). */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
}

export function openWorkspace(input: WorkspaceInput): Workspace {
  const env = input.env ?? process.env;
  const discovery: DiscoveryContext = {
    cwd: resolve(input.cwd),
    home: input.home ?? homedir(),
    platform: process.platform,
    env,
  };
  const lockPath = resolve(discovery.cwd, input.lockfile);
  const store = new LockfileStore(lockPath, displayPath(lockPath, discovery));
  return {
    discovery,
    env,
    store,
    exclusive: (fn) => withWriterLock(store.path, store.display, input.onWait, fn),
  };
}
