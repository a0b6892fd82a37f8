import { FINDINGS, severityRank, type Finding, type Severity } from './findings.js';

/** `--fail-on`: a severity, or `none` to report without failing. */
export type FailOn = Severity | 'none';

export const EXIT = { ok: 0, findings: 1, error: 2, unchecked: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Findings at or above the threshold, except those that only say a server could not be checked. */
export function failingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  const threshold = severityRank(failOn);
  return findings.filter(
    (f) => !FINDINGS[f.code].unchecked && !f.accepted && severityRank(f.severity) >= threshold,
  );
}

/**
 * The verdict CI acts on: 1 when something at or above `--fail-on` was found; otherwise 3 when some server
 * could not be checked, so a scheduled job can tell "retry" from "drift"; otherwise 0.
 */
export function exitCode(findings: readonly Finding[], failOn: FailOn): ExitCode {
  if (failingFindings(findings, failOn).length > 0) return EXIT.findings;
  if (findings.some((f) => FINDINGS[f.code].unchecked && !f.accepted)) return EXIT.unchecked;
  return EXIT.ok;
}
