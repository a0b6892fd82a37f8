import { join } from 'node:path';
import { NpmConfig, RegistryCache } from '../registry/index.js';
import type { TrustedRootOptions } from '../signing/trusted-root.js';
import type { Workspace } from '../workspace.js';

/**
 * The package registries of a run: the user's npm config, and the Sigstore trusted root for provenance, loaded once
 * and only when a package publishes provenance. `notes` collects what the report should say about that root (a
 * cached or seeded one may be stale).
 */
export class Registries {
  readonly npm: NpmConfig;
  readonly notes: string[] = [];
  private root: Promise<unknown> | undefined;

  constructor(
    private readonly workspace: Workspace,
    private readonly trustedRootOptions?: TrustedRootOptions,
  ) {
    this.npm = new NpmConfig(
      workspace.discovery.cwd,
      workspace.env,
      new RegistryCache(RegistryCache.folder(workspace.env, workspace.discovery.home)),
    );
  }

  readonly trustedRoot = (): Promise<unknown> =>
    (this.root ??= (async () => {
      const { loadTrustedRoot } = await import('../signing/trusted-root.js');
      const { env, discovery } = this.workspace;
      const loaded = await loadTrustedRoot(
        this.trustedRootOptions ?? {
          cachePath: join(env.XDG_CACHE_HOME ?? join(discovery.home, '.cache'), 'mcp-lock', 'tuf'),
        },
      );
      if (loaded.warning) this.notes.push(`package provenance: ${loaded.warning}`);
      return loaded.root;
    })());
}
