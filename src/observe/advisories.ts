import {
  advisoryFindings,
  advisoryQuery,
  releaseFindings,
  treePackages,
} from '../core/package/advisories.js';
import type { Finding } from '../core/findings.js';
import type { Lockfile } from '../core/lockfile/schema.js';
import { own } from '../core/proto-keys.js';
import { npmAdvisories } from '../registry/advisories.js';
import { pypiVulnerabilities } from '../registry/pypi.js';
import type { Env } from '../workspace.js';
import type { Registries } from './registries.js';

/** Packages whose advisories can be asked for: npm trees (bulk advisory endpoint) and PyPI releases (JSON API). */
export function auditable(lock: Lockfile, server: string): boolean {
  const pkg = own(lock.servers, server)?.package;
  return (pkg?.type === 'npm' || pkg?.type === 'pypi') && pkg.version !== undefined;
}

/**
 * Known advisories for what a lock pins, from the registries: every package of every locked npm server's dependency
 * tree, asked of the bulk advisory endpoint of the registry npm would use for it, and each locked PyPI release, asked
 * of the index uv takes it from. Also run by `verify`. What could not be asked is listed per server.
 */
export async function advisoriesFor(
  lock: Lockfile,
  servers: readonly string[],
  registries: Registries,
  env: Env,
): Promise<{ findings: Finding[]; unchecked: { server: string; reason: string }[]; audited: number }> {
  const findings: Finding[] = [];
  const unchecked: { server: string; reason: string }[] = [];
  const npm = servers
    .filter((name) => own(lock.servers, name)?.package?.type === 'npm')
    .map((name) => ({ name, tree: treePackages(own(lock.servers, name)?.package) }))
    .filter((t) => t.tree.length > 0);
  const query = advisoryQuery(npm.map((t) => t.tree));
  const pypi = servers.filter((name) => own(lock.servers, name)?.package?.type === 'pypi');
  const [answer, releases] = await Promise.all([
    Object.keys(query).length > 0 ? npmAdvisories(registries.npm, query) : undefined,
    Promise.all(
      pypi.map(async (name) => {
        const pkg = lock.servers[name]!.package!;
        return { name, pkg, found: await pypiVulnerabilities(pkg.name, pkg.version!, env) };
      }),
    ),
  ]);
  if (answer) {
    findings.push(
      ...npm.flatMap(({ name, tree }) => advisoryFindings(name, tree, answer.advisories, answer.published)),
    );
    if (answer.unchecked.length > 0)
      unchecked.push(...npm.map(({ name }) => ({ server: name, reason: answer.unchecked.join('; ') })));
  }
  for (const { name, pkg, found } of releases) {
    if ('unchecked' in found) unchecked.push({ server: name, reason: found.unchecked });
    else
      findings.push(
        ...releaseFindings(name, { name: pkg.name, version: pkg.version! }, found.vulnerabilities),
      );
  }
  return { findings, unchecked, audited: Object.keys(query).length + pypi.length };
}
