import { isAbsolute, join, resolve } from 'node:path';
import type { Permissions } from '../core/lockfile/schema.js';

/**
 * Credentials and repositories a server never sees unless its permissions name them: the user's keys and tokens, and
 * the project's history (which may hold secrets removed from the tree). Paths relative to the user's home.
 */
export const HIDDEN_IN_HOME = [
  '.ssh',
  '.aws',
  '.azure',
  '.gnupg',
  '.kube',
  '.docker',
  '.password-store',
  '.config/gcloud',
  '.config/gh',
  '.config/hub',
  '.config/git/credentials',
  '.config/mcp-lock',
  '.local/share/keyrings',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.vault-token',
] as const;

/** Paths relative to the project folder. */
export const HIDDEN_IN_PROJECT = ['.git'] as const;

/** Everything a sandbox launch needs to know besides the command line. */
export interface SandboxPlan {
  /** The project folder: permissions' relative paths are relative to it. */
  project: string;
  /** The user's real home, where the credentials to hide live. */
  home: string;
  /** A fresh folder that is the server's home and temp folder, the only place it may write besides its grants. */
  privateHome: string;
  permissions: Permissions | undefined;
}

/** A permission path as the sandbox binds it: `~/x` in the user's home, a relative one in the project. */
export function resolveGrant(path: string, plan: Pick<SandboxPlan, 'project' | 'home'>): string {
  if (path === '~') return plan.home;
  if (path.startsWith('~/')) return join(plan.home, path.slice(2));
  return isAbsolute(path) ? path : resolve(plan.project, path);
}

/** The environment changes inside a sandbox: home and temp are the private folder; npm finds its cache, offline. */
export function sandboxEnv(env: Record<string, string>, plan: SandboxPlan): Record<string, string> {
  const out: Record<string, string> = { ...env };
  const cache = env.npm_config_cache ?? env.NPM_CONFIG_CACHE ?? join(plan.home, '.npm');
  out.HOME = plan.privateHome;
  out.TMPDIR = plan.privateHome;
  out.XDG_CONFIG_HOME = join(plan.privateHome, '.config');
  out.XDG_CACHE_HOME = join(plan.privateHome, '.cache');
  out.npm_config_cache = cache;
  // Without network, an npm run inside fails at once from the cache instead of retrying a registry it cannot reach.
  if (!plan.permissions?.network) out.npm_config_offline = 'true';
  out.npm_config_update_notifier = 'false';
  out.npm_config_logs_dir = join(plan.privateHome, '.npm-logs');
  delete out.NPM_CONFIG_CACHE;
  return out;
}
