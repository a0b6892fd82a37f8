import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveExecutable } from './local.js';

/**
 * The registry npm itself would use for a package, from the user's npm configuration (`.npmrc` files, scoped
 * registries, environment): asked of npm, run without a shell, so mirrors and private registries are honoured and no
 * registry host is ever written into mcp-lock.
 */
/** The part of `@npmcli/config` used here. */
interface NpmcliConfig {
  load(): Promise<void>;
  getCredentialsByURI(uri: string): { token?: string; auth?: string };
}

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

  /**
   * The Authorization header npm would send to a registry, from npm's own config loader (`.npmrc` files at every
   * level, `${ENV}` references, `_authToken`, `_auth`, `username`/`_password`): `npm config get` will not print them.
   * The value is used for requests and never stored or reported.
   */
  async authHeaders(registry: string): Promise<Record<string, string>> {
    this.npmcli ??= this.loadNpmcli();
    const credentials = (await this.npmcli)?.getCredentialsByURI(registry) ?? {};
    if (credentials.token) return { authorization: `Bearer ${credentials.token}` };
    if (credentials.auth) return { authorization: `Basic ${credentials.auth}` };
    return {};
  }

  private npmcli: Promise<NpmcliConfig | undefined> | undefined;

  private async loadNpmcli(): Promise<NpmcliConfig | undefined> {
    const { default: Config } = await import('@npmcli/config');
    // CommonJS: its exports are on `default`.
    const { definitions, flatten, shorthands } = (await import('@npmcli/config/lib/definitions/index.js'))
      .default;
    const npmBin = await resolveExecutable('npm', this.cwd, this.env.PATH);
    // npm's own folder holds its built-in npmrc; from the executable on PATH, as npm itself would find it.
    const npmPath = npmBin ? dirname(dirname(await realpath(npmBin))) : this.cwd;
    const config = new Config({
      definitions,
      shorthands,
      flatten,
      npmPath,
      argv: [process.execPath, 'npm'],
      cwd: this.cwd,
      env: this.env as NodeJS.ProcessEnv,
      platform: process.platform,
      execPath: process.execPath,
    }) as unknown as NpmcliConfig;
    try {
      await config.load();
      return config;
    } catch {
      // A config npm itself could not load either: requests go without credentials, and a 401 says why.
      return undefined;
    }
  }

  private readonly keys = new Map<string, Promise<unknown>>();

  /** A registry's signing keys, fetched once per registry per run however many of its packages are resolved. */
  registryKeys<T>(registry: string, load: () => Promise<T>): Promise<T> {
    let keys = this.keys.get(registry) as Promise<T> | undefined;
    if (!keys) this.keys.set(registry, (keys = load()));
    return keys;
  }

  async registryFor(name: string): Promise<string> {
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
    const scoped = scope ? await this.get(`${scope}:registry`) : '';
    const registry = scoped && scoped !== 'undefined' ? scoped : await this.get('registry');
    return registry.endsWith('/') ? registry : `${registry}/`;
  }
}
