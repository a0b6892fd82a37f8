import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RegistryCache } from './cache.js';
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
  get(key: string): unknown;
  /** Each layer's settings (command line, environment, project, user, global, built-in, defaults). */
  readonly list: Record<string, unknown>[];
}

/** Settings that hold credentials: left out of anything mcp-lock derives from the config, even a digest. */
const CREDENTIAL =
  /(^|:|_)(_?auth|_?authtoken|_?password|username|email|otp|token)$|certfile$|keyfile$|^cert$|^key$/i;

export class NpmConfig {
  private readonly settings = new Map<string, Promise<string>>();

  constructor(
    private readonly cwd: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** Registry answers remembered between runs; by default, within this run only. */
    readonly cache: RegistryCache = new RegistryCache(undefined),
  ) {}

  private get(key: string): Promise<string> {
    let value = this.settings.get(key);
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
      this.settings.set(key, value);
    }
    return value;
  }

  /**
   * The Authorization header npm would send to a registry, from npm's own config loader (`.npmrc` files at every
   * level, `${ENV}` references, `_authToken`, `_auth`, `username`/`_password`): `npm config get` will not print them.
   * The value is used for requests and never stored or reported.
   */
  async authHeaders(registry: string): Promise<Record<string, string>> {
    const credentials = (await this.loaded())?.getCredentialsByURI(registry) ?? {};
    if (credentials.token) return { authorization: `Bearer ${credentials.token}` };
    if (credentials.auth) return { authorization: `Basic ${credentials.auth}` };
    return {};
  }

  private npmcli: Promise<NpmcliConfig | undefined> | undefined;
  private npmPath: string | undefined;

  /** npm's config, loaded once per run, whichever question comes first. */
  private loaded(): Promise<NpmcliConfig | undefined> {
    return (this.npmcli ??= this.loadNpmcli());
  }

  /**
   * What npm reads to resolve a tree, besides the registry's answers: every non-credential setting of every config
   * layer (files and environment), npm's own version and the Node mcp-lock runs on (the npx that runs the server is
   * found on the same PATH). Two runs with the same inputs and the same registry documents resolve the same tree.
   */
  async resolutionInputs(): Promise<string> {
    const config = await this.loaded();
    const settings = (config?.list ?? []).map((layer) =>
      Object.entries(Object.getOwnPropertyDescriptors(layer))
        .filter(([key]) => !CREDENTIAL.test(key))
        .map(([key, d]) => [key, JSON.stringify(d.value) ?? null])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
    let npmVersion = 'unknown';
    try {
      const manifest = JSON.parse(await readFile(join(this.npmPath ?? '', 'package.json'), 'utf8')) as {
        version?: unknown;
      };
      if (typeof manifest.version === 'string') npmVersion = manifest.version;
    } catch {
      // npm not found where expected: the inputs say so, and never match a run that found it.
    }
    return JSON.stringify({ node: process.version, npm: npmVersion, loaded: !!config, settings });
  }

  private async loadNpmcli(): Promise<NpmcliConfig | undefined> {
    const { default: Config } = await import('@npmcli/config');
    // CommonJS: its exports are on `default`.
    const { definitions, flatten, shorthands } = (await import('@npmcli/config/lib/definitions/index.js'))
      .default;
    const npmBin = await resolveExecutable('npm', this.cwd, this.env.PATH);
    // npm's own folder holds its built-in npmrc; from the executable on PATH, as npm itself would find it.
    const npmPath = npmBin ? dirname(dirname(await realpath(npmBin))) : this.cwd;
    this.npmPath = npmPath;
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

  /**
   * From npm's own config loader, read once; `npm config get` (a process per question) only where that loader could
   * not read the config. A tree of a hundred scoped packages asks this a hundred times.
   */
  async registryFor(name: string): Promise<string> {
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
    const config = await this.loaded();
    const ask = async (key: string): Promise<string> => {
      if (!config) return this.get(key);
      const value = config.get(key);
      return typeof value === 'string' ? value : 'undefined';
    };
    const scoped = scope ? await ask(`${scope}:registry`) : '';
    const registry = scoped && scoped !== 'undefined' ? scoped : await ask('registry');
    return registry.endsWith('/') ? registry : `${registry}/`;
  }
}
