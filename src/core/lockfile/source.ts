import type { ServerSpec } from '../server-spec.js';
import type { LockSource } from './schema.js';

const VARIABLE_ONLY = /^\$\{[^}]+\}$/;

/**
 * A URL as it may be written to the lockfile: userinfo dropped and query values redacted (tokens travel there),
 * unless a value is only a variable reference. Works on text, since an unexpanded `${HOST}` is no valid URL.
 */
export function redactUrl(url: string): string {
  const withoutUser = url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#@]*@/, '$1');
  const match = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(withoutUser);
  if (!match || match[2] === undefined) return withoutUser;
  const query = match[2]
    .slice(1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const value = pair.slice(eq + 1);
      return value === '' || VARIABLE_ONLY.test(value) ? pair : `${pair.slice(0, eq)}=<redacted>`;
    })
    .join('&');
  return `${match[1]}?${query}${match[3] ?? ''}`;
}

function names(map: Record<string, string> | undefined): string[] | undefined {
  return map === undefined ? undefined : Object.keys(map).sort();
}

/** The lock's record of how a server is launched, from every config entry that defines it the same way. */
export function lockSource(specs: readonly ServerSpec[]): LockSource {
  const spec = specs[0]!;
  const source: LockSource = {
    configs: specs.map((s) => ({ file: s.origin.file, key: s.origin.key })),
    transport: spec.transport,
  };
  if (spec.sseFallback) source.sseFallback = true;
  if (spec.command !== undefined) source.command = spec.command;
  if (spec.args !== undefined) source.args = spec.args;
  if (spec.cwd !== undefined) source.cwd = spec.cwd;
  if (spec.env !== undefined) source.env = names(spec.env);
  if (spec.envFile !== undefined) source.envFile = spec.envFile;
  if (spec.url !== undefined) source.url = redactUrl(spec.url);
  if (spec.headers !== undefined) source.headers = names(spec.headers);
  return source;
}

/** What launches the server, without where it was configured: two files defining it alike launch the same thing. */
export function launchIdentity(source: LockSource): Omit<LockSource, 'configs'> {
  const { configs: _configs, ...rest } = source;
  return rest;
}
