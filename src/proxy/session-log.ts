import { digest } from '../core/canonical.js';
import { redactForLog, redactText } from '../core/redact.js';
import type { ProxyLog, ProxyLogEntry } from './log.js';

const MAX_LOGGED_ERROR = 500;

export type SessionEntry = Omit<ProxyLogEntry, 'time' | 'server'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the log says of a message body by default: its size and digest, never its content. */
export function size(value: unknown): { bytes: number; digest: string } {
  return { bytes: Buffer.byteLength(JSON.stringify(value ?? null)), digest: digest(value ?? null) };
}

/**
 * The session's side of the log: entries stamped with the time and the server, bodies only with `--log-bodies` and
 * then redacted, error messages redacted and cut short.
 */
export class SessionLogger {
  constructor(
    private readonly log: ProxyLog,
    private readonly options: {
      server: string;
      secrets: readonly string[];
      logBodies: boolean;
      now: () => number;
    },
  ) {}

  write(entry: SessionEntry): void {
    this.log.write({
      time: new Date(this.options.now()).toISOString(),
      server: this.options.server,
      ...entry,
    });
  }

  body(params: unknown, result?: unknown): Pick<ProxyLogEntry, 'body'> {
    if (!this.options.logBodies) return {};
    const { secrets } = this.options;
    return {
      body: {
        params: redactForLog(params, secrets),
        ...(result === undefined ? {} : { result: redactForLog(result, secrets) }),
      },
    };
  }

  error(error: unknown): { code: number; message: string } {
    const e = isObject(error) ? error : {};
    const message = typeof e.message === 'string' ? e.message : '';
    return {
      code: typeof e.code === 'number' ? e.code : 0,
      message: redactText(message, this.options.secrets).slice(0, MAX_LOGGED_ERROR),
    };
  }
}
