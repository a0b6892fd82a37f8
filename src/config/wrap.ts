import {
  applyEdits,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  type Edit,
  type Node,
} from 'jsonc-parser';
import { parseWrapped, restoreArgs } from '../core/wrapped-entry.js';
import type { ClientKind } from '../core/server-spec.js';
import { remoteReplacement, shapeOf, type EntryShape, type RemoteTarget } from './formats.js';
import { WrapError } from './wrap-error.js';
import { unwrapArgsEdits, type Span } from './unwrap-edits.js';
import { quotedPrefix, type WrapTarget } from './wrap-target.js';

export { WrapError } from './wrap-error.js';
export type { Launcher, WrapTarget } from './wrap-target.js';

function entryNode(text: string, path: readonly (string | number)[]): Node {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const node = tree && findNodeAtLocation(tree, [...path]);
  if (!node || node.type !== 'object') throw new WrapError(`no entry at ${path.join('.')}`);
  return node;
}

/** The node at a key path inside an entry (`command`, or Zed's older `command.path`). */
function nodeAt(entry: Node, path: readonly string[]): Node | undefined {
  return findNodeAtLocation(entry, [...path]);
}

/** How the entry at `path` keeps its launch line, as its client writes it. */
function shapeAt(entry: Node, client: ClientKind): EntryShape {
  return shapeOf(client, getNodeValue(entry));
}

const end = (node: Node) => node.offset + node.length;
const raw = (text: string, node: Node) => text.slice(node.offset, end(node));
const span = (node: Node): Span => ({ start: node.offset, end: end(node) });

/**
 * Puts `launcher run <server> --lockfile <lockfile> --` in front of an entry's launch line by inserting text, not by
 * re-serialising: comments, spacing and the original command's exact bytes stay, so unwrap can take them back out.
 */
export function wrapEntryText(
  text: string,
  path: readonly (string | number)[],
  target: WrapTarget,
  client: ClientKind = 'generic',
): string {
  const entry = entryNode(text, path);
  const shape = shapeAt(entry, client);
  if (!shape.args) return wrapLaunchArray(text, entry, path, shape, target);
  const command = nodeAt(entry, shape.command);
  if (!command || command.type !== 'string') throw new WrapError(`${path.join('.')} has no command`);
  const args = nodeAt(entry, shape.args);
  if (args !== undefined && args.type !== 'array')
    throw new WrapError(`${path.join('.')}.args is not an array`);
  const prefix = quotedPrefix(target, args !== undefined).join(', ');
  const original = raw(text, command);
  const edits: Edit[] = [
    { offset: command.offset, length: command.length, content: JSON.stringify(target.launcher.command) },
  ];
  if (args === undefined) {
    edits.push({ offset: end(command), length: 0, content: `, "args": [${prefix}, ${original}]` });
  } else if (args.children && args.children.length > 0) {
    edits.push({ offset: args.children[0]!.offset, length: 0, content: `${prefix}, ${original}, ` });
  } else {
    edits.push({ offset: args.offset + 1, length: 0, content: `${prefix}, ${original}` });
  }
  return applyEdits(text, edits);
}

/** OpenCode's launch line is one array: the launcher and wrap's arguments go in front of it. */
function wrapLaunchArray(
  text: string,
  entry: Node,
  path: readonly (string | number)[],
  shape: EntryShape,
  target: WrapTarget,
): string {
  const line = nodeAt(entry, shape.command);
  const first = line?.type === 'array' ? line.children?.[0] : undefined;
  if (!first || first.type !== 'string') throw new WrapError(`${path.join('.')} has no command`);
  const prefix = [JSON.stringify(target.launcher.command), ...quotedPrefix(target, true)];
  return applyEdits(text, [{ offset: first.offset, length: 0, content: prefix.join(', ') + ', ' }]);
}

/**
 * Replaces a remote entry (a URL, headers) by one that launches `mcp-lock run`: the original text goes with it in
 * `--restore`, the URL and header values (variable references and all) into the entry's `env`, where the client
 * expands them before `run` reads them.
 */
export function wrapRemoteEntryText(
  text: string,
  path: readonly (string | number)[],
  target: WrapTarget,
  remote: RemoteTarget,
  client: ClientKind = 'generic',
): string {
  const entry = entryNode(text, path);
  const original = raw(text, entry);
  const replacement = remoteReplacement(client, getNodeValue(entry), target, remote, restoreArgs(original));
  return applyEdits(text, [
    { offset: entry.offset, length: entry.length, content: JSON.stringify(replacement) },
  ]);
}

/** Takes out exactly what `wrapEntryText` put in; null when the entry is not wrapped. */
export function unwrapEntryText(
  text: string,
  path: readonly (string | number)[],
  client: ClientKind = 'generic',
): string | null {
  const entry = entryNode(text, path);
  const shape = shapeAt(entry, client);
  // The launch array holds the launcher first; an args array holds what follows it.
  const restoring = nodeAt(entry, shape.args ?? shape.command);
  if (restoring?.type === 'array' && restoring.children?.every((c) => typeof c.value === 'string')) {
    const words = restoring.children.map((c) => c.value as string);
    const remote = parseWrapped(shape.args ? words : words.slice(1));
    if (remote?.restore !== undefined) {
      return applyEdits(text, [{ offset: entry.offset, length: entry.length, content: remote.restore }]);
    }
    if (!shape.args) {
      if (!remote) return null;
      const at = words.length - remote.args.length - 1;
      const children = restoring.children;
      return applyEdits(text, [
        { offset: children[0]!.offset, length: children[at]!.offset - children[0]!.offset, content: '' },
      ]);
    }
  }
  if (!shape.args) return null;
  const command = nodeAt(entry, shape.command);
  const args = nodeAt(entry, shape.args);
  if (!command || command.type !== 'string' || !args || args.type !== 'array' || !args.children) return null;
  const values = args.children.map((c) => c.value as unknown);
  if (!values.every((v) => typeof v === 'string')) return null;
  const wrapped = parseWrapped(values as string[]);
  if (!wrapped) return null;
  const { edits, complete } = unwrapArgsEdits(text, span(command), args.children.map(span), wrapped);
  if (complete) return applyEdits(text, edits);
  // The entry had no args: remove the property wrap added right after the command, or, if the file was
  // reformatted since, remove it wherever it is now.
  if (/^\s*,\s*"args"\s*:\s*$/.test(text.slice(end(command), args.offset))) {
    edits.push({ offset: end(command), length: end(args) - end(command), content: '' });
    return applyEdits(text, edits);
  }
  const restored = applyEdits(text, [edits[0]!]);
  return applyEdits(restored, modify(restored, [...path, ...shape.args], undefined, {}));
}
