import { digest } from '../canonical.js';
import { MAX_JSON_DEPTH, textNestsDeeperThan } from '../json-depth.js';
import {
  PROTO_STAND_IN,
  isObject,
  mayHoldProtoKey,
  parseKeepingProtoKeys,
  restoreProtoKeys,
  setOwn,
} from '../proto-keys.js';
import { serverDigest, toolEntry } from './entry.js';
import {
  LOCKFILE_VERSION,
  LockServerSchema,
  LockfileSchema,
  type LockServer,
  type Lockfile,
  type ToolEntry,
  type ToolField,
} from './schema.js';

export type LockfileProblem = 'invalid' | 'version';
export type ParsedLockfile =
  { ok: true; value: Lockfile } | { ok: false; problem: LockfileProblem; errors: string[] };

/** Whether two per-field digest maps name the same fields with the same digests. */
function sameFields(a: ToolEntry['fields'], b: ToolEntry['fields']): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && a[k as ToolField] === b[k as ToolField])
  );
}

/**
 * Every stored digest must match its definition: a hand-edited definition would otherwise pass as reviewed. Yields
 * after each server, so a caller can let signals in between (a large lock takes a while).
 */
function* checkDigests(lock: Lockfile, errors: string[]): Generator<void, void, void> {
  for (const [name, server] of Object.entries(lock.servers)) {
    for (const [tool, entry] of Object.entries(server.tools)) {
      const expected = toolEntry(entry.definition);
      if (expected.digest !== entry.digest || !sameFields(expected.fields, entry.fields)) {
        errors.push(`servers.${name}.tools.${tool}: digest does not match the definition`);
      }
    }
    for (const kind of ['prompts', 'resources', 'resourceTemplates'] as const) {
      for (const [key, entry] of Object.entries(server[kind])) {
        if (digest(entry.definition) !== entry.digest) {
          errors.push(`servers.${name}.${kind}.${key}: digest does not match the definition`);
        }
        if (entry.body && digest(entry.body.result) !== entry.body.digest) {
          errors.push(`servers.${name}.${kind}.${key}.body: digest does not match the body`);
        }
      }
    }
    const {
      digest: stored,
      source: _source,
      package: _package,
      observed: _observed,
      permissions: _permissions,
      ...body
    } = server;
    if (errors.length === 0 && serverDigest(body) !== stored) {
      errors.push(`servers.${name}.digest does not match the server entry`);
    }
    yield;
  }
}

/** Pure: lockfile text in, a validated lockfile or every problem found out. */
export function parseLockfile(text: string): ParsedLockfile {
  const steps = parseSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, awaiting `pause` between steps (after the JSON, the schema, each server's digests). */
export async function parseLockfilePausing(
  text: string,
  pause: () => Promise<void>,
): Promise<ParsedLockfile> {
  const steps = parseSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

function* parseSteps(text: string): Generator<void, ParsedLockfile, void> {
  let raw: unknown;
  try {
    raw = parseKeepingProtoKeys(text);
  } catch (error) {
    return { ok: false, problem: 'invalid', errors: [`not valid JSON (${(error as Error).message})`] };
  }
  yield;
  // Definitions are at most MAX_JSON_DEPTH deep when recorded; a deeper lockfile was not written by mcp-lock.
  if (textNestsDeeperThan(text, MAX_JSON_DEPTH + 10)) {
    return { ok: false, problem: 'invalid', errors: [`nests deeper than ${MAX_JSON_DEPTH + 10} levels`] };
  }
  const version = (raw as { lockfileVersion?: unknown } | null)?.lockfileVersion;
  if (typeof version === 'number' && version > LOCKFILE_VERSION) {
    return {
      ok: false,
      problem: 'version',
      errors: [`lockfileVersion ${version} is newer than this mcp-lock reads (${LOCKFILE_VERSION})`],
    };
  }
  yield;
  // Without stand-ins there is nothing to put back, and putting back copies the whole lock.
  const validated = yield* validate(raw, mayHoldProtoKey(text) ? restoreProtoKeys : (value) => value);
  if (!validated.ok) return validated;
  const lock = validated.value;
  const digestErrors: string[] = [];
  yield* checkDigests(lock, digestErrors);
  if (digestErrors.length > 0) return { ok: false, problem: 'invalid', errors: digestErrors };
  return { ok: true, value: lock };
}

type Issue = { path: PropertyKey[]; message: string };

function invalid(issues: readonly Issue[]): ParsedLockfile {
  return {
    ok: false,
    problem: 'invalid',
    errors: issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`),
  };
}

/**
 * The schema, one server at a time (a large lock takes a while to validate), and `__proto__` keys put back. The
 * servers are checked against the same schema the whole lockfile names, so the result is the same as one pass.
 */
function* validate(raw: unknown, restore: <T>(value: T) => T): Generator<void, ParsedLockfile, void> {
  if (!isObject(raw) || !isObject(raw.servers)) {
    const parsed = LockfileSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    return { ok: true, value: restore(parsed.data) };
  }
  const top = LockfileSchema.safeParse({ ...raw, servers: {} });
  const issues: Issue[] = top.success ? [] : [...top.error.issues];
  const servers: Record<string, LockServer> = {};
  for (const [name, value] of Object.entries(raw.servers)) {
    const server = LockServerSchema.safeParse(value);
    if (server.success) setOwn(servers, name === PROTO_STAND_IN ? '__proto__' : name, restore(server.data));
    else issues.push(...server.error.issues.map((i) => ({ ...i, path: ['servers', name, ...i.path] })));
    yield;
  }
  if (!top.success || issues.length > 0) return invalid(issues);
  return { ok: true, value: { ...restore(top.data), servers } };
}
