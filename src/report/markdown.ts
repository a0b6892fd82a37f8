import { canonicalIndented } from '../core/canonical.js';
import { boundedDiff } from '../core/text-diff.js';
import { FINDINGS, SEVERITIES, type Finding } from '../core/findings.js';
import { escapeText, truncate } from './escape.js';
import type { Report } from './model.js';

/** Text a server sent, made inert in Markdown: no HTML (an `<IMPORTANT>` tag stays visible), no formatting. */
function md(text: string): string {
  return escapeText(text).replace(/[\\`*_[\]<>|&#]/g, (c) => `\\${c}`);
}

/** A code fence longer than any backtick run in the content, so the content cannot close it. */
function fence(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${content}\n${ticks}`;
}

function changeBlock(f: Finding): string | undefined {
  if (f.before === undefined && f.after === undefined) return undefined;
  if (typeof f.before === 'string' || typeof f.after === 'string') {
    const lines: string[] = [];
    for (const part of boundedDiff(String(f.before ?? ''), String(f.after ?? '')).changes) {
      const text = escapeText(part.value, { multiline: true });
      lines.push(part.added ? `{+${text}+}` : part.removed ? `[-${text}-]` : text);
    }
    return fence(truncate(lines.join(''), 4000));
  }
  const before = canonicalIndented(f.before ?? null)
    .split('\n')
    .map((l) => `- ${l}`);
  const after = canonicalIndented(f.after ?? null)
    .split('\n')
    .map((l) => `+ ${l}`);
  return fence(escapeText(truncate([...before, ...after].join('\n'), 4000), { multiline: true }), 'diff');
}

/** A pull-request comment or issue body: a summary table, then collapsible details with the diffs. */
export function renderMarkdown(report: Report): string {
  const verdict =
    report.exitCode === 0
      ? '✅ passed'
      : report.exitCode === 3
        ? '⚠️ some servers could not be checked'
        : '❌ failed';
  const out: string[] = [`## mcp-lock ${report.command}: ${verdict}`, ''];
  out.push(
    `Lockfile \`${md(report.lockfile)}\` · fail on **${report.failOn}** and above · exit ${report.exitCode}`,
    '',
  );
  const severities = [...SEVERITIES].reverse();
  out.push(
    `| Server | State | ${severities.join(' | ')} |`,
    `| --- | --- | ${severities.map(() => '---:').join(' | ')} |`,
  );
  for (const server of report.servers) {
    const own = report.findings.filter((f) => f.server === server.name && !f.accepted);
    const cells = severities.map((sev) => own.filter((f) => f.severity === sev).length || '');
    out.push(`| ${md(server.name)} | ${server.state} | ${cells.join(' | ')} |`);
  }
  const { summary } = report;
  out.push(
    `| **all** | | ${severities.map((sev) => summary.bySeverity[sev] || '').join(' | ')} |`,
    '',
    `${summary.failing} failing at --fail-on ${report.failOn}${summary.accepted ? `, ${summary.accepted} accepted` : ''}${summary.unchecked ? `, ${summary.unchecked} not checked` : ''}.`,
    '',
  );
  for (const server of report.servers) {
    const own = report.findings.filter((f) => f.server === server.name);
    if (own.length === 0 && !server.reason) continue;
    out.push(
      '<details>',
      `<summary><b>${md(server.name)}</b>: ${server.state}, ${own.length} finding${own.length === 1 ? '' : 's'}</summary>`,
      '',
    );
    if (server.reason) out.push(`Could not be checked: ${md(server.reason)}`, '');
    for (const f of own) {
      const accepted = f.accepted ? ` _(accepted: ${md(f.accepted.reason)})_` : '';
      out.push(`- **${f.severity.toUpperCase()}** \`${f.code}\` ${md(f.message)}${accepted}`);
      const block = changeBlock(f);
      if (block)
        out.push(
          '',
          block
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n'),
          '',
        );
    }
    out.push('', '</details>', '');
  }
  for (const note of report.notes) out.push(`> ${md(note)}`, '');
  const legend = [...new Set(report.findings.map((f) => f.code))].map(
    (c) => `\`${c}\`: ${FINDINGS[c].summary}`,
  );
  if (legend.length > 0)
    out.push(
      '<details><summary>What the codes mean</summary>',
      '',
      ...legend.map((l) => `- ${l}`),
      '',
      '</details>',
      '',
    );
  return out.join('\n');
}
