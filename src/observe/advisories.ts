import { advisoryFindings, advisoryQuery, treePackages } from '../core/package/advisories.js';
import type { Finding } from '../core/findings.js';
import type { Lockfile } from '../core/lockfile/schema.js';
import { own } from '../core/proto-keys.js';
import { npmAdvisories } from '../registry/advisories.js';
import type { Registries } from './registries.js';

/**
 * Known advisories for what a lock pins, from the registries: every package of every locked npm server's dependency
 * tree, asked of the bulk advisory endpoint of the registry npm would use for it. Also run by `verify`.
 */
export async function advisoriesFor(
  lock: Lockfile,
  servers: readonly string[],
  registries: Registries,
): Promise<{ findings: Finding[]; unchecked: string[]; audited: number }> {
  const trees = servers.map((name) => ({ name, tree: treePackages(own(lock.servers, name)?.package) }));
  const query = advisoryQuery(trees.map((t) => t.tree));
  if (Object.keys(query).length === 0) return { findings: [], unchecked: [], audited: 0 };
  const answer = await npmAdvisories(registries.npm, query);
  return {
    findings: trees.flatMap(({ name, tree }) =>
      advisoryFindings(name, tree, answer.advisories, answer.published),
    ),
    unchecked: answer.unchecked,
    audited: Object.keys(query).length,
  };
}
