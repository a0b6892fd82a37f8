/**
 * The environment a server starts with: a minimal base a launcher (npx, uvx, node, python) needs to find itself,
 * its caches and the network proxy, plus exactly what the config names. Never the whole parent environment: CI
 * secrets in it are none of a server's business.
 */
const BASE_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_RUNTIME_DIR',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  // Windows launchers do not start without these.
  'SYSTEMROOT',
  'SystemRoot',
  'COMSPEC',
  'PATHEXT',
  'WINDIR',
  'TEMP',
  'TMP',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
  'PROGRAMFILES',
  'ProgramFiles',
] as const;

export const BASE_ENVIRONMENT_NAMES: readonly string[] = BASE_VARIABLES;

/** The package launchers that read npm's settings from the environment. */
const NPM_LAUNCHERS = new Set(['npx', 'npm', 'pnpm', 'yarn', 'bunx']);

/**
 * npm settings from mcp-lock's environment (`npm_config_registry`, `NPM_CONFIG_CACHE`…) for a server launched through
 * npx, so it fetches from the registry mcp-lock verified the package in. Credentials stay behind: npm reads them from
 * its own config files, and a server started by npx inherits whatever npx got.
 */
function npmSettings(parent: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined || !/^npm_config_/i.test(name)) continue;
    if (/auth|token|pass|secret|cert|key|otp/i.test(name)) continue;
    out[name] = value;
  }
  return out;
}

export function serverEnvironment(
  parent: Readonly<Record<string, string | undefined>>,
  configured: Readonly<Record<string, string>>,
  command?: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASE_VARIABLES) {
    const value = parent[name];
    // Bash exports functions as `()…`; passing them on is how Shellshock travelled.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  const launcher = command
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.(cmd|exe)$/i, '');
  const npm = launcher !== undefined && NPM_LAUNCHERS.has(launcher) ? npmSettings(parent) : {};
  return { ...env, ...npm, ...configured };
}

/** Base variables whose values may carry credentials (a proxy URL with `user:pass@`): redacted like config values. */
const CREDENTIAL_VARIABLES = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
];

/** The values mcp-lock passes on from its own environment that must be treated as secrets. */
export function passedOnSecrets(parent: Readonly<Record<string, string | undefined>>): string[] {
  return CREDENTIAL_VARIABLES.map((name) => parent[name]).filter(
    (value): value is string => value !== undefined && value !== '',
  );
}
