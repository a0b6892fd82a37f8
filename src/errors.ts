/** Why a run could not be done (exit 2). Findings about servers are data, not errors: see core/findings.ts. */
export type ErrorCode =
  | 'usage'
  | 'config-unreadable'
  | 'config-invalid'
  | 'config-not-found'
  | 'lockfile-unreadable'
  | 'lockfile-invalid'
  | 'lockfile-version'
  | 'lockfile-missing'
  | 'lockfile-write'
  | 'output-write'
  | 'server-unknown'
  | 'lockfile-untrusted'
  | 'launch-mismatch';

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
