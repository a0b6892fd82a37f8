/**
 * Why a run could not be done (exit 2). Findings about servers are data, not errors: see core/findings.ts.
 * The codes are stable: the CLI prints them (`mcp-lock: error [code]: …`) and `--format json` reports them.
 */
export const ERROR_CODES = [
  /** Bad flags or arguments. */
  'usage',
  'config-not-found',
  'config-unreadable',
  'config-invalid',
  'config-write',
  'lockfile-missing',
  'lockfile-unreadable',
  'lockfile-invalid',
  'lockfile-version',
  'lockfile-write',
  /** The lockfile signature did not verify where a valid one is required before anything starts (`run`). */
  'lockfile-untrusted',
  'output-write',
  'log-write',
  'server-unknown',
  /** `run` cannot start the server: a variable is not set, the command does not start. */
  'server-not-started',
  /** `run` was handed a launch line that is not the locked one. */
  'launch-mismatch',
  'transport-unsupported',
  'key-exists',
  'key-unreadable',
  'key-invalid',
  'key-write',
  'signing-failed',
  'trusted-root-unavailable',
  /** `--require-sandbox` on a system where no sandbox runs (bubblewrap missing, namespaces refused). */
  'sandbox-unavailable',
  /** A failure mcp-lock did not expect: a bug, reported as one. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error class of mcp-lock. `message` is one line naming the file or server; `hint` says what to do.
 * The CLI prints both and never a stack trace.
 */
export class McpLockError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'McpLockError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function isMcpLockError(value: unknown): value is McpLockError {
  return value instanceof McpLockError;
}

/**
 * What goes wrong with one server or one file inside a run, before it becomes a finding or an McpLockError: a limit
 * hit, a broken protocol, a launch line that cannot be expanded. Each kind has a stable code, so the place that turns
 * it into a finding or an error can tell kinds apart without reading messages.
 */
export type FaultCode =
  'limit-exceeded' | 'stdio-protocol' | 'timeout' | 'launch-unresolved' | 'entry-unwrappable' | 'registry';

export class Fault extends Error {
  constructor(
    readonly code: FaultCode,
    message: string,
  ) {
    super(message);
    this.name = 'Fault';
  }
}
