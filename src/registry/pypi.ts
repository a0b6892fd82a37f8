import { digest } from '../core/canonical.js';
import type { LockPackage } from '../core/lockfile/schema.js';
import type { PackageSpec } from '../core/package/spec.js';
import { RegistryError } from './npm.js';

/** PyPI, when neither pip nor uv is configured otherwise (as uvx and pip themselves default). */
const DEFAULT_INDEX = 'https://pypi.org/simple';

/** The index uvx/pip would use, from their environment configuration. */
export function pypiIndex(env: Readonly<Record<string, string | undefined>>): string {
  return env.UV_DEFAULT_INDEX ?? env.UV_INDEX_URL ?? env.PIP_INDEX_URL ?? DEFAULT_INDEX;
}

/** The JSON API beside a simple index (`…/simple` → `…/pypi/<name>/json`), as PyPI and its mirrors serve it. */
function jsonApi(index: string): string {
  return index.replace(/\/+$/, '').replace(/\/simple$/, '') + '/pypi/';
}

interface Release {
  info?: { version?: string };
  urls?: { filename?: string; digests?: { sha256?: string } }[];
}

/**
 * Pins a PyPI package: the exact version (the one named, or the newest) and the sha256 of every file of the release,
 * so a re-uploaded wheel or sdist is caught. PEP 740 provenance is not checked yet.
 */
export async function resolvePypi(
  spec: PackageSpec,
  env: Readonly<Record<string, string | undefined>>,
  fetcher: typeof fetch = fetch,
): Promise<{ pin: LockPackage; latest?: string }> {
  const base = jsonApi(pypiIndex(env));
  const name = spec.name.toLowerCase().replace(/[-_.]+/g, '-');
  const named = /(?:==|@)\s*([^\s,;]+)/.exec(spec.spec)?.[1];
  const get = async (path: string): Promise<Release> => {
    const response = await fetcher(base + path, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new RegistryError(`the index answered HTTP ${response.status} for ${path}`);
    return (await response.json()) as Release;
  };
  const newest = await get(`${name}/json`);
  const release =
    named && named !== 'latest' && named !== newest.info?.version
      ? await get(`${name}/${named}/json`)
      : newest;
  const version = release.info?.version;
  if (!version) throw new RegistryError(`${spec.spec}: no such release`);
  const files = Object.fromEntries(
    (release.urls ?? [])
      .filter((u) => u.filename && u.digests?.sha256)
      .map((u) => [u.filename!, `sha256:${u.digests!.sha256}`]),
  );
  const pin: LockPackage = {
    type: 'pypi',
    name: spec.name,
    spec: spec.spec,
    pinned: spec.pinned,
    version,
    integrity: digest(files),
    files,
  };
  return newest.info?.version ? { pin, latest: newest.info.version } : { pin };
}
