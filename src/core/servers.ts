import { canonicalize } from './canonical.js';
import type { ServerSpec } from './server-spec.js';

/** One server as mcp-lock locks it: a name and every config entry that defines it identically. */
export interface ConfiguredServer {
  name: string;
  specs: ServerSpec[];
}

function definition(spec: ServerSpec): string {
  const { name: _name, origin: _origin, wrapped: _wrapped, ...rest } = spec;
  return canonicalize(rest);
}

/**
 * Merges the servers of several config files. The same name defined the same way (a server shared by `.mcp.json`
 * and `.cursor/mcp.json`) is one server; the same name defined differently is never silently overwritten: each
 * definition is locked under `name@file`, and a note says so.
 */
export function mergeServers(specs: readonly ServerSpec[]): { servers: ConfiguredServer[]; notes: string[] } {
  const byName = new Map<string, Map<string, ServerSpec[]>>();
  for (const spec of specs) {
    const variants = byName.get(spec.name) ?? new Map<string, ServerSpec[]>();
    const key = definition(spec);
    variants.set(key, [...(variants.get(key) ?? []), spec]);
    byName.set(spec.name, variants);
  }
  const servers: ConfiguredServer[] = [];
  const notes: string[] = [];
  for (const [name, variants] of byName) {
    if (variants.size === 1) {
      servers.push({ name, specs: [...variants.values()][0]! });
      continue;
    }
    const qualified = [...variants.values()].map((group) => ({
      name: `${name}@${group.map((s) => s.origin.file).join(',')}`,
      specs: group,
    }));
    notes.push(
      `server "${name}" is defined differently in several configs; locked as ${qualified.map((q) => `"${q.name}"`).join(' and ')}`,
    );
    servers.push(...qualified);
  }
  servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { servers, notes };
}
