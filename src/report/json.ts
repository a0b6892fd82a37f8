import { escapeJsonText } from '../core/canonical.js';
import type { Report } from './model.js';

/** The machine report: `{ ok, lockfile, servers, findings, … }`, hidden characters written as `\u` escapes. */
export function renderJson(report: Report): string {
  return escapeJsonText(JSON.stringify(report, null, 2)) + '\n';
}
