import { finding, type Finding } from './findings.js';
import type { Permissions } from './lockfile/schema.js';

/** Grants as given on the command line for one server: `--allow-network`, `--allow-read`, `--allow-write`. */
export interface Grants {
  network: boolean;
  read: string[];
  write: string[];
}

/** The lock's form of a set of grants: sorted, without duplicates, with nothing for what is not granted. */
export function permissionsOf(grants: Grants): Permissions | undefined {
  const sorted = (paths: string[]) => [...new Set(paths)].sort();
  const out: Permissions = {};
  if (grants.network) out.network = true;
  if (grants.read.length > 0) out.read = sorted(grants.read);
  if (grants.write.length > 0) out.write = sorted(grants.write);
  return Object.keys(out).length > 0 ? out : undefined;
}

function describe(p: Permissions | undefined): string {
  const parts = [
    p?.network ? 'network' : 'no network',
    ...(p?.read ?? []).map((path) => `read ${path}`),
    ...(p?.write ?? []).map((path) => `write ${path}`),
  ];
  return parts.join(', ');
}

/** `server-permissions-changed` when what a server may do in its sandbox differs from what the lock granted. */
export function comparePermissions(
  server: string,
  locked: Permissions | undefined,
  next: Permissions | undefined,
): Finding[] {
  const before = describe(locked);
  const after = describe(next);
  if (before === after) return [];
  return [
    finding('server-permissions-changed', {
      server,
      field: 'permissions',
      message: `may now: ${after} (locked: ${before})`,
      before: locked ?? {},
      after: next ?? {},
    }),
  ];
}
