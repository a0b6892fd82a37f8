import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LockPackage } from '../core/lockfile/schema.js';
import type { PackageSpec } from '../core/package/launch-line.js';
import type { OciGet } from './cosign.js';
import { RegistryError } from './npm.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** `ghcr.io/org/img:tag` → registry, repository, reference — Docker Hub's defaults for short names, as docker reads them. */
export function parseImage(ref: string): { registry: string; repository: string; reference: string } {
  const [path, digest] = ref.split('@') as [string, string | undefined];
  const slash = path.indexOf('/');
  const first = slash === -1 ? '' : path.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? first : 'registry-1.docker.io';
  let repository = hasRegistry ? path.slice(slash + 1) : path;
  let tag = 'latest';
  const colon = repository.lastIndexOf(':');
  if (colon !== -1) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  if (!hasRegistry && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, reference: digest ?? tag };
}

function base(registry: string): string {
  return /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(registry)
    ? `http://${registry}`
    : `https://${registry}`;
}

/**
 * The credentials docker and podman have stored for a registry (`docker login`): the `auths` entries of
 * `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`) and of podman's `auth.json` (`$REGISTRY_AUTH_FILE`,
 * `$XDG_RUNTIME_DIR/containers/auth.json`). Credential helpers (`credsStore`, `credHelpers`) are programs; none is run.
 */
export async function registryCredentials(
  registry: string,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): Promise<string | undefined> {
  const files = [
    join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json'),
    ...(env.REGISTRY_AUTH_FILE ? [env.REGISTRY_AUTH_FILE] : []),
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')] : []),
  ];
  // Docker Hub's credentials are stored under its old index URL.
  const names =
    registry === 'registry-1.docker.io'
      ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', registry]
      : [registry, `https://${registry}`, `http://${registry}`];
  for (const file of files) {
    try {
      const auths = (
        JSON.parse(await readFile(file, 'utf8')) as { auths?: Record<string, { auth?: string }> }
      ).auths;
      const auth = names.map((n) => auths?.[n]?.auth).find(Boolean);
      if (auth) return auth;
    } catch {
      // No such file, or not JSON: nothing stored there.
    }
  }
  return undefined;
}

/**
 * The token flow of the distribution API: the 401 names where to ask for a pull token, asked anonymously or with
 * the stored credentials of this registry. A registry that asks for Basic auth gets the credentials themselves.
 */
async function token(
  challenge: string,
  fetcher: typeof fetch,
  basic: string | undefined,
): Promise<string | undefined> {
  if (/^basic\b/i.test(challenge)) return basic === undefined ? undefined : `Basic ${basic}`;
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  const response = await fetcher(url, {
    ...(basic ? { headers: { authorization: `Basic ${basic}` } } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { token?: string; access_token?: string };
  const bearer = body.token ?? body.access_token;
  return bearer === undefined ? undefined : `Bearer ${bearer}`;
}

/** One repository of a registry, with the pull token asked for once and reused. */
function repositoryClient(
  registry: string,
  repository: string,
  fetcher: typeof fetch,
  credentials: () => Promise<string | undefined>,
): OciGet {
  let authorization: string | undefined;
  return async (path, accept) => {
    const url = `${base(registry)}/v2/${repository}/${path}`;
    const ask = () =>
      fetcher(url, {
        headers: { accept, ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
    let response = await ask();
    if (response.status === 401) {
      authorization = await token(
        response.headers.get('www-authenticate') ?? '',
        fetcher,
        await credentials(),
      );
      if (authorization) response = await ask();
    }
    return response;
  };
}

/**
 * Resolves an image reference to the digest its tag points at today (the manifest or index digest a `docker pull`
 * would get) — a tag is a name that can move; the digest is the pin — and checks the cosign signatures attached to
 * that digest.
 */
export async function resolveOci(
  spec: PackageSpec,
  fetcher: typeof fetch = fetch,
  trustedRoot: () => Promise<unknown> = async () => {
    throw new Error('no trusted root');
  },
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<LockPackage> {
  const { registry, repository, reference } = parseImage(spec.spec);
  const get = repositoryClient(registry, repository, fetcher, () =>
    registryCredentials(registry, env, env.HOME ?? homedir()),
  );
  const response = await get(`manifests/${reference}`, MANIFEST_TYPES);
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError(
      `${registry} answered HTTP ${response.status} for ${repository}:${reference}: it wants credentials (docker login)`,
    );
  }
  if (!response.ok)
    throw new RegistryError(`${registry} answered HTTP ${response.status} for ${repository}:${reference}`);
  const body = Buffer.from(await response.arrayBuffer());
  const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const header = response.headers.get('docker-content-digest');
  if (header && header !== computed)
    throw new RegistryError(`${registry} sent a manifest whose digest is not the one it claims`);
  if (reference.startsWith('sha256:') && reference !== computed)
    throw new RegistryError(`the manifest for ${reference} does not have that digest`);
  let provenance: LockPackage['provenance'];
  try {
    // Sigstore's verifier is loaded only where an image is checked (it takes a while to load).
    const { cosignProvenance } = await import('./cosign.js');
    provenance = await cosignProvenance(get, computed, trustedRoot);
  } catch (error) {
    provenance = {
      status: 'no-metadata',
      reason: `signatures could not be read: ${(error as Error).message}`,
    };
  }
  return {
    type: 'oci',
    name: spec.name,
    spec: spec.spec,
    pinned: spec.pinned,
    version: reference,
    integrity: computed,
    provenance,
  };
}
