import { identityKey, identityOf, type ObservedIdentity } from './client-identities.js';
import { compareServer } from './diff.js';
import { finding, type Finding, type FindingCode } from './findings.js';
import type { LockServer } from './lockfile/schema.js';
import type { ServerSpec } from './server-spec.js';

/**
 * The identities a server is observed as: one per client whose config loads it (the order of the configs), then
 * any asked for with `--probe-as`. A file of no known client, or of a client whose identity is not recorded, is
 * observed as mcp-lock itself.
 */
export function identitiesFor(
  specs: readonly ServerSpec[],
  fallback: ObservedIdentity,
  extra: readonly ObservedIdentity[] = [],
): ObservedIdentity[] {
  const out = new Map<string, ObservedIdentity>();
  for (const spec of specs) {
    const identity = identityOf(spec.origin.client) ?? fallback;
    if (!out.has(identityKey(identity))) out.set(identityKey(identity), identity);
  }
  for (const identity of extra) if (!out.has(identityKey(identity))) out.set(identityKey(identity), identity);
  return [...out.values()];
}

/** Codes that say what the model would be shown differs; launch and package findings do not apply between views. */
const OFFER_CODES = new Set<FindingCode>([
  'server-instructions-changed',
  'server-capabilities-changed',
  'tool-added',
  'tool-removed',
  'tool-renamed',
  'tool-description-changed',
  'tool-title-changed',
  'tool-schema-changed',
  'tool-output-schema-changed',
  'tool-annotations-changed',
  'tool-metadata-changed',
  'prompt-added',
  'prompt-removed',
  'prompt-changed',
  'resource-added',
  'resource-removed',
  'resource-changed',
]);

/**
 * What differs in what two observations of one server offer (as two clients, or in two eras): each difference as
 * `code subject`, e.g. `tool-description-changed echo`. Where it is launched from, its package and its protocol
 * version are left out: they are the same server, seen twice.
 */
export function offerDifferences(server: string, reference: LockServer, other: LockServer): string[] {
  const { package: _p, observed: _o, ...rest } = other;
  const comparable: LockServer = {
    ...rest,
    source: reference.source,
    protocolVersion: reference.protocolVersion,
    serverInfo: reference.serverInfo,
  };
  return compareServer(server, { ...reference, package: undefined } as LockServer, comparable)
    .filter((f) => OFFER_CODES.has(f.code))
    .map((f) => [f.code, f.tool ?? f.prompt ?? f.resource ?? f.field].filter(Boolean).join(' '));
}

/** The finding for two observations that do not agree, naming both and, briefly, what differs. */
export function mismatch(
  code: 'server-identity-mismatch' | 'server-era-mismatch',
  server: string,
  labels: [string, string],
  differences: readonly string[],
): Finding {
  const shown =
    differences.slice(0, 5).join(', ') +
    (differences.length > 5 ? `, and ${differences.length - 5} more` : '');
  return finding(code, {
    server,
    message: `offers ${labels[1]} other definitions than ${labels[0]}: ${shown}`,
    before: labels[0],
    after: labels[1],
  });
}
