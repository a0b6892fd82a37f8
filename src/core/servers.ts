import { canonicalize } from './canonical.js';
import { finding, type Finding } from './findings.js';
import type { ServerSpec } from './server-spec.js';

/** One server as mcp-lock locks it: a name and every config entry that defines it identically. */
export interface ConfiguredServer {
  name: string;
  specs: ServerSpec[];
}

function definition(spec: ServerSpec): string {
  const { name: _name, origin: _origin, wrapped: _wrapped, pluginRoot, ...rest } = spec;
  // A plugin's folder is part of what runs only where the launch line names it.
  const text = canonicalize(rest);
  return pluginRoot !== undefined && text.includes('CLAUDE_PLUGIN_ROOT')
    ? canonicalize({ ...rest, pluginRoot })
    : text;
}

/** The project's files (and files named with --config) come before the user's, as the clients read them. */
function rank(specs: readonly ServerSpec[]): number {
  return Math.min(...specs.map((s) => (s.origin.scope === 'user' ? 1 : 0)));
}

/**
 * Merges the servers of several config files. The same name defined the same way (a server shared by `.mcp.json`
 * and `.cursor/mcp.json`) is one server; the same name defined differently is never silently overwritten: each
 * definition is locked under `name@file`, and a note says so — except that a name defined once in the project keeps
 * it whatever the user's files say, so a lock made in CI (project only) and one made with `--user` name it alike.
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
    const groups = [...variants.values()];
    if (groups.length === 1) {
      servers.push({ name, specs: groups[0]! });
      continue;
    }
    const top = Math.min(...groups.map(rank));
    const first = groups.filter((g) => rank(g) === top);
    const plain = first.length === 1 ? first[0] : undefined;
    const named = groups.map((group) => ({
      name: group === plain ? name : `${name}@${group.map((s) => s.origin.file).join(',')}`,
      specs: group,
    }));
    notes.push(
      `server "${name}" is defined differently in several configs; locked as ${named.map((q) => `"${q.name}"`).join(' and ')}`,
    );
    servers.push(...named);
  }
  servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { servers, notes };
}

/**
 * server-config-duplicate: a config file that names one server twice. JSON parsers keep the last entry, so the one a
 * reviewer reads first is not the one that runs.
 */
export function configDuplicates(servers: readonly ConfiguredServer[]): Finding[] {
  return servers.flatMap((server) =>
    server.specs
      .filter((spec) => spec.origin.shadowedLines?.length)
      .map((spec) =>
        finding('server-config-duplicate', {
          server: server.name,
          message: `${spec.origin.file} defines "${server.name}" more than once (line${spec.origin.shadowedLines!.length > 1 ? 's' : ''} ${spec.origin.shadowedLines!.join(', ')}${spec.origin.line ? ` and ${spec.origin.line}` : ''}): clients run the last entry; remove the others`,
        }),
      ),
  );
}
