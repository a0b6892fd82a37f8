import { pypiProjectName } from '../core/package/names.js';
import type { ReleaseVulnerability } from '../core/package/advisories.js';
import { readFile } from 'node:fs/promises';
import { lazy } from '../lazy.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { digest } from '../core/canonical.js';
import type { LockPackage } from '../core/lockfile/schema.js';
import type { PackageSpec } from '../core/package/launch-line.js';
import { RegistryError } from './npm.js';
import type { PypiProvenance } from './pep740.js';
import type { Provenance } from './provenance.js';

const toml = lazy<typeof import('smol-toml')>('smol-toml');

/** PyPI, when neither pip nor uv is configured otherwise (as uvx and pip themselves default). */
const DEFAULT_INDEX = 'https://pypi.org/simple';

/** `index-url = "…"` (uv.toml, top level) or `index-url = …` under `[global]` (pip.conf), read without a full parser. */
function settingIn(text: string, section: string | undefined): string | undefined {
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const header = /^\[+\s*([^\]]+?)\s*\]+$/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const match = /^index[-_]url\s*[=:]\s*["']?([^"'\s]+)["']?$/.exec(line);
    if (match && current === section) return match[1];
  }
  return undefined;
}

/** uv.toml's indexes: `[[index]]` tables (the one marked `default`, the others in order), legacy `index-url`. */
function uvIndexes(text: string | undefined): { default?: string; extra: string[] } {
  if (text === undefined) return { extra: [] };
  let config: Record<string, unknown>;
  try {
    config = toml().parse(text) as Record<string, unknown>;
  } catch {
    // uv itself refuses such a file; its settings are not guessed at.
    return { extra: [] };
  }
  const tables = Array.isArray(config.index) ? (config.index as Record<string, unknown>[]) : [];
  // `explicit` indexes serve only the packages pinned to them in a project's sources: not a uvx lookup.
  const usable = tables.filter((t) => typeof t.url === 'string' && t.explicit !== true);
  const marked = usable.find((t) => t.default === true)?.url as string | undefined;
  const legacy = typeof config['index-url'] === 'string' ? config['index-url'] : undefined;
  const legacyExtra = Array.isArray(config['extra-index-url'])
    ? config['extra-index-url'].filter((u): u is string => typeof u === 'string')
    : [];
  return {
    ...((marked ?? legacy) ? { default: (marked ?? legacy)! } : {}),
    extra: [...usable.filter((t) => t.default !== true).map((t) => t.url as string), ...legacyExtra],
  };
}

/** `UV_INDEX` holds space-separated `name=url` or `url` entries. */
function envIndexes(value: string | undefined): string[] {
  return (value ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((entry) => (/^[^:/=]+=/.test(entry) ? entry.slice(entry.indexOf('=') + 1) : entry));
}

/**
 * The indexes uvx would search, in its order: extra indexes first (`UV_INDEX`, then uv.toml's `[[index]]` tables),
 * the default index last — from `UV_DEFAULT_INDEX`/`UV_INDEX_URL`/`PIP_INDEX_URL`, uv.toml, pip.conf, else PyPI.
 * uv takes a package from the first index that has it, so a package is resolved in the same order.
 */
export function pypiIndexes(
  env: Readonly<Record<string, string | undefined>>,
  files: { uv?: string; pip?: string } = {},
): string[] {
  const uv = uvIndexes(files.uv);
  const fallback =
    env.UV_DEFAULT_INDEX ??
    env.UV_INDEX_URL ??
    env.PIP_INDEX_URL ??
    uv.default ??
    (files.pip !== undefined ? settingIn(files.pip, 'global') : undefined) ??
    DEFAULT_INDEX;
  return [...new Set([...envIndexes(env.UV_INDEX), ...uv.extra, fallback])];
}

/** The default index: the one searched last, which serves everything the others do not. */
export function pypiIndex(
  env: Readonly<Record<string, string | undefined>>,
  files: { uv?: string; pip?: string } = {},
): string {
  return pypiIndexes(env, files).at(-1)!;
}

/** uv's and pip's user config files, where they are on this platform (XDG on Linux and macOS). */
export async function readPypiConfig(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): Promise<{ uv?: string; pip?: string }> {
  const config = env.XDG_CONFIG_HOME ?? join(home, '.config');
  const read = (path: string) => readFile(path, 'utf8').catch(() => undefined);
  const uv = await read(env.UV_CONFIG_FILE ?? join(config, 'uv', 'uv.toml'));
  const pip =
    (await read(env.PIP_CONFIG_FILE ?? join(config, 'pip', 'pip.conf'))) ??
    (await read(join(home, '.pip', 'pip.conf')));
  return { ...(uv !== undefined ? { uv } : {}), ...(pip !== undefined ? { pip } : {}) };
}

/**
 * A private index is often configured with its credentials in the URL (`https://user:token@host/simple`), as pip and
 * uv take it; fetch refuses such URLs, so they go in an Authorization header instead, to that URL only.
 */
function withUrlCredentials(fetcher: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!url.username && !url.password) return fetcher(input, init);
    const basic = Buffer.from(
      `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
    ).toString('base64');
    url.username = '';
    url.password = '';
    return fetcher(url, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), authorization: `Basic ${basic}` },
    });
  };
}

/** The JSON API beside a simple index (`…/simple` → `…/pypi/<name>/json`), as PyPI and its mirrors serve it. */
function jsonApi(index: string): string {
  return index.replace(/\/+$/, '').replace(/\/simple$/, '') + '/pypi/';
}

/**
 * Each file's PEP 740 provenance from the index's integrity API (`/integrity/<name>/<version>/<file>/provenance`),
 * verified; 404 is a file without provenance, any other failure is an index that does not say (a mirror).
 */
async function releaseProvenanceOf(
  base: string,
  name: string,
  version: string,
  files: Record<string, string>,
  fetcher: typeof fetch,
  trustedRoot: () => Promise<unknown>,
): Promise<Provenance> {
  const root = base.replace(/\/pypi\/$/, '');
  // Sigstore's verifier is loaded only where a release is checked (it takes a while to load).
  const { releaseProvenance, verifyFileProvenance } = await import('./pep740.js');
  const perFile: Record<string, Provenance> = {};
  for (const [filename, sha] of Object.entries(files)) {
    let response: Response;
    try {
      response = await fetcher(
        `${root}/integrity/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${encodeURIComponent(filename)}/provenance`,
        { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) },
      );
    } catch {
      perFile[filename] = { status: 'no-metadata' };
      continue;
    }
    if (response.status === 404) {
      perFile[filename] = { status: 'missing' };
      continue;
    }
    if (!response.ok) {
      perFile[filename] = { status: 'no-metadata' };
      continue;
    }
    const body = (await response.json()) as PypiProvenance;
    perFile[filename] = verifyFileProvenance(
      filename,
      sha.replace(/^sha256:/, ''),
      body,
      await trustedRoot(),
    );
  }
  return releaseProvenance(perFile);
}

/**
 * The vulnerabilities PyPI's JSON API lists for a release (`/pypi/<name>/<version>/json`, `vulnerabilities`), from
 * the first index in uv's order that has the project. An index that does not answer, or whose JSON carries no
 * `vulnerabilities` field (many private indexes), is `unchecked`: not the same as none.
 */
export async function pypiVulnerabilities(
  name: string,
  version: string,
  env: Readonly<Record<string, string | undefined>>,
  fetcher: typeof fetch = fetch,
): Promise<{ vulnerabilities: ReleaseVulnerability[] } | { unchecked: string }> {
  fetcher = withUrlCredentials(fetcher);
  const project = pypiProjectName(name);
  for (const index of pypiIndexes(env, await readPypiConfig(env, env.HOME ?? homedir()))) {
    try {
      const response = await fetcher(`${jsonApi(index)}${project}/${version}/json`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status === 404) {
        await response.body?.cancel();
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { unchecked: `the index answered HTTP ${response.status} for ${project} ${version}` };
      }
      const body = (await response.json()) as { vulnerabilities?: unknown };
      if (!Array.isArray(body.vulnerabilities))
        return { unchecked: `the index's JSON for ${project} ${version} lists no vulnerabilities field` };
      return { vulnerabilities: body.vulnerabilities as ReleaseVulnerability[] };
    } catch (error) {
      return { unchecked: `the index could not be asked (${(error as Error).message})` };
    }
  }
  return { unchecked: `no index has ${project} ${version}` };
}

interface Release {
  info?: { version?: string };
  urls?: { filename?: string; digests?: { sha256?: string } }[];
}

/**
 * Pins a PyPI package: the exact version (the one named, or the newest) and the sha256 of every file of the release,
 * so a re-uploaded wheel or sdist is caught, and the PEP 740 provenance of every file from the integrity API.
 */
export async function resolvePypi(
  spec: PackageSpec,
  env: Readonly<Record<string, string | undefined>>,
  fetcher: typeof fetch = fetch,
  trustedRoot: () => Promise<unknown> = async () => {
    throw new Error('no trusted root');
  },
): Promise<{ pin: LockPackage; latest?: string }> {
  fetcher = withUrlCredentials(fetcher);
  const indexes = pypiIndexes(env, await readPypiConfig(env, env.HOME ?? homedir()));
  const name = pypiProjectName(spec.name);
  const named = /(?:==|@)\s*([^\s,;]+)/.exec(spec.spec)?.[1];
  const fetchRelease = async (base: string, path: string): Promise<Release | 404> => {
    const response = await fetcher(base + path, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status === 404) return 404;
    if (!response.ok) throw new RegistryError(`the index answered HTTP ${response.status} for ${path}`);
    return (await response.json()) as Release;
  };
  // The first index that has the project is the one uvx takes it from; the others are not asked.
  let base = jsonApi(indexes.at(-1)!);
  let found: Release | 404 = 404;
  for (const index of indexes) {
    base = jsonApi(index);
    found = await fetchRelease(base, `${name}/json`);
    if (found !== 404) break;
  }
  if (found === 404) throw new RegistryError(`the index answered HTTP 404 for ${name}/json`);
  const newest = found;
  const get = async (path: string): Promise<Release> => {
    const release = await fetchRelease(base, path);
    if (release === 404) throw new RegistryError(`the index answered HTTP 404 for ${path}`);
    return release;
  };
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
  const provenance = await releaseProvenanceOf(base, name, version, files, fetcher, trustedRoot);
  const pin: LockPackage = {
    type: 'pypi',
    name: spec.name,
    spec: spec.spec,
    pinned: spec.pinned,
    version,
    integrity: digest(files),
    files,
    provenance,
  };
  return newest.info?.version ? { pin, latest: newest.info.version } : { pin };
}
