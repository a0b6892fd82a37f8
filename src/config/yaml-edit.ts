// jsonc-parser's applyEdits applies offset edits to text of any syntax.
import { applyEdits, type Edit } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node, type Scalar } from 'yaml';
import { parseWrapped, restoreArgs } from '../core/wrapped-entry.js';
import type { ClientKind } from '../core/server-spec.js';
import { remoteReplacement, shapeOf, type EntryShape, type RemoteTarget } from './formats.js';
import { WrapError } from './wrap-error.js';
import { unwrapArgsEdits, type Span } from './unwrap-edits.js';
import { quotedPrefix, type WrapTarget } from './wrap-target.js';

/**
 * Edits of YAML configs (Continue, Goose) made as text insertions at the places the parser reports, never by
 * re-serialising the document: comments, quoting and layout stay, and unwrap takes out exactly what wrap put in.
 */

function documentOf(text: string) {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new WrapError(`the file is not valid YAML (${doc.errors[0]!.code})`);
  return doc;
}

function entryAt(text: string, path: readonly (string | number)[]) {
  const doc = documentOf(text);
  const entry = doc.getIn(path, true) as Node | undefined;
  if (!entry || !isMap(entry) || !entry.range) throw new WrapError(`no entry at ${path.join('.')}`);
  return { doc, entry };
}

/** The entry as plain data, for the shape and the keys a replacement keeps. */
function plainAt(doc: ReturnType<typeof documentOf>, path: readonly (string | number)[]): unknown {
  return (doc.getIn(path, true) as Node | undefined)?.toJSON();
}

function nodeAt(entry: Node, path: readonly string[]): Node | undefined {
  let node: unknown = entry;
  for (const key of path) node = isMap(node) ? node.get(key, true) : undefined;
  return node as Node | undefined;
}

/** Where a node's text ends, without the line break and comments the parser counts as its own. */
function end(text: string, node: Node): number {
  let at = node.range![1];
  while (at > node.range![0] && /\s/.test(text[at - 1]!)) at--;
  return at;
}

const raw = (text: string, node: Node) => text.slice(node.range![0], end(text, node));

/** A value written as the scalar it replaces was: plain where YAML allows, else quoted the same way. */
function scalarText(value: string, like: Scalar | undefined): string {
  if (like?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (like?.type === 'PLAIN') {
    const plain = stringify(value, { lineWidth: 0 }).trimEnd();
    if (!plain.includes('\n')) return plain;
  }
  return JSON.stringify(value);
}

/** The column a node starts at: the indentation the lines added beside it must have. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function stringItems(seq: Node | undefined): { items: Scalar[]; values: string[] } | undefined {
  if (!seq || !isSeq(seq)) return undefined;
  const items = seq.items as Node[];
  if (!items.every((i) => isScalar(i) && typeof i.value === 'string' && i.range)) return undefined;
  return { items: items as Scalar[], values: items.map((i) => (i as Scalar).value as string) };
}

/** Sets one argument of an entry: `args[index]`, or (a whole launch line in one array) `command[index + 1]`. */
export function setYamlArg(
  text: string,
  path: readonly (string | number)[],
  index: number,
  value: string,
  client: ClientKind,
): string {
  const { doc, entry } = entryAt(text, path);
  const shape = shapeOf(client, plainAt(doc, path));
  const list = nodeAt(entry, shape.args ?? shape.command);
  const item = isSeq(list) ? (list.items[shape.args ? index : index + 1] as Node | undefined) : undefined;
  if (!item || !isScalar(item) || !item.range)
    throw new WrapError(`${path.join('.')} has no argument ${index}`);
  return applyEdits(text, [
    { offset: item.range[0], length: end(text, item) - item.range[0], content: scalarText(value, item) },
  ]);
}

/** Items put in front of a sequence's first item, in the sequence's own layout. */
function inFront(text: string, seq: Node, first: Node, words: string[]): string {
  if (isSeq(seq) && seq.flow) return words.map((w) => `${w}, `).join('');
  const dash = text.lastIndexOf('-', first.range![0] - 1);
  const indent = ' '.repeat(columnOf(text, dash));
  return words.map((w) => `${w}\n${indent}- `).join('');
}

export function wrapYamlEntry(
  text: string,
  path: readonly (string | number)[],
  target: WrapTarget,
  client: ClientKind,
): string {
  const { doc, entry } = entryAt(text, path);
  const shape = shapeOf(client, plainAt(doc, path));
  const args = shape.args!;
  const command = nodeAt(entry, shape.command);
  if (!command || !isScalar(command) || typeof command.value !== 'string' || !command.range)
    throw new WrapError(`${path.join('.')} has no command`);
  const argsNode = nodeAt(entry, args);
  if (argsNode !== undefined && !isSeq(argsNode))
    throw new WrapError(`${path.join('.')}.${args.join('.')} is not a list`);
  const prefix = quotedPrefix(target, argsNode !== undefined);
  const original = raw(text, command);
  const edits: Edit[] = [
    {
      offset: command.range[0],
      length: end(text, command) - command.range[0],
      content: scalarText(target.launcher.command, command),
    },
  ];
  if (argsNode === undefined) {
    const words = `[${[...prefix, original].join(', ')}]`;
    const keyNode = entry.items.find(
      (p) => isPair(p) && isScalar(p.key) && p.key.value === shape.command.at(-1),
    )?.key as Node;
    const insertion = entry.flow
      ? `, ${args.at(-1)}: ${words}`
      : `\n${' '.repeat(columnOf(text, keyNode.range![0]))}${args.at(-1)}: ${words}`;
    edits.push({ offset: end(text, command), length: 0, content: insertion });
  } else {
    const first = argsNode.items[0] as Node | undefined;
    if (first?.range)
      edits.push({
        offset: first.range[0],
        length: 0,
        content: inFront(text, argsNode, first, [...prefix, original]),
      });
    else edits.push({ offset: argsNode.range![0] + 1, length: 0, content: [...prefix, original].join(', ') });
  }
  return applyEdits(text, edits);
}

/** Replaces a remote entry by one that launches `mcp-lock run`, its original text carried in `--restore`. */
export function wrapYamlRemoteEntry(
  text: string,
  path: readonly (string | number)[],
  target: WrapTarget,
  remote: RemoteTarget,
  client: ClientKind,
): string {
  const { doc, entry } = entryAt(text, path);
  const original = raw(text, entry);
  const replacement = remoteReplacement(client, plainAt(doc, path), target, remote, restoreArgs(original));
  return applyEdits(text, [
    { offset: entry.range![0], length: original.length, content: JSON.stringify(replacement) },
  ]);
}

/** Takes out exactly what the YAML wrap put in; null when the entry is not wrapped. */
export function unwrapYamlEntry(
  text: string,
  path: readonly (string | number)[],
  client: ClientKind,
): string | null {
  const { doc, entry } = entryAt(text, path);
  const shape: EntryShape = shapeOf(client, plainAt(doc, path));
  const argsNode = nodeAt(entry, shape.args!);
  const list = stringItems(argsNode);
  if (!list) return null;
  const wrapped = parseWrapped(list.values);
  if (!wrapped) return null;
  if (wrapped.restore !== undefined)
    return applyEdits(text, [
      { offset: entry.range![0], length: end(text, entry) - entry.range![0], content: wrapped.restore },
    ]);
  const command = nodeAt(entry, shape.command);
  if (!command?.range) return null;
  const span = (node: Node): Span => ({ start: node.range![0], end: end(text, node) });
  const { edits, complete } = unwrapArgsEdits(text, span(command), list.items.map(span), wrapped);
  if (complete) return applyEdits(text, edits);
  // The entry had no args: remove the line wrap added after the command.
  const from = end(text, command);
  const between = text.slice(from, argsNode!.range![0]);
  if (!/^(?:,|\n)[ \t]*[\w-]+:\s*$/.test(between))
    throw new WrapError(`${path.join('.')} was edited since it was wrapped`);
  edits.push({ offset: from, length: end(text, argsNode!) - from, content: '' });
  return applyEdits(text, edits);
}
