import { createWriteStream, type WriteStream } from 'node:fs';
import { escapeJsonText } from '../core/canonical.js';
import type { GateDecision } from '../core/proxy-gate.js';
import { openSyslog, type SyslogSink } from './syslog.js';

/** One line of the session log: a request with its outcome, a notification, or the session's start and end. */
export interface ProxyLogEntry {
  time: string;
  server: string;
  type: 'session' | 'request' | 'notification' | 'recheck';
  /** Who sent it: the client, the server, or mcp-lock itself (its own re-checks). */
  from?: 'client' | 'server' | 'proxy';
  method?: string;
  id?: string | number;
  tool?: string;
  prompt?: string;
  outcome:
    'ok' | 'error' | 'refused' | 'timeout' | 'cancelled' | 'forwarded' | 'started' | 'ended' | 'unanswered';
  durationMs?: number;
  params?: { bytes: number; digest: string };
  result?: { bytes: number; digest: string };
  error?: { code: number; message: string };
  reason?: string;
  decisions?: GateDecision[];
  /** With --log-bodies only, secrets redacted. */
  body?: { params?: unknown; result?: unknown };
}

export interface ProxyLog {
  write(entry: ProxyLogEntry): void;
  close(): Promise<void>;
}

const WARNING_OUTCOMES = new Set(['error', 'refused', 'timeout', 'unanswered']);

function severityOf(entry: ProxyLogEntry): 'warning' | 'info' {
  const drifted = entry.decisions?.some((d) => d.status !== 'locked') ?? false;
  return drifted || WARNING_OUTCOMES.has(entry.outcome) ? 'warning' : 'info';
}

/**
 * The session log: JSON lines appended to a file and/or sent to syslog. Lines are built from digests, sizes and
 * codes; bodies appear only when asked for, after redaction — the caller's job, since it knows the secrets.
 */
export function openProxyLog(
  options: { file?: string; syslog?: string },
  warn: (text: string) => void,
): ProxyLog {
  let file: WriteStream | undefined;
  if (options.file) {
    file = createWriteStream(options.file, { flags: 'a', mode: 0o600 });
    file.on('error', (error) => warn(`log ${options.file}: ${error.message}`));
  }
  const syslog: SyslogSink | undefined = options.syslog ? openSyslog(options.syslog, warn) : undefined;
  return {
    write(entry) {
      // Hidden characters a server sent are escaped, so a pager shows them instead of obeying them.
      const line = escapeJsonText(JSON.stringify(entry));
      file?.write(line + '\n');
      syslog?.send(line, severityOf(entry), entry.method ?? entry.type, entry.time);
    },
    async close() {
      await Promise.all([
        file ? new Promise<void>((done) => file.end(() => done())) : undefined,
        syslog?.close(),
      ]);
    },
  };
}
