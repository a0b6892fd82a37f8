import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { McpLockError } from '../errors.js';
import { auditLines } from '../report/audit-lines.js';
import type { Report } from '../report/model.js';

/** Appends the audit lines of a report (`verify --log FILE`); the file is created 0600. */
export async function appendAuditLog(
  file: string,
  cwd: string,
  report: Report,
  time: Date = new Date(),
): Promise<void> {
  const path = resolve(cwd, file);
  try {
    await appendFile(path, auditLines(report, time.toISOString()).join('\n') + '\n', {
      encoding: 'utf8',
      mode: 0o600,
    });
  } catch (error) {
    throw new McpLockError('log-write', `${file}: the audit log cannot be written`, {
      hint: 'check the path given to --log',
      cause: error,
    });
  }
}
