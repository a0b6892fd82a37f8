import { execFile } from 'node:child_process';

/**
 * The registry npm itself would use for a package, from the user's npm configuration (`.npmrc` files, scoped
 * registries, environment): asked of npm, run without a shell, so mirrors and private registries are honoured and no
 * registry host is ever written into mcp-lock.
 */
export class NpmConfig {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly cwd: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  private get(key: string): Promise<string> {
    let value = this.cache.get(key);
    if (!value) {
      value = new Promise((resolve, reject) => {
        execFile(
          'npm',
          ['config', 'get', key],
          { cwd: this.cwd, env: this.env as NodeJS.ProcessEnv, timeout: 30_000 },
          (error, stdout) => {
            if (error) reject(new Error(`npm config get ${key} failed: ${error.message}`));
            else resolve(stdout.trim());
          },
        );
      });
      this.cache.set(key, value);
    }
    return value;
  }

  async registryFor(name: string): Promise<string> {
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
    const scoped = scope ? await this.get(`${scope}:registry`) : '';
    const registry = scoped && scoped !== 'undefined' ? scoped : await this.get('registry');
    return registry.endsWith('/') ? registry : `${registry}/`;
  }
}
