import { digest } from './canonical.js';
import { stripVolatile, toolEntry } from './lockfile/entry.js';
import type { LockServer } from './lockfile/schema.js';
import { redactDeep } from './redact.js';
import type { JsonObject } from './server-snapshot.js';

/**
 * The runtime gate of `mcp-lock run`: what the server lists now, held against what was reviewed. The digests are
 * those of the lockfile, computed the same way (secrets redacted first), so "locked" means byte-for-byte reviewed.
 */
export type GatedKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';
export type DriftStatus = 'locked' | 'changed' | 'new' | 'duplicate';
export type OnDrift = 'withhold' | 'warn';

export interface GateDecision {
  kind: GatedKind | 'instructions' | 'prompt-body';
  name: string;
  status: DriftStatus;
  /** What the client got: the item, the item despite drift (`--on-drift warn`), nothing, or the locked text. */
  action: 'passed' | 'warned' | 'withheld' | 'replaced' | 'dropped';
}

const IDENTITY: Record<GatedKind, string> = {
  tools: 'name',
  prompts: 'name',
  resources: 'uri',
  resourceTemplates: 'uriTemplate',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The status of one listed item against the lock. */
export function itemStatus(
  kind: GatedKind,
  item: JsonObject,
  locked: LockServer,
  secrets: readonly string[],
) {
  const name = item[IDENTITY[kind]];
  if (typeof name !== 'string') return { name: `<no ${IDENTITY[kind]}>`, status: 'new' as const };
  const redacted = redactDeep(kind === 'resources' ? stripVolatile(item) : item, secrets);
  const live = kind === 'tools' ? toolEntry(redacted).digest : digest(redacted);
  // Own keys only: a tool named `constructor` or `__proto__` is data, not the object's prototype.
  const entry = Object.hasOwn(locked[kind], name) ? locked[kind][name] : undefined;
  return {
    name,
    status: !entry ? ('new' as const) : entry.digest === live ? ('locked' as const) : ('changed' as const),
  };
}

/**
 * Filters one page of a list result: locked items pass; drifted, new or repeated ones are withheld, or passed and
 * flagged under `warn`. A name listed twice is never passed twice: the client would pick one, the model the other.
 */
export function gateItems(
  kind: GatedKind,
  items: readonly unknown[],
  locked: LockServer,
  onDrift: OnDrift,
  secrets: readonly string[],
  seen: Set<string> = new Set(),
): { items: unknown[]; decisions: GateDecision[] } {
  const passed: unknown[] = [];
  const decisions: GateDecision[] = [];
  for (const item of items) {
    if (!isObject(item)) {
      decisions.push({ kind, name: '<not an object>', status: 'new', action: 'withheld' });
      continue;
    }
    const found = itemStatus(kind, item, locked, secrets);
    const status: DriftStatus = seen.has(found.name) ? 'duplicate' : found.status;
    seen.add(found.name);
    const action =
      status === 'locked' ? 'passed' : onDrift === 'warn' && status !== 'duplicate' ? 'warned' : 'withheld';
    if (action !== 'withheld') passed.push(item);
    decisions.push({ kind, name: found.name, status, action });
  }
  return { items: passed, decisions };
}

/**
 * The initialize result with the reviewed `instructions`: text the model reads before any tool, so a changed one is
 * replaced by the locked text (or dropped when the lock has none), whatever `--on-drift` says.
 */
export function gateInitialize(
  result: JsonObject,
  locked: LockServer,
  secrets: readonly string[],
): { result: JsonObject; decisions: GateDecision[] } {
  const live = typeof result.instructions === 'string' ? redactDeep(result.instructions, secrets) : undefined;
  // Instructions the server stopped sending are not put back: nothing unreviewed reaches the model either way.
  if (live === undefined || live === locked.instructions) return { result, decisions: [] };
  const { instructions: _dropped, ...rest } = result;
  if (locked.instructions === undefined) {
    return {
      result: rest,
      decisions: [{ kind: 'instructions', name: 'instructions', status: 'new', action: 'dropped' }],
    };
  }
  return {
    result: { ...rest, instructions: locked.instructions },
    decisions: [{ kind: 'instructions', name: 'instructions', status: 'changed', action: 'replaced' }],
  };
}

/** Result fields that describe an answer in the 2026-07-28 era rather than what it holds. */
const WIRE_FIELDS = ['resultType', 'ttlMs', 'cacheScope', '_meta'];

/**
 * A `prompts/get` result against the body the lock pinned (for a prompt fetched without arguments): the same, or
 * withheld. A prompt whose body the lock does not hold (it takes arguments, or the lock predates bodies) passes on
 * its definition, as before.
 */
export function gatePromptBody(
  name: string,
  args: unknown,
  result: JsonObject,
  locked: LockServer,
  secrets: readonly string[],
): GateDecision | undefined {
  const entry = Object.hasOwn(locked.prompts, name) ? locked.prompts[name] : undefined;
  const noArguments = args === undefined || (isObject(args) && Object.keys(args).length === 0);
  if (!entry?.body || !noArguments) return undefined;
  const body = Object.fromEntries(Object.entries(result).filter(([k]) => !WIRE_FIELDS.includes(k)));
  const live = digest(redactDeep(body, secrets));
  return live === entry.body.digest
    ? undefined
    : { kind: 'prompt-body', name, status: 'changed', action: 'withheld' };
}
