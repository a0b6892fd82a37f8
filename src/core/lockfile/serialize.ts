import { canonicalizePretty } from '../canonical.js';
import type { Lockfile } from './schema.js';

/** The one byte form of a lockfile. */
export function serializeLockfile(lock: Lockfile): string {
  return canonicalizePretty(lock);
}

/** Where the (empty) server map stands in the lockfile's layout: the last top-level key, at one level of indent. */
const EMPTY_SERVERS_TAIL = '  "servers": {}\n}\n';
const SERVERS_OPEN = '  "servers": {\n';
/** What is around one server serialised as `{ servers: { name: server } }`. */
const SERVER_HEAD = `{\n${SERVERS_OPEN}`;
const SERVER_FOOT = '\n  }\n}\n';

/**
 * The same bytes as `serializeLockfile`, built one server at a time with `pause` awaited between servers: a lock of
 * several servers of thousands of tools takes a large part of a second to serialise, and a signal must not wait for it.
 */
export async function serializeLockfilePausing(lock: Lockfile, pause: () => Promise<void>): Promise<string> {
  const names = Object.keys(lock.servers).sort();
  const shell = canonicalizePretty({ ...lock, servers: {} });
  // `servers` sorts after every other top-level key; should that ever change, the whole form is still right.
  if (names.length === 0 || !shell.endsWith(EMPTY_SERVERS_TAIL)) return serializeLockfile(lock);
  const parts: string[] = [];
  for (const name of names) {
    // Serialised where it stands, so its indent and its key's escapes are the lockfile's own.
    const alone = canonicalizePretty({ servers: { [name]: lock.servers[name] } });
    parts.push(alone.slice(SERVER_HEAD.length, -SERVER_FOOT.length));
    await pause();
  }
  return `${shell.slice(0, -EMPTY_SERVERS_TAIL.length)}${SERVERS_OPEN}${parts.join(',\n')}${SERVER_FOOT}`;
}
