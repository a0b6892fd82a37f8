import type { Finding } from '../findings.js';
import { packageState } from '../package/compare.js';
import type { ServerView } from './types.js';

/** Package trust as it stands: unpinned launch lines, artifacts that do not match, signatures that do not verify. */
export function packageTrust(servers: readonly ServerView[]): Finding[] {
  return servers.flatMap(({ name, entry }) => (entry.package ? packageState(name, entry.package) : []));
}
