import type { LockPackage } from '../lockfile/schema.js';

/** The exact form of a locked package, as its launcher writes it: `pkg@1.2.3`, `pkg==1.2.3`, `image@sha256:…`. */
export function pinnedSpec(pkg: LockPackage): string | undefined {
  if (pkg.type === 'npm' && pkg.version) return `${pkg.name}@${pkg.version}`;
  if (pkg.type === 'pypi' && pkg.version) return `${pkg.name}==${pkg.version}`;
  if (pkg.type === 'oci' && pkg.integrity?.startsWith('sha256:')) return `${pkg.name}@${pkg.integrity}`;
  return undefined;
}

/** A launch line's arguments with the package named at its exact version (`--from=pkg` forms included). */
export function pinnedArgs(args: readonly string[], pkg: LockPackage | undefined): string[] {
  const pinned = pkg && !pkg.pinned ? pinnedSpec(pkg) : undefined;
  if (!pkg || pinned === undefined) return [...args];
  return args.map((arg) => (arg === pkg.spec ? pinned : arg.replace(`=${pkg.spec}`, `=${pinned}`)));
}
