import semver from 'semver';
import { finding, type Finding, type Severity } from '../findings.js';
import type { LockPackage } from '../lockfile/schema.js';
import { packageAtPath } from './names.js';

/** One advisory as npm's bulk advisory endpoint answers it (`-/npm/v1/security/advisories/bulk`). */
export interface Advisory {
  id: number | string;
  title: string;
  url?: string;
  severity: string;
  /** The semver range of affected versions (`<1.2.3`, `>=2.0.0 <2.1.4`). */
  vulnerable_versions: string;
}

/** Advisories by package name, as the endpoint answers them. */
export type Advisories = Readonly<Record<string, readonly Advisory[]>>;

/** npm's advisory severities in mcp-lock's scale: `moderate` is medium, an unknown word is high. */
const SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  high: 'high',
  moderate: 'medium',
  low: 'low',
  info: 'info',
};

/** A package of a locked tree: its name, version, and where it sits (`node_modules/a/node_modules/b`). */
export interface TreePackage {
  name: string;
  version: string;
  path: string;
}

/**
 * The packages a locked npm server runs: every package of its locked dependency tree, or the package alone when no
 * tree was locked. An alias (`"b": "npm:a@1"`) sits at one path but is the package its lock entry names; the tree
 * records paths only, so the name is read from the path.
 */
export function treePackages(pkg: LockPackage | undefined): TreePackage[] {
  if (pkg?.type !== 'npm' || !pkg.version) return [];
  const packages = pkg.dependencies?.packages;
  if (!packages) return [{ name: pkg.name, version: pkg.version, path: `node_modules/${pkg.name}` }];
  return Object.entries(packages)
    .filter(([, version]) => version !== '')
    .map(([path, version]) => ({
      name: packageAtPath(path),
      version,
      path,
    }));
}

/** The question for the bulk endpoint: every version of every package named, once. */
export function advisoryQuery(trees: readonly (readonly TreePackage[])[]): Record<string, string[]> {
  const query = new Map<string, Set<string>>();
  for (const tree of trees) {
    for (const { name, version } of tree) {
      const versions = query.get(name) ?? new Set<string>();
      versions.add(version);
      query.set(name, versions);
    }
  }
  return Object.fromEntries([...query].map(([name, versions]) => [name, [...versions].sort()]));
}

/** The lowest published release above `version` outside the affected range: what to move to. */
export function fixedVersion(
  version: string,
  affected: string,
  published: readonly string[],
): string | undefined {
  const candidates = published
    .filter((v) => semver.valid(v) && !semver.prerelease(v) && semver.gt(v, version))
    .filter((v) => !semver.satisfies(v, affected, { loose: true }))
    .sort(semver.compare);
  return candidates[0];
}

/**
 * package-vulnerable: each package of a server's locked tree at a version an advisory covers, with the advisory's
 * severity, and the version that fixes it where one is published. One finding per package, version and advisory.
 */
export function advisoryFindings(
  server: string,
  tree: readonly TreePackage[],
  advisories: Advisories,
  published: Readonly<Record<string, readonly string[]>>,
): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const { name, version, path } of tree) {
    for (const advisory of Object.hasOwn(advisories, name) ? advisories[name]! : []) {
      if (!semver.valid(version) || !semver.satisfies(version, advisory.vulnerable_versions, { loose: true }))
        continue;
      const key = `${name}@${version} ${advisory.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fixed = fixedVersion(version, advisory.vulnerable_versions, published[name] ?? []);
      const where = path === `node_modules/${name}` ? '' : ` (at ${path})`;
      out.push({
        ...finding('package-vulnerable', {
          server,
          field: 'package',
          message: `${name}@${version}${where}: ${advisory.title}${advisory.url ? ` (${advisory.url})` : ''}; ${fixed ? `fixed in ${fixed}` : 'no fixed version published'}`,
          before: version,
          ...(fixed ? { after: fixed } : {}),
        }),
        severity: SEVERITY[advisory.severity] ?? 'high',
      });
    }
  }
  return out;
}

/** A vulnerability of a PyPI release, as the index's JSON API lists it. */
export interface ReleaseVulnerability {
  id: string;
  aliases?: string[];
  summary?: string | null;
  details?: string;
  fixed_in?: string[];
  link?: string;
  withdrawn?: string | null;
}

/** Release numbers compared part by part, numerically where both parts are numbers (`2025.10.1` > `2025.9.0`). */
function releaseOrder(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * package-vulnerable for a PyPI release: each vulnerability the index lists for the locked version, withdrawn ones
 * left out. PyPI gives no severity, so each is high (the finding says so), and the lowest `fixed_in` is the fix.
 */
export function releaseFindings(
  server: string,
  pkg: { name: string; version: string },
  vulnerabilities: readonly ReleaseVulnerability[],
): Finding[] {
  return vulnerabilities
    .filter((v) => !v.withdrawn)
    .map((v) => {
      const fixed = [...(v.fixed_in ?? [])].sort(releaseOrder)[0];
      const aliases = v.aliases?.length ? ` (${v.aliases.join(', ')})` : '';
      const about = (v.summary ?? v.details ?? '').split('\n')[0]!.slice(0, 160);
      return finding('package-vulnerable', {
        server,
        field: 'package',
        message: `${pkg.name}==${pkg.version}: ${v.id}${aliases}${about ? `: ${about}` : ''}${v.link ? ` (${v.link})` : ''}; ${fixed ? `fixed in ${fixed}` : 'no fixed version published'} (the index gives no severity: high)`,
        before: pkg.version,
        ...(fixed ? { after: fixed } : {}),
      });
    });
}
