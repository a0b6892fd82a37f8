/**
 * How `mcp-lock wrap` rewrites an entry so the client launches `mcp-lock run` in front of the server:
 *
 *   "command": "<launcher>",
 *   "args": [...launcher args, "run", "<server>", "--lockfile", "<lockfile>", "--", "<original command>", ...args]
 *
 * The launcher is `mcp-lock` on PATH or `npx --no-install mcp-lock` (a dev dependency). The original launch line stays
 * in the entry after `--`, so the client still expands its variables (`${workspaceFolder}`, `${input:…}`) and `unwrap`
 * can restore the entry byte for byte. `--no-original-args` marks an entry that had no `args` at all. A remote entry
 * (a URL) is replaced whole: its original text travels in `--restore <base64>`, its URL and header values in the
 * entry's `env` (where the client expands their variables), as MCP_LOCK_URL and MCP_LOCK_HEADER_<NAME>.
 */
export const NO_ORIGINAL_ARGS = '--no-original-args';
export const RESTORE = '--restore';
/** `run --sandbox`: the server runs in the sandbox with the lock's permissions (`wrap --sandbox`). */
export const SANDBOX = '--sandbox';
export const URL_VARIABLE = 'MCP_LOCK_URL';

/** The environment variable a remote header's value reaches `mcp-lock run` in. */
export function headerVariable(header: string): string {
  return 'MCP_LOCK_HEADER_' + header.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export interface WrappedEntry {
  server: string;
  lockfile: string;
  /** The launch line the entry had before it was wrapped (stdio entries). */
  command: string;
  args: string[];
  hadArgs: boolean;
  /** How many arguments the launcher put in front of `run`. */
  prefix: number;
  /** The entry runs the server sandboxed. */
  sandbox: boolean;
  /** Remote entries: the entry's original text. */
  restore?: string;
}

/** The arguments wrap puts in front of the original command. */
export function wrapPrefix(
  server: string,
  lockfile: string,
  hadArgs: boolean,
  launcherArgs: readonly string[] = [],
  sandbox = false,
): string[] {
  return [
    ...launcherArgs,
    'run',
    server,
    '--lockfile',
    lockfile,
    ...(sandbox ? [SANDBOX] : []),
    ...(hadArgs ? [] : [NO_ORIGINAL_ARGS]),
    '--',
  ];
}

/** Reads an entry's args as a wrapped launch line, or null when the entry was not written by `wrap`. */
export function parseWrapped(args: readonly string[] | undefined): WrappedEntry | null {
  if (!args) return null;
  // `run <server> --lockfile <lockfile>`, after whatever the launcher needs (`--no-install mcp-lock`).
  const at = args.findIndex((a, i) => a === 'run' && args[i + 2] === '--lockfile' && i <= 3);
  if (at === -1 || args.length < at + 4) return null;
  const server = args[at + 1]!;
  const lockfile = args[at + 3]!;
  const sandbox = args[at + 4] === SANDBOX;
  const next = at + (sandbox ? 5 : 4);
  if (args[next] === RESTORE && args.length === next + 2) {
    try {
      const restore = new TextDecoder('utf-8', { fatal: true }).decode(
        Uint8Array.from(atob(args[next + 1]!), (c) => c.charCodeAt(0)),
      );
      return { server, lockfile, command: '', args: [], hadArgs: false, prefix: at, sandbox, restore };
    } catch {
      return null;
    }
  }
  const hadArgs = args[next] !== NO_ORIGINAL_ARGS;
  const separator = hadArgs ? next : next + 1;
  if (args[separator] !== '--' || args.length <= separator + 1) return null;
  const original = args.slice(separator + 1);
  return { server, lockfile, command: original[0]!, args: original.slice(1), hadArgs, prefix: at, sandbox };
}

/** `--restore` and its value: the original text of a remote entry, base64 of its UTF-8. */
export function restoreArgs(original: string): string[] {
  let binary = '';
  for (const byte of new TextEncoder().encode(original)) binary += String.fromCharCode(byte);
  return [RESTORE, btoa(binary)];
}

/** What the client fills in: a variable reference, or a secret argument the lockfile stores redacted. */
const FILLED = /\$\{[^}]*\}|\{(?:env|file):[^}]*\}|<redacted>/;

/**
 * Whether one launched word is what the locked word becomes once the client expands its variables (and puts in the
 * secret the lockfile does not hold).
 */
export function expandsTo(template: string, actual: string): boolean {
  const literals = template.split(new RegExp(FILLED.source, 'g'));
  const pattern = literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(actual);
}

/**
 * Whether the launch line a client handed `mcp-lock run` is the locked one: same words, and a locked `${…}`
 * standing for whatever the client put there. A config edited after `wrap` (another version, another script)
 * is refused rather than launched unreviewed.
 */
export function launchMatches(
  locked: { command?: string; args?: readonly string[] },
  command: string,
  args: readonly string[],
): boolean {
  const lockedArgs = locked.args ?? [];
  return (
    locked.command !== undefined &&
    expandsTo(locked.command, command) &&
    lockedArgs.length === args.length &&
    lockedArgs.every((a, i) => expandsTo(a, args[i]!))
  );
}
