import { CLIENT_NAMES, clientOf } from '../core/clients.js';
import { canonicalIndented } from '../core/canonical.js';
import { boundedDiff } from '../core/text-diff.js';
import { severityRank, type Finding } from '../core/findings.js';
import { escapeText, truncate } from './escape.js';
import type { Report, ServerReport } from './model.js';

export interface HumanOptions {
  /** ANSI colour: the CLI turns it on for a TTY without NO_COLOR. */
  color: boolean;
  /** Show whole before/after values (the `diff` command) instead of a bounded excerpt. */
  full: boolean;
}

type Style = (text: string) => string;
const styles = (color: boolean) => {
  const wrap =
    (open: number, close: number): Style =>
    (text) =>
      color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
  };
};

const EXCERPT = 600;

/** `[Zed]`: the client that reads a config file, where it is one mcp-lock knows. */
function clientLabel(file: string): string {
  const { client } = clientOf(file);
  return client === 'generic' ? '' : ` [${CLIENT_NAMES[client]}]`;
}

function pretty(value: unknown): string {
  return value === undefined ? '' : typeof value === 'string' ? value : canonicalIndented(value);
}

/** A word diff for text, a line diff of the pretty JSON for structures; removed `[-…-]`, added `{+…+}`. */
function renderChange(f: Finding, options: HumanOptions, s: ReturnType<typeof styles>): string[] {
  if (f.before === undefined && f.after === undefined) return [];
  const text = typeof f.before === 'string' || typeof f.after === 'string';
  const before = pretty(f.before);
  const after = pretty(f.after);
  const parts = boundedDiff(before, after, text ? 'words' : 'lines').changes;
  let out = '';
  for (const part of parts) {
    const value = escapeText(part.value, { multiline: true });
    if (part.added) out += s.green(`{+${value}+}`);
    else if (part.removed) out += s.red(`[-${value}-]`);
    else if (text || options.full) out += value;
    else out += value.split('\n').length > 4 ? '…\n' : value;
  }
  const shown = options.full ? out : truncate(out, EXCERPT);
  return shown.split('\n').map((line) => `        ${line}`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function counts(server: ServerReport): string {
  if (!server.counts) return '';
  const c = server.counts;
  return [
    plural(c.tools, 'tool'),
    plural(c.prompts, 'prompt'),
    plural(c.resources, 'resource'),
    plural(c.resourceTemplates, 'template'),
  ].join(', ');
}

function stateLine(server: ServerReport, s: ReturnType<typeof styles>): string {
  const name = s.bold(escapeText(server.name));
  const where = server.source.configs.map((c) => `${c.file} ${c.key}${clientLabel(c.file)}`).join('; ');
  const state =
    server.state === 'unchanged' || server.state === 'pinned' || server.state === 'locked'
      ? s.green(server.state)
      : server.state === 'unreachable'
        ? s.yellow(server.state)
        : s.red(server.state);
  const detail = server.reason
    ? `: ${escapeText(server.reason)}`
    : counts(server)
      ? `  ${counts(server)}`
      : '';
  const p = server.permissions;
  const grants = p
    ? [
        p.network ? 'network' : '',
        ...(p.read ?? []).map((x) => `read ${x}`),
        ...(p.write ?? []).map((x) => `write ${x}`),
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  const may = grants ? `  may: ${escapeText(grants)}` : '';
  return `${name}  ${state}${detail}${may}  ${s.dim(`(${escapeText(where)})`)}`;
}

function severityLabel(f: Finding, s: ReturnType<typeof styles>): string {
  const label = f.severity.toUpperCase().padEnd(8);
  return severityRank(f.severity) >= severityRank('high')
    ? s.red(label)
    : severityRank(f.severity) >= severityRank('medium')
      ? s.yellow(label)
      : label;
}

/** The report for people: grouped by server, every character a server sent escaped before it reaches the terminal. */
export function renderHuman(report: Report, options: HumanOptions): string {
  const s = styles(options.color);
  const lines: string[] = [`mcp-lock ${report.command}: ${escapeText(report.lockfile)}`];
  if (report.signature) {
    const status =
      report.signature.status === 'valid'
        ? s.green('valid')
        : report.signature.status === 'invalid' || report.signature.status === 'untrusted'
          ? s.red(report.signature.status)
          : report.signature.status;
    lines.push(`signature: ${status}: ${escapeText(report.signature.message)}`);
  }
  lines.push('');
  const byServer = new Map<string, Finding[]>();
  for (const f of report.findings) byServer.set(f.server, [...(byServer.get(f.server) ?? []), f]);

  for (const server of report.servers) {
    lines.push(stateLine(server, s));
    for (const f of byServer.get(server.name) ?? []) {
      const accepted = f.accepted ? s.dim(` (accepted: ${escapeText(f.accepted.reason)})`) : '';
      lines.push(
        `    ${f.accepted ? s.dim(f.severity.toUpperCase().padEnd(8)) : severityLabel(f, s)} ${f.code}  ${escapeText(f.message)}${accepted}`,
      );
      lines.push(...renderChange(f, options, s));
    }
    if (server.stderr && (server.state === 'unreachable' || server.state === 'limit-exceeded')) {
      const tail = escapeText(server.stderr.trim(), { multiline: true }).split('\n').slice(-5);
      lines.push(
        `    ${s.dim('stderr (last lines):')}`,
        ...tail.map((l) => `      ${s.dim(truncate(l, 200))}`),
      );
    }
    byServer.delete(server.name);
  }
  for (const rest of byServer.values()) {
    for (const f of rest)
      lines.push(`${escapeText(f.server)}: ${f.severity} ${f.code} ${escapeText(f.message)}`);
  }
  for (const note of report.notes) {
    // A note that asks for action stands out from those that only inform.
    lines.push('', note.startsWith('warning: ') ? s.yellow(escapeText(note)) : `note: ${escapeText(note)}`);
  }

  const tally = new Map<string, number>();
  for (const server of report.servers) tally.set(server.state, (tally.get(server.state) ?? 0) + 1);
  const states = [...tally].map(([state, n]) => `${n} ${state}`).join(', ');
  const { summary } = report;
  const verdict =
    report.exitCode === 0
      ? s.green('ok')
      : report.exitCode === 3
        ? s.yellow('some servers could not be checked')
        : s.red('failed');
  const wrote = report.lockfileWritten ? `; wrote ${escapeText(report.lockfile)}` : '';
  if (report.servers.length === 0 && report.findings.length === 0) {
    // A command that edits files (accept, sign, wrap…): its notes said what it did.
    lines.push('', `${verdict} (exit ${report.exitCode})${wrote}`);
  } else {
    const detail = [
      `${summary.failing} failing at --fail-on ${report.failOn}`,
      ...(summary.accepted > 0 ? [`${summary.accepted} accepted`] : []),
      ...(summary.unchecked > 0 ? [`${summary.unchecked} not checked`] : []),
    ].join(', ');
    lines.push(
      '',
      `${plural(report.servers.length, 'server')}${states ? ` (${states})` : ''}; ${plural(report.findings.length, 'finding')}: ${detail}; ${verdict} (exit ${report.exitCode})${wrote}`,
    );
  }
  return lines.join('\n') + '\n';
}
