import { canonicalMembers, digest, digestText, joinMembers } from '../canonical.js';
import type { JsonObject, ServerSnapshot } from '../server-snapshot.js';
import {
  TOOL_FIELDS,
  type LockItem,
  type LockPackage,
  type LockServer,
  type LockSource,
  type Observation,
  type ToolEntry,
} from './schema.js';

/** Fields that change on their own (a file's size, its modification time): pinning them would report noise. */
export function stripVolatile(resource: JsonObject): JsonObject {
  const { size: _size, ...rest } = resource;
  if (typeof rest.annotations === 'object' && rest.annotations !== null) {
    const { lastModified: _lastModified, ...annotations } = rest.annotations as JsonObject;
    rest.annotations = annotations;
  }
  return rest;
}

/**
 * Keys items by their identity (tool name, resource URI…). A second item under the same key is kept, under a
 * marked key: a server that lists one name twice leaves it to the client which one the model gets.
 */
function keyed<T>(
  items: readonly JsonObject[],
  identity: string,
  make: (item: JsonObject) => T,
): Record<string, T> {
  // A Map, then own properties: a tool named `__proto__` or `constructor` is a name, not the object's prototype.
  const out = new Map<string, T>();
  items.forEach((item, index) => {
    const id = item[identity];
    const base = typeof id === 'string' ? id : `<no ${identity} #${index + 1}>`;
    let key = base;
    for (let n = 2; out.has(key); n++) key = `${base} (duplicate #${n})`;
    out.set(key, make(item));
  });
  return Object.fromEntries(out);
}

function item(definition: JsonObject): LockItem {
  return { definition, digest: digest(definition) };
}

/** A prompt with the body it gives when fetched without arguments, when the server gave one. */
function withBody(prompt: LockItem, body: JsonObject | undefined): LockItem {
  return body === undefined ? prompt : { ...prompt, body: { result: body, digest: digest(body) } };
}

export function toolEntry(definition: JsonObject): ToolEntry {
  // Each member is canonicalised once, for the field's digest and for the whole definition's: reading a lock
  // recomputes every tool's digests, and canonicalising twice was most of that.
  const members = canonicalMembers(definition);
  const texts = new Map(members);
  const fields: ToolEntry['fields'] = {};
  for (const field of TOOL_FIELDS) {
    const text = texts.get(field);
    if (text !== undefined) fields[field] = digestText(text);
  }
  return { definition, digest: digestText(joinMembers(members)), fields };
}

/** The digest of everything a server offers: what the model can be shown, not how the server is launched. */
export function serverDigest(entry: Omit<LockServer, 'digest' | 'source' | 'package' | 'observed'>): string {
  // An item with a pinned body counts its body too; one without keeps the digest it always had.
  const digests = (items: Record<string, { digest: string; body?: { digest: string } }>) =>
    Object.fromEntries(
      Object.entries(items).map(([k, v]) => [k, v.body ? `${v.digest} ${v.body.digest}` : v.digest]),
    );
  return digest({
    protocolVersion: entry.protocolVersion,
    serverInfo: entry.serverInfo,
    capabilities: entry.capabilities,
    instructions: entry.instructions,
    tools: digests(entry.tools),
    prompts: digests(entry.prompts),
    resources: digests(entry.resources),
    resourceTemplates: digests(entry.resourceTemplates),
  });
}

/** A snapshot as a lock entry: full definitions for review, digests for comparison. */
export function toLockServer(
  source: LockSource,
  snapshot: ServerSnapshot,
  pkg?: LockPackage,
  observed?: Observation,
): LockServer {
  const bodies = snapshot.promptBodies ?? {};
  const body: Omit<LockServer, 'digest' | 'source' | 'package' | 'observed'> = {
    protocolVersion: snapshot.protocolVersion,
    serverInfo: snapshot.serverInfo,
    capabilities: snapshot.capabilities,
    tools: keyed(snapshot.tools, 'name', toolEntry),
    prompts: keyed(snapshot.prompts, 'name', (p) =>
      withBody(
        item(p),
        typeof p.name === 'string' && Object.hasOwn(bodies, p.name) ? bodies[p.name] : undefined,
      ),
    ),
    resources: keyed(snapshot.resources.map(stripVolatile), 'uri', item),
    resourceTemplates: keyed(snapshot.resourceTemplates, 'uriTemplate', item),
  };
  if (snapshot.instructions !== undefined) body.instructions = snapshot.instructions;
  return {
    source,
    ...(pkg ? { package: pkg } : {}),
    ...(observed ? { observed } : {}),
    ...body,
    digest: serverDigest(body),
  };
}
