/**
 * How `mcp-lock wrap` rewrites a stdio entry so the client launches `mcp-lock run` in front of the server:
 *
 *   "command": "mcp-lock",
 *   "args": ["run", "<server>", "--lockfile", "<lockfile>", "--", "<original command>", ...original args]
 *
 * The original launch line stays in the entry after `--`, so the client still expands its variables
 * (`${workspaceFolder}`, `${input:…}`) and `unwrap` can restore the entry byte for byte. `--no-original-args`
 * marks an entry that had no `args` at all, which an empty array could not tell apart.
 */
export const NO_ORIGINAL_ARGS = '--no-original-args';

export interface WrappedEntry {
  server: string;
  lockfile: string;
  /** The launch line the entry had before it was wrapped. */
  command: string;
  args: string[];
  hadArgs: boolean;
}

/** The arguments wrap puts in front of the original command. */
export function wrapPrefix(server: string, lockfile: string, hadArgs: boolean): string[] {
  return ['run', server, '--lockfile', lockfile, ...(hadArgs ? [] : [NO_ORIGINAL_ARGS]), '--'];
}

/** Reads an entry's args as a wrapped launch line, or null when the entry was not written by `wrap`. */
export function parseWrapped(args: readonly string[] | undefined): WrappedEntry | null {
  if (!args || args[0] !== 'run' || args[2] !== '--lockfile' || args.length < 6) return null;
  const hadArgs = args[4] !== NO_ORIGINAL_ARGS;
  const separator = hadArgs ? 4 : 5;
  if (args[separator] !== '--' || args.length <= separator + 1) return null;
  const original = args.slice(separator + 1);
  return {
    server: args[1]!,
    lockfile: args[3]!,
    command: original[0]!,
    args: original.slice(1),
    hadArgs,
  };
}

/** What the client fills in: a variable reference, or a secret argument the lockfile stores redacted. */
const FILLED = /\$\{[^}]*\}|<redacted>/;

/**
 * Whether one launched word is what the locked word becomes once the client expands its variables (and puts in the
 * secret the lockfile does not hold).
 */
function expandsTo(template: string, actual: string): boolean {
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
