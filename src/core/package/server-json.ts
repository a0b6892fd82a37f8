import { finding, type Finding } from '../findings.js';
import type { LockPackage } from '../lockfile/schema.js';
import { pypiProjectName } from './names.js';

/** One package of an MCP Registry `server.json` (`packages[]`): what the publisher says the server is. */
export interface DescribedPackage {
  registryType: string;
  identifier: string;
  version?: string;
  /** sha256 (hex) of the package file, where the publisher gives it (MCPB bundles; any file of a release). */
  fileSha256?: string;
}

/** A `server.json` as read: where it is, and its packages. */
export interface ServerDescription {
  file: string;
  packages: readonly DescribedPackage[];
}

/** The lock's package types under the registry's names. */
const REGISTRY_TYPE: Readonly<Record<string, LockPackage['type']>> = { npm: 'npm', pypi: 'pypi', oci: 'oci' };

/** PyPI names compare normalised (PEP 503); others exactly. */
function sameName(type: LockPackage['type'], a: string, b: string): boolean {
  return type === 'pypi' ? pypiProjectName(a) === pypiProjectName(b) : a === b;
}

/** The sha256 digests (hex) the lock holds for a package's files: every file of a PyPI release. */
function lockedSha256(pkg: LockPackage): string[] {
  return Object.values(pkg.files ?? {})
    .filter((d) => d.startsWith('sha256:'))
    .map((d) => d.slice('sha256:'.length).toLowerCase());
}

/**
 * package-registry-mismatch: a locked server whose package a `server.json` describes (same registry type and
 * identifier) must have been resolved to the version it names, and to a file with the `fileSha256` it gives where
 * the lock holds file digests. Anything else means the lock pinned another artifact than the one published and
 * described — or the description was changed.
 */
export function serverJsonFindings(
  servers: readonly { name: string; pkg: LockPackage | undefined }[],
  descriptions: readonly ServerDescription[],
): Finding[] {
  const out: Finding[] = [];
  for (const { name, pkg } of servers) {
    if (!pkg?.version) continue;
    for (const { file, packages } of descriptions) {
      for (const described of packages) {
        if (REGISTRY_TYPE[described.registryType] !== pkg.type) continue;
        if (!sameName(pkg.type, described.identifier, pkg.name)) continue;
        const subject = { server: name, field: 'package' };
        if (described.version !== undefined && described.version !== pkg.version) {
          out.push(
            finding('package-registry-mismatch', {
              ...subject,
              message: `${file} describes ${described.identifier} ${described.version}; the lock resolved ${pkg.version}`,
              before: described.version,
              after: pkg.version,
            }),
          );
          continue;
        }
        const digests = lockedSha256(pkg);
        if (
          described.fileSha256 &&
          digests.length > 0 &&
          !digests.includes(described.fileSha256.toLowerCase())
        ) {
          out.push(
            finding('package-registry-mismatch', {
              ...subject,
              message: `${file} gives fileSha256 ${described.fileSha256} for ${described.identifier} ${pkg.version}; no file the lock pinned has it`,
              before: described.fileSha256,
            }),
          );
        }
      }
    }
  }
  return out;
}
