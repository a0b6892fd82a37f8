import { REDACTED } from '../redact.js';
import type { ServerSpec } from '../server-spec.js';
import type { LockSource } from './schema.js';

const VARIABLE_ONLY = /^(?:\$\{[^}]+\}|\{env:[^}]+\})$/;

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
      return value === '' || VARIABLE_ONLY.test(value) ? pair : `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('&');
  return `${match[1]}?${query}${match[3] ?? ''}`;
}

/**
 * Flags whose value is a credential: `--figma-api-key=…`, `--access-token …`, `--client-secret`, `--password`. Counts
 * and limits (`--max-tokens 1000`) are not credentials.
 */
const SECRET_FLAG =
  /^--?(?:[\w-]*[-_])?(?:api[-_]?key|key|token|secret|password|passwd|pass|pat|auth|credentials?)(?:[-_][\w-]*)?$/i;

/** A value that is only a variable reference is reviewed as written: which variable feeds the flag is no secret. */
function literal(value: string): boolean {
  return value !== '' && !VARIABLE_ONLY.test(value);
}

/**
 * The positions of secret-bearing arguments and their values: `--flag=value` (the part after `=`) and `--flag value`
 * (the next argument, unless it is another flag).
 */
export function secretArguments(args: readonly string[]): { index: number; flag: string; value: string }[] {
  const out: { index: number; flag: string; value: string }[] = [];
  args.forEach((arg, index) => {
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!flag.startsWith('-') || !SECRET_FLAG.test(flag)) return;
    if (eq !== -1) {
      const value = arg.slice(eq + 1);
      if (literal(value)) out.push({ index, flag, value });
      return;
    }
    const next = args[index + 1];
    if (next !== undefined && !next.startsWith('-') && literal(next))
      out.push({ index: index + 1, flag, value: next });
  });
  return out;
}

/** Arguments as the lockfile stores them: secret values replaced, flag names kept (a changed flag is drift). */
export function redactArguments(args: readonly string[]): string[] {
  const out = [...args];
  for (const { index } of secretArguments(args)) {
    const eq = out[index]!.indexOf('=');
    out[index] =
      eq !== -1 && out[index]!.startsWith('-') ? `${out[index]!.slice(0, eq + 1)}${REDACTED}` : REDACTED;
  }
  return out;
}

/** What stands for literal text in a value template: never the text, never a digest of it (a digest of a short secret is as good as the secret). */
export const LITERAL = '<literal>';

const REFERENCES = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{(?:env|file):[^}]*\}/g;

/**
 * A config value as the lock records it: which variables feed it is part of the reviewed launch line (a swap from
 * `${MY_TOKEN}` to `${AWS_SECRET_ACCESS_KEY}` sends another secret), its literal text is not recorded. Scheme words
 * (`Bearer `) and punctuation stay, so the template still reads as what it is.
 */
export function valueTemplate(value: string): string {
  let out = '';
  let last = 0;
  const literal = (text: string) =>
    text === '' || /^[^A-Za-z0-9]*$/.test(text) || /^(?:Bearer|Basic|Token|Bot|ApiKey) +$/i.test(text)
      ? text
      : LITERAL;
  for (const match of value.matchAll(REFERENCES)) {
    out += literal(value.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + literal(value.slice(last));
}

function templates(map: Record<string, string> | undefined): Record<string, string> | undefined {
  if (map === undefined) return undefined;
  const out = new Map<string, string>();
  for (const name of Object.keys(map).sort()) out.set(name, valueTemplate(map[name]!));
  return Object.fromEntries(out);
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
  if (spec.args !== undefined) source.args = redactArguments(spec.args);
  if (spec.cwd !== undefined) source.cwd = spec.cwd;
  if (spec.env !== undefined) {
    source.env = names(spec.env);
    source.envValues = templates(spec.env);
  }
  if (spec.envFile !== undefined) source.envFile = spec.envFile;
  if (spec.url !== undefined) source.url = redactUrl(spec.url);
  if (spec.headers !== undefined) {
    source.headers = names(spec.headers);
    source.headerValues = templates(spec.headers);
  }
  return source;
}

/**
 * What launches the server, without where it was configured: two files defining it alike launch the same thing.
 * Against a lock made before value templates were recorded, they are left out on both sides (not known, not drift).
 */
export function launchIdentity(source: LockSource, known: LockSource = source): Omit<LockSource, 'configs'> {
  const { configs: _configs, ...rest } = source;
  if (known.env !== undefined && known.envValues === undefined) delete rest.envValues;
  if (known.headers !== undefined && known.headerValues === undefined) delete rest.headerValues;
  return rest;
}

/** Whether a lock entry predates value templates: which variable feeds each env entry or header is not known. */
export function templatesUnknown(source: LockSource): boolean {
  return (
    (source.env !== undefined && source.envValues === undefined) ||
    (source.headers !== undefined && source.headerValues === undefined)
  );
}
