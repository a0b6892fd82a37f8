import type { Advisory } from '../core/package/advisories.js';
import type { NpmConfig } from './npm-config.js';
import { packumentUrl, registryOf } from './npm.js';

/** What the registries said about a set of packages: advisories, versions published, and what could not be asked. */
export interface AdvisoryAnswer {
  advisories: Record<string, Advisory[]>;
  /** Versions published of each package an advisory names, to find the fixed one. */
  published: Record<string, string[]>;
  /** Why a registry could not be asked, once per registry (`not checked`, never `no advisories`). */
  unchecked: string[];
}

function versionsOf(bytes: Buffer): string[] {
  const packument = JSON.parse(bytes.toString('utf8')) as { versions?: Record<string, unknown> };
  return Object.keys(packument.versions ?? {});
}

/**
 * Advisories for every version of every package in `query`, from the bulk advisory endpoint of the registry npm
 * would use for each (`npm audit` asks the same endpoint): one request per registry, with the registry's credentials
 * like every other request. A registry that answers anything but 200 — a mirror without the endpoint answers 404 or
 * 405 — is reported as not checked.
 */
export async function npmAdvisories(
  config: NpmConfig,
  query: Readonly<Record<string, readonly string[]>>,
  fetcher: typeof fetch = fetch,
): Promise<AdvisoryAnswer> {
  const byRegistry = new Map<string, { fetcher: typeof fetch; names: string[] }>();
  for (const name of Object.keys(query)) {
    const { registry, fetcher: asked } = await registryOf(config, name, fetcher);
    const group = byRegistry.get(registry) ?? { fetcher: asked, names: [] };
    group.names.push(name);
    byRegistry.set(registry, group);
  }
  const answer: AdvisoryAnswer = { advisories: {}, published: {}, unchecked: [] };
  await Promise.all(
    [...byRegistry].map(async ([registry, { fetcher: asked, names }]) => {
      const scope = names.every((n) => n.startsWith('@')) ? ` of ${names[0]!.split('/')[0]}` : '';
      try {
        const response = await asked(`${registry}-/npm/v1/security/advisories/bulk`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(Object.fromEntries(names.map((n) => [n, query[n]]))),
          signal: AbortSignal.timeout(30_000),
        });
        if (response.status !== 200) {
          await response.body?.cancel();
          answer.unchecked.push(
            `the registry${scope} answered HTTP ${response.status} to the advisory query for ${names.length} package(s)`,
          );
          return;
        }
        const found = (await response.json()) as Record<string, Advisory[] | undefined>;
        for (const name of names) {
          const list = found[name];
          if (Array.isArray(list) && list.length > 0) answer.advisories[name] = list;
        }
      } catch (error) {
        answer.unchecked.push(
          `the registry${scope} could not be asked for advisories (${(error as Error).message})`,
        );
      }
    }),
  );
  // The fixed version is the lowest release outside the affected range: the versions published say which.
  await Promise.all(
    Object.keys(answer.advisories).map(async (name) => {
      const { registry, fetcher: asked } = await registryOf(config, name, fetcher);
      const { value } = await config.cache
        .document(packumentUrl(registry, name), asked, versionsOf)
        .catch(() => ({ value: undefined }));
      if (value) answer.published[name] = value;
    }),
  );
  return answer;
}
