import npa from 'npm-package-arg';
import type { LockSource } from '../lockfile/schema.js';

/** What a launch line runs, as far as its package goes. */
export type PackageSpec =
  | { type: 'npm'; name: string; spec: string; pinned: boolean }
  | { type: 'pypi'; name: string; spec: string; pinned: boolean }
  | { type: 'oci'; name: string; spec: string; pinned: boolean }
  | { type: 'remote'; name: string; spec: string; pinned: true }
  | { type: 'local' | 'binary'; name: string; spec: string; pinned: true };

/** Interpreters whose first argument is the program they run. */
const INTERPRETERS = new Set(['node', 'nodejs', 'python', 'python3', 'deno', 'bun', 'tsx', 'ts-node']);
/** Interpreter flags that take a value (`node -r hook`, `python -W ignore`). */
const INTERPRETER_VALUE_FLAGS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
  '-W',
  '-X',
]);
const LAUNCHERS = new Set(['npx', 'bunx', 'npm', 'pnpm', 'yarn', 'uvx', 'uv', 'pipx', 'docker', 'podman']);

const base = (command: string) =>
  command
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(cmd|exe|ps1)$/i, '');

/** Flags of the launchers that take a value, so the value is not taken for the package. */
const VALUE_FLAGS = new Set([
  '-p',
  '--package',
  '--registry',
  '--cache',
  '--userconfig',
  '-c',
  '--call',
  '--prefix',
  '--workspace',
  '-w',
  '--from',
  '--python',
  '--with',
  '--index-url',
  '--extra-index-url',
  '--spec',
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--name',
  '--network',
  '--net',
  '-u',
  '--user',
  '--entrypoint',
  '--platform',
  '--pull',
  '--workdir',
  '--mount',
  '-l',
  '--label',
  '--add-host',
  '--cpus',
  '-m',
  '--memory',
  '--restart',
  '--runtime',
  '--hostname',
  '--cidfile',
]);

/** The first positional argument, skipping flags (and the values of flags that take one), and a `--package` value. */
function positional(
  args: readonly string[],
  valueFlags: ReadonlySet<string> = VALUE_FLAGS,
): { first?: string; package?: string } {
  let pkg: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { first: args[i + 1], ...(pkg ? { package: pkg } : {}) };
    const eq = /^(--package|--from)=(.+)$/.exec(arg);
    if (eq) {
      pkg = eq[2];
      continue;
    }
    if (arg === '-p' || arg === '--package' || arg === '--from') {
      pkg = args[++i];
      continue;
    }
    if (arg.startsWith('-')) {
      if (valueFlags.has(arg)) i++;
      continue;
    }
    return { first: arg, ...(pkg ? { package: pkg } : {}) };
  }
  return pkg ? { package: pkg } : {};
}

function npmSpec(raw: string | undefined): PackageSpec | undefined {
  if (!raw) return undefined;
  try {
    const parsed = npa(raw);
    if (!parsed.name || !['version', 'range', 'tag'].includes(parsed.type)) return undefined;
    return { type: 'npm', name: parsed.name, spec: raw, pinned: parsed.type === 'version' };
  } catch {
    return undefined;
  }
}

function pypiSpec(raw: string | undefined): PackageSpec | undefined {
  if (!raw) return undefined;
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(==|@)\s*([^\s,;]+)|([<>=!~].*))?$/.exec(
    raw,
  );
  if (!match) return undefined;
  return {
    type: 'pypi',
    name: match[1]!,
    spec: raw,
    pinned: match[3] !== undefined && match[3] !== 'latest',
  };
}

function ociSpec(raw: string | undefined): PackageSpec | undefined {
  if (!raw) return undefined;
  const digest = /@sha256:[0-9a-f]{64}$/.test(raw);
  const name = raw.replace(/@sha256:[0-9a-f]{64}$/, '').replace(/:[^:/]+$/, '');
  return { type: 'oci', name, spec: raw, pinned: digest };
}

/**
 * The package a server's launch line runs: `npx`/`npm exec`/`pnpm dlx`/`yarn dlx`/`bunx` → npm; `uvx`/`uv tool run`/
 * `pipx run` → PyPI; `docker run`/`podman run` → an OCI image; a URL → remote. Pure: it reads the configured words,
 * variable references and all, and runs nothing.
 */
export function packageOf(source: LockSource): PackageSpec | undefined {
  if (source.url !== undefined) return { type: 'remote', name: source.url, spec: source.url, pinned: true };
  if (!source.command) return undefined;
  const command = base(source.command);
  const args = source.args ?? [];
  const sub = args[0];
  if (command === 'npx' || command === 'bunx') {
    const p = positional(args);
    return npmSpec(p.package ?? p.first);
  }
  if (
    (command === 'npm' && sub === 'exec') ||
    ((command === 'pnpm' || command === 'yarn') && sub === 'dlx')
  ) {
    const p = positional(args.slice(1));
    return npmSpec(p.package ?? p.first);
  }
  if (
    command === 'uvx' ||
    (command === 'uv' && sub === 'tool' && args[1] === 'run') ||
    (command === 'pipx' && sub === 'run')
  ) {
    const rest = command === 'uvx' ? args : args.slice(command === 'uv' ? 2 : 1);
    const p = positional(rest);
    return pypiSpec(p.package ?? p.first);
  }
  if ((command === 'docker' || command === 'podman') && sub === 'run') {
    return ociSpec(positional(args.slice(1)).first);
  }
  if (INTERPRETERS.has(command)) {
    // `deno run main.ts`, `node server.js`, `python server.py`: the script is the code; `-m module` is not a file.
    const rest = command === 'deno' && sub === 'run' ? args.slice(1) : args;
    if (rest.includes('-m') || rest.includes('-e') || rest.includes('--eval')) return undefined;
    const script = positional(rest, INTERPRETER_VALUE_FLAGS).first;
    return script ? { type: 'local', name: script, spec: script, pinned: true } : undefined;
  }
  if (LAUNCHERS.has(command)) return undefined;
  return { type: 'binary', name: source.command, spec: source.command, pinned: true };
}

/** Flags of npx / npm exec / pnpm dlx / yarn dlx / bunx that change nothing about what runs. */
const QUIET_FLAGS = new Set(['-y', '--yes', '-q', '--quiet', '--silent', '--no-install', '--prefer-offline']);

/** What an npm launcher line runs: the package, the bin (when named with `-p pkg bin`) and the bin's arguments. */
export interface NpxInvocation {
  spec: string;
  bin?: string;
  args: string[];
}

/**
 * Reads `npx [-y] pkg@1.2.3 args…` (and `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`, `-p pkg bin`) as what it runs,
 * so the locked tree's bin can be launched with the same arguments. Anything less plain (other flags, `-c`) is
 * undefined: launched as configured rather than guessed at.
 */
export function npxInvocation(command: string, args: readonly string[]): NpxInvocation | undefined {
  const name = base(command);
  let rest: readonly string[];
  if (name === 'npx' || name === 'bunx') rest = args;
  else if (
    (name === 'npm' && args[0] === 'exec') ||
    ((name === 'pnpm' || name === 'yarn') && args[0] === 'dlx')
  )
    rest = args.slice(1);
  else return undefined;
  let pkg: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (QUIET_FLAGS.has(arg)) continue;
    if (arg === '-p' || arg === '--package') {
      if (pkg !== undefined) return undefined;
      pkg = rest[++i];
      continue;
    }
    const eq = /^--package=(.+)$/.exec(arg);
    if (eq) {
      if (pkg !== undefined) return undefined;
      pkg = eq[1];
      continue;
    }
    if (arg === '--') continue;
    if (arg.startsWith('-')) return undefined;
    const after = rest.slice(i + 1);
    const tail = after[0] === '--' ? after.slice(1) : after;
    return pkg === undefined ? { spec: arg, args: [...tail] } : { spec: pkg, bin: arg, args: [...tail] };
  }
  return undefined;
}
