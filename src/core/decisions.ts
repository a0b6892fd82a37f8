import type { Finding, FindingCode } from './findings.js';
import type { Decision } from './lockfile/schema.js';

/** Findings a broad rule must never hide: only a decision naming that exact server, tool and code does. */
export const PROTECTED_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'tool-hidden-content',
  'tool-terminal-escape',
]);

/**
 * Findings no decision covers: a lockfile that vouches for itself (its own signature) or a package whose bytes are
 * not the reviewed ones. A pull request could otherwise change the definitions and accept the change together.
 */
export const UNWAIVABLE_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'lockfile-signature-missing',
  'lockfile-signature-invalid',
  'lockfile-signer-untrusted',
  'package-integrity-mismatch',
  'package-signature-invalid',
]);

export interface Applied {
  findings: Finding[];
  notes: string[];
}

function matches(decision: Decision, f: Finding): boolean {
  if (decision.code !== f.code || UNWAIVABLE_CODES.has(f.code)) return false;
  const subject = f.tool ?? f.prompt ?? f.resource;
  if (PROTECTED_CODES.has(f.code))
    return decision.server === f.server && decision.tool !== undefined && decision.tool === subject;
  if (decision.server !== '*' && decision.server !== f.server) return false;
  return decision.tool === undefined || decision.tool === subject;
}

/**
 * Applies the reviewed decisions recorded in the lockfile: a finding a live decision covers is kept in the report,
 * marked accepted, and no longer counts for the exit code. An expired decision stops applying, and says so.
 * `today` is `YYYY-MM-DD` (the clock is read at the edge).
 */
export function applyDecisions(
  findings: readonly Finding[],
  decisions: readonly Decision[],
  today: string,
): Applied {
  const notes = new Set<string>();
  for (const d of decisions) {
    if (UNWAIVABLE_CODES.has(d.code as FindingCode)) {
      notes.add(
        `the decision on ${d.server}${d.tool ? `/${d.tool}` : ''} ${d.code} is ignored: that code cannot be accepted`,
      );
    }
  }
  const out = findings.map((f) => {
    const decision = decisions.find((d) => matches(d, f));
    if (!decision) return f;
    const label = `${decision.server}${decision.tool ? `/${decision.tool}` : ''} ${decision.code}`;
    if (decision.expires !== undefined && decision.expires < today) {
      notes.add(
        `the decision on ${label} expired on ${decision.expires} and no longer applies ("${decision.reason}")`,
      );
      return f;
    }
    return {
      ...f,
      accepted: { reason: decision.reason, ...(decision.expires ? { expires: decision.expires } : {}) },
    };
  });
  return { findings: out, notes: [...notes] };
}

/** The decisions with `decision` in place of any on the same server, tool and code, in a stable order. */
export function withDecision(decisions: readonly Decision[] | undefined, decision: Decision): Decision[] {
  const key = (d: Decision) => `${d.server}\u0000${d.tool ?? ''}\u0000${d.code}`;
  return [...(decisions ?? []).filter((d) => key(d) !== key(decision)), decision].sort((a, b) =>
    key(a) < key(b) ? -1 : 1,
  );
}
