import { PROTECTED_CODES, UNWAIVABLE_CODES } from './decisions.js';
import { FINDINGS, SEVERITIES, severityRank, type Finding, type Severity } from './findings.js';

/** `--fail-on`: a severity, or `none` to report without failing. */
export type FailOn = Severity | 'none';

export const EXIT = { ok: 0, findings: 1, error: 2, unchecked: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Which findings decide the exit code of a command:
 * - `gate`: every finding at or above `--fail-on` (verify, outdated);
 * - `installing`: the gate, except advice on how a server is configured (an unpinned launch line), which install
 *   reports without failing the act of writing the lock;
 * - `accepting`: `update` shows what it accepted without failing on it; what it could not read still counts;
 * - `none`: commands that only report or edit files (ls, accept, sign, wrap…) exit 0 when they are done.
 */
export type VerdictRule = 'gate' | 'installing' | 'accepting' | 'none';

/**
 * Findings at or above the threshold, except those that only say a server could not be checked. A lockfile that does
 * not verify, or a package whose bytes are not the reviewed ones, fails at any threshold, `none` included.
 */
export function failingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  const threshold = failOn === 'none' ? Infinity : severityRank(failOn);
  return findings.filter(
    (f) =>
      UNWAIVABLE_CODES.has(f.code) ||
      (!FINDINGS[f.code].unchecked && !f.accepted && severityRank(f.severity) >= threshold),
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

/** What a report says in its last line, computed once here so every renderer prints the same verdict. */
export interface Summary {
  exitCode: ExitCode;
  /** Findings that fail the run at this `--fail-on` under this command's rule. */
  failing: number;
  /** Findings not covered by a decision, by severity. */
  bySeverity: Record<Severity, number>;
  /** Findings a reviewed decision covers. */
  accepted: number;
  /** Findings that say a server could not be checked. */
  unchecked: number;
}

function counted(findings: readonly Finding[], rule: VerdictRule): readonly Finding[] {
  if (rule === 'none') return [];
  if (rule === 'installing') return findings.filter((f) => !FINDINGS[f.code].advisory);
  // update accepts what changed, but not what no decision may cover, nor hidden content it was not told to accept.
  if (rule === 'accepting')
    return findings.filter(
      (f) =>
        FINDINGS[f.code].unchecked ||
        f.code === 'server-limit-exceeded' ||
        UNWAIVABLE_CODES.has(f.code) ||
        (PROTECTED_CODES.has(f.code) && !f.accepted),
    );
  return findings;
}

export function summarise(findings: readonly Finding[], failOn: FailOn, rule: VerdictRule): Summary {
  const decisive = counted(findings, rule);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.accepted) bySeverity[f.severity]++;
  return {
    exitCode: exitCode(decisive, failOn),
    failing: failingFindings(decisive, failOn).length,
    bySeverity,
    accepted: findings.filter((f) => f.accepted).length,
    unchecked: findings.filter((f) => FINDINGS[f.code].unchecked && !f.accepted).length,
  };
}
