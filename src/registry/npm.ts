import { createHash, createPublicKey, verify } from 'node:crypto';
import pickManifest from 'npm-pick-manifest';
import type { LockPackage } from '../core/lockfile/schema.js';
import type { PackageSpec } from '../core/package/launch-line.js';
import type { RegistryCache } from './cache.js';
import type { NpmConfig } from './npm-config.js';
import type { RegistryKey } from './provenance.js';
import { Fault } from '../errors.js';

export class RegistryError extends Fault {
  constructor(message: string) {
    super('registry', message);
  }
}

interface Packument {
  name?: string;
  'dist-tags'?: Record<string, string>;
  versions?: Record<
    string,
    {
      version?: string;
      engines?: Record<string, string>;
      deprecated?: unknown;
      dist?: {
        integrity?: string;
        tarball?: string;
        signatures?: { keyid: string; sig: string }[];
        attestations?: { url?: string };
      };
    }
  >;
  time?: Record<string, string>;
  policyRestrictions?: unknown;
}

/**
 * What resolving a version reads of a packument (npm-pick-manifest's inputs, and the picked version's dist): kept
 * in the cache instead of the whole document, which for a long-lived package runs to megabytes.
 */
function pickable(bytes: Buffer): Packument {
  const packument = JSON.parse(bytes.toString('utf8')) as Packument;
  const versions = Object.fromEntries(
    Object.entries(packument.versions ?? {}).map(([v, m]) => [
      v,
      {
        version: m.version ?? v,
        ...(m.engines ? { engines: m.engines } : {}),
        ...(m.deprecated ? { deprecated: m.deprecated } : {}),
        ...(m.dist ? { dist: m.dist } : {}),
      },
    ]),
  );
  return {
    ...(packument.name ? { name: packument.name } : {}),
    'dist-tags': packument['dist-tags'] ?? {},
    versions,
    ...(packument.time ? { time: packument.time } : {}),
    ...(packument.policyRestrictions ? { policyRestrictions: packument.policyRestrictions } : {}),
  };
}

/** A registry's signing keys document (`-/npm/v1/keys`). */
function keyList(bytes: Buffer): { keys: RegistryKey[] } {
  return JSON.parse(bytes.toString('utf8')) as { keys: RegistryKey[] };
}

/** A package's document URL in a registry (`@scope%2fname` for scoped names, as npm asks for them). */
export function packumentUrl(registry: string, name: string): string {
  const path = name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
  return `${registry}${path}`;
}

/** The registry npm would ask for a package, and a fetcher that sends it (and only it) the user's credentials. */
export async function registryOf(
  config: NpmConfig,
  name: string,
  fetcher: typeof fetch,
): Promise<{ registry: string; fetcher: typeof fetch }> {
  const registry = await config.registryFor(name);
  return { registry, fetcher: withCredentials(fetcher, registry, await config.authHeaders(registry)) };
}

const MAX_TARBALL_BYTES = 256 * 1024 * 1024;

async function getJson<T>(url: string, fetcher: typeof fetch): Promise<{ status: number; body?: T }> {
  const response = await fetcher(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) return { status: response.status };
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * The fetcher with the registry's credentials added to requests under the registry's URL, and to nothing else: a
 * tarball or attestation served from another host never sees the token.
 */
function withCredentials(
  fetcher: typeof fetch,
  registry: string,
  headers: Record<string, string>,
): typeof fetch {
  if (Object.keys(headers).length === 0) return fetcher;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(registry)) return fetcher(input, init);
    return fetcher(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } });
  };
}

/**
 * The version a spec resolves to today, as npx picks it (npm's own pick-manifest): an exact version or dist-tag as
 * named; for a bare name or a range, `latest` when it fits the range and the Node that will run it (`engines`), else
 * the highest version that does. So a package whose newest release needs a newer Node is locked at the version npx
 * really runs here.
 */
function pickVersion(
  spec: string,
  name: string,
  packument: Packument,
  nodeVersion: string,
): string | undefined {
  const wanted = spec.startsWith(name + '@') ? spec.slice(name.length + 1) : spec === name ? '' : spec;
  try {
    return pickManifest({ name, ...packument }, wanted, { nodeVersion }).version;
  } catch {
    return undefined;
  }
}

/**
 * sha512 of the tarball as SRI, checked against the registry's integrity: npm's own check, made before anything runs.
 * Bytes that matched an integrity once are not downloaded again for it: npm refuses any other bytes under that
 * integrity when it installs them, so a second download would prove nothing new.
 */
async function checkTarball(
  url: string,
  integrity: string,
  fetcher: typeof fetch,
  cache: RegistryCache,
): Promise<'verified' | 'mismatch'> {
  const key = `${url} ${integrity}`;
  if ((await cache.get('tarballs', key)) === 'verified') return 'verified';
  const result = await downloadAndHash(url, integrity, fetcher);
  if (result === 'verified') await cache.set('tarballs', key, result);
  return result;
}

async function downloadAndHash(
  url: string,
  integrity: string,
  fetcher: typeof fetch,
): Promise<'verified' | 'mismatch'> {
  const response = await fetcher(url, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok || !response.body)
    throw new RegistryError(`tarball download failed (HTTP ${response.status})`);
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_TARBALL_BYTES) throw new RegistryError(`tarball larger than ${MAX_TARBALL_BYTES} bytes`);
    hash.update(chunk);
  }
  const sri = `sha512-${hash.digest('base64')}`;
  return integrity.split(/\s+/).includes(sri) ? 'verified' : 'mismatch';
}

/**
 * The registry signature over `name@version:integrity` (ECDSA P-256, SHA-256) against the keys the registry
 * publishes. A registry that publishes no keys (a mirror that strips them) is `no-metadata`, not tampering.
 */
function checkSignature(
  name: string,
  version: string,
  integrity: string,
  signatures: { keyid: string; sig: string }[] | undefined,
  keys: RegistryKey[] | undefined,
  published: string | undefined,
): LockPackage['signature'] {
  if (!keys) return signatures?.length ? 'invalid' : 'no-metadata';
  if (!signatures?.length) return 'unsigned';
  const message = Buffer.from(`${name}@${version}:${integrity}`);
  for (const { keyid, sig } of signatures) {
    const key = keys.find((k) => k.keyid === keyid);
    if (!key) continue;
    if (key.expires && published && new Date(published) > new Date(key.expires)) continue;
    const ok = verify(
      'sha256',
      message,
      createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' }),
      Buffer.from(sig, 'base64'),
    );
    if (ok) return 'verified';
  }
  return 'invalid';
}

/** Resolves an npm launch spec to an exact, checked pin: version, integrity, tarball bytes, registry signature. */
export async function resolveNpm(
  spec: PackageSpec,
  config: NpmConfig,
  trustedRoot: () => Promise<unknown>,
  fetcher: typeof fetch = fetch,
  /** The Node that will run the package (`engines`): the one mcp-lock runs on, which launches npx from PATH too. */
  nodeVersion: string = process.version,
): Promise<{ pin: LockPackage; latest?: string; published: string[] }> {
  const { registry, fetcher: asked } = await registryOf(config, spec.name, fetcher);
  fetcher = asked;
  const { status, value: packument } = await config.cache.document(
    packumentUrl(registry, spec.name),
    fetcher,
    pickable,
  );
  if (status === 401 || status === 403) {
    throw new RegistryError(
      `${spec.name}: the registry answered HTTP ${status}: it wants credentials (an _authToken for it in .npmrc, as npm reads it)`,
    );
  }
  if (!packument) throw new RegistryError(`${spec.name}: the registry answered HTTP ${status}`);
  const version = pickVersion(spec.spec, spec.name, packument, nodeVersion);
  const dist = version ? packument.versions?.[version]?.dist : undefined;
  if (!version || !dist?.integrity) throw new RegistryError(`${spec.spec}: no such version in the registry`);
  // Once per registry per run, and between runs as the registry's validators allow.
  const keys = await config.registryKeys(registry, () =>
    config.cache
      .document(`${registry}-/npm/v1/keys`, fetcher, keyList)
      .then(({ status, value }) => ({ status, body: value }))
      .catch(() => ({ status: 0, body: undefined })),
  );
  const pin: LockPackage = {
    type: 'npm',
    name: spec.name,
    spec: spec.spec,
    pinned: spec.pinned,
    version,
    integrity: dist.integrity,
  };
  if (dist.tarball) pin.tarball = await checkTarball(dist.tarball, dist.integrity, fetcher, config.cache);
  pin.signature = checkSignature(
    spec.name,
    version,
    dist.integrity,
    dist.signatures,
    keys.body?.keys,
    packument.time?.[version],
  );
  const attestations = dist.attestations?.url;
  if (attestations) {
    const list = await getJson<{ attestations?: { predicateType?: string; bundle?: unknown }[] }>(
      attestations,
      fetcher,
    );
    const { verifyProvenance, verifyPublishAttestation } = await import('./provenance.js');
    const root = await trustedRoot();
    const found = list.body?.attestations ?? [];
    pin.provenance = verifyProvenance(spec.name, version, dist.integrity, found, root);
    const publish = verifyPublishAttestation(
      spec.name,
      version,
      dist.integrity,
      found,
      keys.body?.keys,
      root,
    );
    if (publish === 'verified') pin.provenance.publish = 'verified';
    else if (publish) pin.provenance = { status: 'invalid', reason: publish.invalid };
  } else {
    // A mirror that strips signatures strips attestations too: unknown, not missing.
    pin.provenance = { status: pin.signature === 'no-metadata' ? 'no-metadata' : 'missing' };
  }
  const latest = packument['dist-tags']?.latest;
  const published = Object.keys(packument.versions ?? {});
  return latest ? { pin, latest, published } : { pin, published };
}
