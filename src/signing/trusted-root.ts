import { createRequire } from 'node:module';
import { DEFAULT_MIRROR_URL, getTrustedRoot } from '@sigstore/tuf';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { McpLockError } from '../errors.js';
import { readBoundedText } from '../store/bounded-read.js';

export interface TrustedRootOptions {
  /** `--trusted-root FILE`: used as is, nothing fetched. */
  file?: string;
  /** `--tuf-mirror URL` (a private Sigstore deployment); the public one by default. */
  mirror?: string;
  /** `--tuf-root FILE`: the initial TUF root of a private mirror. */
  tufRoot?: string;
  cachePath: string;
}

export interface LoadedRoot {
  root: unknown;
  source: string;
  warning?: string;
}

/**
 * The trusted root for keyless verification, in order of preference: a file the verifier names; a TUF refresh
 * (cached on disk); the last cached copy; the root seeded in @sigstore/tuf, which may be stale (said so).
 */
export async function loadTrustedRoot(options: TrustedRootOptions): Promise<LoadedRoot> {
  if (options.file) {
    try {
      return {
        root: JSON.parse(await readBoundedText(options.file, 16 * 1024 * 1024)),
        source: `--trusted-root ${options.file}`,
      };
    } catch {
      throw new McpLockError('trusted-root-unavailable', `${options.file}: not a readable trusted root`, {
        hint: 'give a Sigstore trusted_root.json',
      });
    }
  }
  const mirrorURL = options.mirror ?? DEFAULT_MIRROR_URL;
  const tuf = {
    mirrorURL,
    cachePath: options.cachePath,
    retry: 0,
    timeout: 10_000,
    ...(options.tufRoot ? { rootPath: options.tufRoot } : {}),
  };
  try {
    return { root: TrustedRoot.toJSON(await getTrustedRoot(tuf)), source: `TUF ${mirrorURL}` };
  } catch (refresh) {
    try {
      const root = TrustedRoot.toJSON(await getTrustedRoot({ ...tuf, forceCache: true }));
      return {
        root,
        source: `cached TUF ${mirrorURL}`,
        warning: `TUF refresh failed (${(refresh as Error).message}); using the last cached trusted root`,
      };
    } catch {
      if (mirrorURL !== DEFAULT_MIRROR_URL) {
        throw new McpLockError('trusted-root-unavailable', `cannot get a trusted root from ${mirrorURL}`, {
          hint: 'check --tuf-mirror and --tuf-root, or give --trusted-root FILE',
        });
      }
      const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json') as Record<
        string,
        { targets: Record<string, string> }
      >;
      const seeded = seeds[DEFAULT_MIRROR_URL]!.targets['trusted_root.json']!;
      return {
        root: JSON.parse(Buffer.from(seeded, 'base64').toString('utf8')),
        source: 'the trusted root seeded in @sigstore/tuf',
        warning:
          'TUF could not be reached and nothing is cached: using the seeded trusted root, which may be stale (pass --trusted-root to pin one)',
      };
    }
  }
}
