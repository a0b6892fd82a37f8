import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree } from 'jsonc-parser';
import type { ClientKind, ServerSpec } from '../core/server-spec.js';
import { shapeOf } from './formats.js';
import { syntaxOf } from './syntax.js';
import { setTomlArg } from './toml-edit.js';
import { setYamlArg } from './yaml-edit.js';

/** One argument of a server entry to rewrite: which entry (key path inside the file), which argument, to what. */
export interface ArgEdit {
  path: (string | number)[];
  index: number;
  value: string;
  /** The file's client: where in the entry its arguments are (OpenCode keeps them in the command array). */
  client?: ClientKind;
}

/**
 * Rewrites arguments in a config file's text and nothing else: comments, order, spacing and trailing commas stay as
 * they were (JSONC edits, not a re-serialisation), so the pull request shows exactly the pinned versions.
 */
export function applyArgEdits(text: string, edits: readonly ArgEdit[], file = 'config.json'): string {
  const syntax = syntaxOf(file);
  let out = text;
  for (const edit of edits) {
    if (syntax === 'yaml') {
      out = setYamlArg(out, edit.path, edit.index, edit.value, edit.client ?? 'generic');
      continue;
    }
    if (syntax === 'toml') {
      out = setTomlArg(out, edit.path, edit.index, edit.value);
      continue;
    }
    const tree = parseTree(out, [], { allowTrailingComma: true, disallowComments: false });
    const entry = tree && findNodeAtLocation(tree, edit.path);
    const shape = shapeOf(edit.client ?? 'generic', entry && getNodeValue(entry));
    const at = shape.args
      ? [...edit.path, ...shape.args, edit.index]
      : [...edit.path, ...shape.command, edit.index + 1];
    out = applyEdits(
      out,
      modify(out, at, edit.value, {
        formattingOptions: { insertSpaces: true, tabSize: 2 },
      }),
    );
  }
  return out;
}

/** Where a spec's entry sits in its file, as a key path (`~/.claude.json` keeps local servers per project). */
export function entryPath(spec: ServerSpec, projectDir: string): (string | number)[] {
  if (spec.origin.entry) return spec.origin.entry;
  return spec.origin.key.startsWith('projects[')
    ? ['projects', projectDir, 'mcpServers', spec.name]
    : [spec.origin.key.slice(0, spec.origin.key.indexOf('.')), spec.name];
}
