import { setOwn } from '../proto-keys.js';
import type { LockServer, LockSource, Lockfile, Permissions } from './schema.js';

/** How many definitions of each kind a locked server has. */
export interface DefinitionCounts {
  tools: number;
  prompts: number;
  resources: number;
  resourceTemplates: number;
}

/** What a listing (`ls`) needs of a locked server: where it came from, its permissions, its counts. */
export interface ServerOutline {
  source: LockSource;
  permissions?: Permissions;
  counts: DefinitionCounts;
}

/** A lockfile as a listing sees it: a few hundred bytes per server where the lock holds every definition. */
export interface LockOutline {
  servers: Record<string, ServerOutline>;
}

export function definitionCounts(server: LockServer): DefinitionCounts {
  return {
    tools: Object.keys(server.tools).length,
    prompts: Object.keys(server.prompts).length,
    resources: Object.keys(server.resources).length,
    resourceTemplates: Object.keys(server.resourceTemplates).length,
  };
}

export function outlineOf(lock: Lockfile): LockOutline {
  const servers: Record<string, ServerOutline> = {};
  for (const [name, server] of Object.entries(lock.servers)) {
    // A server may be named __proto__: an own entry, as in the lock.
    setOwn(servers, name, {
      source: server.source,
      ...(server.permissions ? { permissions: server.permissions } : {}),
      counts: definitionCounts(server),
    });
  }
  return { servers };
}
