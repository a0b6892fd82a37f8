import { FINDINGS, type FindingCode } from '../core/findings.js';

/** The project's documentation: the README, where every finding code has a section anchor. */
export const DOCS_URL = 'https://github.com/mcp-lock/mcp-lock/blob/main/README.md';

/** The README anchor of a finding code. */
export function findingAnchor(code: FindingCode): string {
  return `finding-${code}`;
}

/** Where a finding code is explained: SARIF's `helpUri`, and links in reports. */
export function findingHelpUri(code: FindingCode): string {
  return `${DOCS_URL}#${findingAnchor(code)}`;
}

/** The summary of a code and, when it has them, its details as a second sentence. */
export function findingMeaning(code: FindingCode): string {
  const { summary, details } = FINDINGS[code];
  return details ? `${summary} ${details[0]!.toUpperCase()}${details.slice(1)}.` : summary;
}

/**
 * The README's findings table, made from the findings registry: one row per code, anchored, with its default
 * severity and meaning. A test keeps the README's copy equal to this, so the two cannot drift apart.
 */
export function findingsTable(): string {
  const rows = (Object.keys(FINDINGS) as FindingCode[]).map((code) => {
    const info = FINDINGS[code];
    const severity = `${info.severity}${info.unchecked ? ', exit 3' : ''}`;
    const meaning = findingMeaning(code).replace(/\|/g, '\\|');
    return `| <a id="${findingAnchor(code)}"></a>\`${code}\` | ${severity} | ${meaning} |`;
  });
  return ['| code | severity | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
