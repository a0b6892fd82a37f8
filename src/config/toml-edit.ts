// jsonc-parser's applyEdits applies offset edits to text of any syntax.
import { applyEdits, type Edit } from 'jsonc-parser';
import { parseWrapped, restoreArgs } from '../core/wrapped-entry.js';
import type { ClientKind } from '../core/server-spec.js';
import { remoteReplacement, type RemoteTarget } from './formats.js';
import { headerKeys } from './toml-text.js';
import { WrapError } from './wrap-error.js';
import { unwrapArgsEdits } from './unwrap-edits.js';
import { quotedPrefix, type WrapTarget } from './wrap-target.js';

/**
 * Edits of TOML configs (Codex's `[mcp_servers.<name>]` tables) made as text insertions at the places a small scanner
 * finds, never by re-serialising: comments and layout stay, and unwrap takes out exactly what wrap put in. Only the
 * table form is edited in place; an entry written as an inline table is refused with what to do.
 */

interface Span {
  start: number;
  end: number;
}
interface Str extends Span {
  value: string;
  quote: '"' | "'";
}

/** The table `[a.b]` whose keys are `path`: where its body starts and ends (the next header, or the end). */
function tableAt(text: string, path: readonly (string | number)[]): Span {
  const want = path.map(String).join('\u0000');
  let offset = 0;
  let body: number | undefined;
  for (const line of text.split('\n')) {
    const isHeader = /^\s*\[/.test(line);
    if (body !== undefined && isHeader) return { start: body, end: offset };
    if (body === undefined && headerKeys(line)?.join('\u0000') === want) body = offset + line.length + 1;
    offset += line.length + 1;
  }
  if (body === undefined)
    throw new WrapError(`no [${path.join('.')}] table (an inline-table entry must be edited by hand)`);
  return { start: Math.min(body, text.length), end: text.length };
}

/** A string at `at`: a basic string (JSON-like escapes) or a literal one. */
function stringAt(text: string, at: number): Str | undefined {
  const quote = text[at];
  if (quote === "'") {
    const close = text.indexOf("'", at + 1);
    return close === -1 ? undefined : { start: at, end: close + 1, value: text.slice(at + 1, close), quote };
  }
  if (quote !== '"') return undefined;
  let i = at + 1;
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  if (text[i] !== '"') return undefined;
  try {
    return { start: at, end: i + 1, value: JSON.parse(text.slice(at, i + 1)) as string, quote };
  } catch {
    return undefined;
  }
}

/** Where `key = ` starts its value inside a table body, or undefined. */
function valueOf(text: string, table: Span, key: string): number | undefined {
  const pattern = new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*`, 'gm');
  pattern.lastIndex = table.start;
  const match = pattern.exec(text);
  return match && match.index < table.end ? match.index + match[0].length : undefined;
}

/** The string items of the array at `at`, skipping whitespace, newlines, commas and comments. */
function arrayAt(text: string, at: number): { items: Str[]; open: number; close: number } | undefined {
  if (text[at] !== '[') return undefined;
  const items: Str[] = [];
  let i = at + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ']') return { items, open: at, close: i };
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const item = stringAt(text, i);
      if (!item) return undefined;
      items.push(item);
      i = item.end;
    } else if (/[\s,]/.test(c)) {
      i++;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** A value written as the string it replaces was: a literal string where it can be, else a basic one. */
function quoted(value: string, like: '"' | "'"): string {
  return like === "'" && !/['\n]/.test(value) ? `'${value}'` : JSON.stringify(value);
}

function launchLine(text: string, path: readonly (string | number)[]) {
  const table = tableAt(text, path);
  const commandAt = valueOf(text, table, 'command');
  const command = commandAt === undefined ? undefined : stringAt(text, commandAt);
  const argsAt = valueOf(text, table, 'args');
  const args = argsAt === undefined ? undefined : arrayAt(text, argsAt);
  if (argsAt !== undefined && !args) throw new WrapError(`${path.join('.')}.args is not an array of strings`);
  return { table, command, args };
}

export function setTomlArg(
  text: string,
  path: readonly (string | number)[],
  index: number,
  value: string,
): string {
  const item = launchLine(text, path).args?.items[index];
  if (!item) throw new WrapError(`${path.join('.')} has no argument ${index}`);
  return applyEdits(text, [
    { offset: item.start, length: item.end - item.start, content: quoted(value, item.quote) },
  ]);
}

export function wrapTomlEntry(text: string, path: readonly (string | number)[], target: WrapTarget): string {
  const { command, args } = launchLine(text, path);
  if (!command) throw new WrapError(`${path.join('.')} has no command`);
  const words = [...quotedPrefix(target, args !== undefined), text.slice(command.start, command.end)];
  const edits: Edit[] = [
    {
      offset: command.start,
      length: command.end - command.start,
      content: JSON.stringify(target.launcher.command),
    },
  ];
  if (!args) edits.push({ offset: command.end, length: 0, content: `\nargs = [${words.join(', ')}]` });
  else if (args.items.length > 0)
    edits.push({ offset: args.items[0]!.start, length: 0, content: words.map((w) => `${w}, `).join('') });
  else edits.push({ offset: args.open + 1, length: 0, content: words.join(', ') });
  return applyEdits(text, edits);
}

/** TOML keys of the replacement: bare where TOML allows, else quoted. */
const tomlKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));

export function wrapTomlRemoteEntry(
  text: string,
  path: readonly (string | number)[],
  target: WrapTarget,
  remote: RemoteTarget,
  client: ClientKind,
): string {
  const table = tableAt(text, path);
  const body = text.slice(table.start, table.end);
  const replacement = remoteReplacement(client, {}, target, remote, restoreArgs(body));
  const lines = Object.entries(replacement).map(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? `${tomlKey(key)} = { ${Object.entries(value)
          .map(([k, v]) => `${tomlKey(k)} = ${JSON.stringify(v)}`)
          .join(', ')} }`
      : `${tomlKey(key)} = ${JSON.stringify(value)}`,
  );
  return applyEdits(text, [{ offset: table.start, length: body.length, content: lines.join('\n') + '\n' }]);
}

export function unwrapTomlEntry(text: string, path: readonly (string | number)[]): string | null {
  const { table, command, args } = launchLine(text, path);
  if (!args || !command) return null;
  const values = args.items.map((i) => i.value);
  const wrapped = parseWrapped(values);
  if (!wrapped) return null;
  if (wrapped.restore !== undefined)
    return applyEdits(text, [
      { offset: table.start, length: table.end - table.start, content: wrapped.restore },
    ]);
  const { edits, complete } = unwrapArgsEdits(text, command, args.items, wrapped);
  if (complete) return applyEdits(text, edits);
  const between = text.slice(command.end, args.open);
  if (!/^\nargs = $/.test(between)) throw new WrapError(`${path.join('.')} was edited since it was wrapped`);
  edits.push({ offset: command.end, length: args.close + 1 - command.end, content: '' });
  return applyEdits(text, edits);
}
