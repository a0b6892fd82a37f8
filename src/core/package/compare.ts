import { finding, type Finding } from '../findings.js';
import type { LockPackage } from '../lockfile/schema.js';

/** Which files of a package folder were added, removed or changed: the first few, and how many more. */
function fileChanges(before: Record<string, string>, after: Record<string, string>): string {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = paths.flatMap((p) =>
    before[p] === after[p]
      ? []
      : [`${p} ${before[p] === undefined ? 'added' : after[p] === undefined ? 'removed' : 'changed'}`],
  );
  return changed.slice(0, 5).join(', ') + (changed.length > 5 ? `, and ${changed.length - 5} more` : '');
}

/**
 * The version a running server says it is (serverInfo.version) against the version its package was pinned at. Many
 * servers report a version of their own (a hard-coded "0.1.0"), so only another *published* version of the same
 * package counts: lint when first seen, and medium when the locked server reported its pinned version and the live
 * one no longer does — then the launch ran other code than the lock names (a cached or local copy, another Node).
 */
export function reportedVersion(
  server: string,
  live: { package?: LockPackage; serverInfo?: { version?: unknown } },
  published: readonly string[],
  locked: { package?: LockPackage; serverInfo?: { version?: unknown } } | undefined,
): Finding[] {
  const pinned = live.package?.version;
  const reported = live.serverInfo?.version;
  if (!pinned || typeof reported !== 'string' || reported === pinned || !published.includes(reported))
    return [];
  const agreed =
    locked?.package?.version !== undefined && locked.serverInfo?.version === locked.package.version;
  const found = finding('package-version-mismatch', {
    server,
    field: 'serverInfo.version',
    message: `it reports ${reported}, a published version of ${live.package!.name}, but the lock pins ${pinned}${agreed ? ' (when it was locked, it reported the version pinned)' : ''}`,
    before: pinned,
    after: reported,
  });
  return [agreed ? found : { ...found, severity: 'info' }];
}

/** What changed in a server's package since it was locked: another version, other bytes, a lost signature. */
export function comparePackage(
  server: string,
  locked: LockPackage | undefined,
  live: LockPackage | undefined,
): Finding[] {
  if (!locked && live) {
    // Locked while its registry could not be reached: nothing about its code was pinned, so nothing is verified.
    return [
      finding('package-unresolved', {
        server,
        field: 'package',
        message: `the lockfile holds no package for it (${live.spec} could not be resolved when it was locked): run \`mcp-lock update ${server}\` to pin it`,
      }),
    ];
  }
  if (!locked || !live || locked.type !== live.type || locked.name !== live.name) return [];
  const out: Finding[] = [];
  const subject = { server, field: 'package' };
  if (locked.version !== live.version) {
    out.push(
      finding('package-version-changed', {
        ...subject,
        message: `${live.name} now resolves to ${live.version ?? '?'} (locked: ${locked.version ?? '?'})`,
        before: locked.version,
        after: live.version,
      }),
    );
  } else if (locked.type === 'oci' && locked.integrity !== live.integrity) {
    // A tag is a name that moves: the same tag on another digest is another image.
    out.push(
      finding('package-version-changed', {
        ...subject,
        message: `${live.name}:${live.version} now points to ${live.integrity ?? '?'} (locked: ${locked.integrity ?? '?'})`,
        before: locked.integrity,
        after: live.integrity,
      }),
    );
  } else if (
    locked.integrity !== undefined &&
    live.integrity !== undefined &&
    locked.integrity !== live.integrity
  ) {
    // A local file that changed is new code to review; a registry serving other bytes under a version is tampering.
    const local = live.type === 'local' || live.type === 'binary';
    out.push(
      finding(local ? 'package-files-changed' : 'package-integrity-mismatch', {
        ...subject,
        message:
          live.type === 'local' && locked.files && live.files
            ? `${live.name}: its package folder changed since it was locked (${fileChanges(locked.files, live.files)}; run \`mcp-lock update\` once reviewed)`
            : local
              ? `${live.name}: the file changed since it was locked (run \`mcp-lock update\` once reviewed)`
              : `${live.name}@${live.version}: the registry now serves other bytes for the locked version`,
        before: locked.integrity,
        after: live.integrity,
      }),
    );
  }
  const was = locked.provenance;
  const now = live.provenance;
  if (was?.status === 'verified' && now?.status === 'missing') {
    out.push(
      finding('package-provenance-changed', {
        ...subject,
        message: `${live.name}@${live.version}: the locked version had build provenance from ${was.repository ?? was.builder}; this one has none`,
        before: was,
        after: now,
      }),
    );
  } else if (
    was?.status === 'verified' &&
    now?.status === 'verified' &&
    (was.repository !== now.repository || was.workflow !== now.workflow || was.builder !== now.builder)
  ) {
    out.push(
      finding('package-provenance-changed', {
        ...subject,
        message: `${live.name}@${live.version} is now built by ${now.repository} (${now.workflow}), not ${was.repository} (${was.workflow})`,
        before: was,
        after: now,
      }),
    );
  }
  if (locked.dependencies && live.dependencies && locked.dependencies.digest !== live.dependencies.digest) {
    const changes = closureChanges(locked.dependencies.packages, live.dependencies.packages);
    out.push(
      finding('package-dependencies-changed', {
        ...subject,
        field: 'package.dependencies',
        message: `${live.name}@${live.version}: its dependency tree changed (${changes.slice(0, 5).join(', ')}${changes.length > 5 ? `, and ${changes.length - 5} more` : ''})`,
        before: locked.dependencies.packages,
        after: live.dependencies.packages,
      }),
    );
  }
  if (locked.signature === 'verified' && live.signature === 'unsigned') {
    out.push(
      finding('package-unsigned', {
        ...subject,
        message: `${live.name}@${live.version}: was signed by the registry, is not any more`,
        before: 'verified',
        after: 'unsigned',
      }),
    );
  }
  return out;
}

/** Findings about a package as it is now: unpinned, bytes that do not match, signatures that do not verify. */
export function packageState(server: string, pkg: LockPackage): Finding[] {
  const out: Finding[] = [];
  const subject = { server, field: 'package' };
  const id = `${pkg.name}${pkg.version ? `@${pkg.version}` : ''}`;
  if (!pkg.pinned) {
    out.push(
      finding('package-unpinned', {
        ...subject,
        message: `${pkg.spec} is not pinned: pin ${pkg.version ? `${pkg.name}@${pkg.version}` : 'an exact version'} in the config`,
      }),
    );
  }
  if (pkg.tarball === 'mismatch') {
    out.push(
      finding('package-integrity-mismatch', {
        ...subject,
        message: `${id}: the downloaded artifact does not match its integrity ${pkg.integrity ?? ''}`.trim(),
      }),
    );
  }
  if (pkg.signature === 'invalid') {
    out.push(
      finding('package-signature-invalid', {
        ...subject,
        message: `${id}: the registry signature does not verify with the registry's published keys`,
      }),
    );
  }
  if (pkg.provenance?.status === 'invalid') {
    out.push(
      finding('package-signature-invalid', {
        ...subject,
        message:
          `${id}: ${pkg.type === 'oci' ? 'its cosign signature' : 'its build provenance'} does not verify: ${pkg.provenance.reason ?? ''}`.trim(),
      }),
    );
  }
  if (pkg.provenance?.status === 'missing') {
    out.push(
      finding('package-provenance-missing', {
        ...subject,
        message:
          pkg.type === 'oci'
            ? `${id}: no keyless cosign signature`
            : pkg.type === 'pypi'
              ? `${id}: no PEP 740 provenance`
              : `${id}: registry-signed only, no build provenance`,
      }),
    );
  }
  if (pkg.signature === 'unsigned') {
    out.push(
      finding('package-unsigned', {
        ...subject,
        message: `${id}: the registry publishes signing keys, but this version carries no signature`,
      }),
    );
  }
  return out;
}

/** What changed between two closures, for a finding: versions moved, packages added and removed. */
export function closureChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  const name = (path: string) => path.replace(/^.*node_modules\//, '');
  for (const [path, version] of Object.entries(after)) {
    if (!(path in before)) out.push(`+${name(path)}@${version}`);
    else if (before[path] !== version) out.push(`${name(path)} ${before[path]} → ${version}`);
  }
  for (const [path, version] of Object.entries(before))
    if (!(path in after)) out.push(`−${name(path)}@${version}`);
  return out;
}
