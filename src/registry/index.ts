import type { LockPackage, LockSource } from '../core/lockfile/schema.js';
import { packageOf } from '../core/package/launch-line.js';
import { NpmConfig } from './npm-config.js';
import { resolve } from 'node:path';
import { resolveClosureOnce } from './closure.js';
import { hashFile, hashTree, packageFolderOf, resolveExecutable } from './local.js';
import { digest } from '../core/canonical.js';
import { resolveNpm } from './npm.js';
import { resolveOci } from './oci.js';
import { resolvePypi } from './pypi.js';

export { NpmConfig } from './npm-config.js';
export { RegistryCache } from './cache.js';

export type PackageOutcome =
  | {
      ok: true;
      pkg: LockPackage | undefined;
      /** npm: the newest version published (`latest`). */ latest?: string;
      /** npm: the package-lock.json of the resolved tree, for `--materialise`; never written to the lock. */
      tree?: string;
      /** npm: every version the registry publishes, to tell a server's reported version apart from a made-up one. */
      published?: string[];
    }
  | { ok: false; reason: string };

type Place = Parameters<typeof resolvePackage>[2];

/**
 * `resolvePackage` in two steps: `pin` as soon as the package's own version is known (what a launch needs first: the
 * npx cache is warmed for it), and `full` with its dependency tree, which npm may take many seconds to resolve and
 * so goes on while the server is launched.
 */
export function resolvePackageStaged(
  source: LockSource,
  npm: NpmConfig,
  place: Place,
  fetcher: typeof fetch = fetch,
): { pin: Promise<PackageOutcome>; full: Promise<PackageOutcome> } {
  const spec = packageOf(source);
  if (!place.closure || spec?.type !== 'npm' || /\$\{/.test(spec.spec)) {
    const full = resolvePackage(source, npm, place, fetcher);
    return { pin: full, full };
  }
  const pin = resolvePackage(source, npm, { ...place, closure: false }, fetcher);
  const full = pin.then((outcome) => withClosure(outcome, spec.spec, npm, place, fetcher));
  return { pin, full };
}

/** An npm pin with its dependency tree added, or why the tree could not be resolved. */
async function withClosure(
  outcome: PackageOutcome,
  spec: string,
  npm: NpmConfig,
  place: Place,
  fetcher: typeof fetch,
): Promise<PackageOutcome> {
  if (!outcome.ok || !outcome.pkg?.version) return outcome;
  const pkg = { ...outcome.pkg };
  try {
    const {
      lockText,
      reused: _reused,
      ...closure
    } = await resolveClosureOnce(pkg.name, pkg.version!, place.cwd, place.env ?? {}, npm, fetcher);
    pkg.dependencies = closure;
    return { ...outcome, pkg, tree: lockText };
  } catch (error) {
    return {
      ok: false,
      reason: `${spec}: its dependency tree cannot be resolved (${(error as Error).message})`,
    };
  }
}

/**
 * The pinned package of a server's launch line: npm packages in the registry of the user's npm configuration, PyPI
 * releases in the indexes uv would search, images over the distribution API (each with its signatures and
 * provenance verified), scripts, package folders and executables by their sha256.
 */
export async function resolvePackage(
  source: LockSource,
  npm: NpmConfig,
  place: {
    cwd: string;
    path: string | undefined;
    trustedRoot: () => Promise<unknown>;
    /** Resolve the dependency tree too (npm): on for install, update and verify. */
    closure?: boolean;
    env?: Readonly<Record<string, string | undefined>>;
  },
  fetcher: typeof fetch = fetch,
): Promise<PackageOutcome> {
  const spec = packageOf(source);
  if (!spec) return { ok: true, pkg: undefined };
  if ((spec.type === 'local' || spec.type === 'binary') && !/\$\{/.test(spec.spec)) {
    // A script or an executable: its bytes are the pin. Paths stay as configured; no machine path is recorded.
    const file =
      spec.type === 'local'
        ? resolve(place.cwd, spec.spec)
        : await resolveExecutable(spec.spec, place.cwd, place.path);
    try {
      if (!file) throw new Error('not found on PATH');
      // A script inside a package folder of its own runs that folder's code: the whole folder is the pin.
      const folder = spec.type === 'local' ? await packageFolderOf(file, place.cwd) : undefined;
      const files = folder ? await hashTree(folder) : undefined;
      if (files) {
        return {
          ok: true,
          pkg: {
            type: 'local',
            name: spec.name,
            spec: spec.spec,
            pinned: true,
            integrity: digest(files),
            files,
          },
        };
      }
      return {
        ok: true,
        pkg: {
          type: spec.type,
          name: spec.name,
          spec: spec.spec,
          pinned: true,
          integrity: await hashFile(file),
        },
      };
    } catch (error) {
      return { ok: false, reason: `${spec.spec}: cannot be read (${(error as Error).message})` };
    }
  }
  if (spec.type === 'pypi' && !/\$\{/.test(spec.spec)) {
    try {
      const { pin, latest } = await resolvePypi(spec, place.env ?? {}, fetcher, place.trustedRoot);
      return { ok: true, pkg: pin, ...(latest ? { latest } : {}) };
    } catch (error) {
      return { ok: false, reason: `${spec.spec}: ${(error as Error).message}` };
    }
  }
  if (spec.type === 'oci' && !/\$\{/.test(spec.spec)) {
    try {
      return { ok: true, pkg: await resolveOci(spec, fetcher, place.trustedRoot, place.env ?? {}) };
    } catch (error) {
      return { ok: false, reason: `${spec.spec}: ${(error as Error).message}` };
    }
  }
  if (spec.type !== 'npm' || /\$\{/.test(spec.spec)) {
    return { ok: true, pkg: { type: spec.type, name: spec.name, spec: spec.spec, pinned: spec.pinned } };
  }
  let outcome: PackageOutcome;
  try {
    const { pin: pkg, latest, published } = await resolveNpm(spec, npm, place.trustedRoot, fetcher);
    outcome = { ok: true, pkg, published, ...(latest ? { latest } : {}) };
  } catch (error) {
    return { ok: false, reason: `${spec.spec}: ${(error as Error).message}` };
  }
  return place.closure ? withClosure(outcome, spec.spec, npm, place, fetcher) : outcome;
}
