import { applyEdits, modify } from 'jsonc-parser';
import type { ServerSpec } from '../core/server-spec.js';

/** One argument of a server entry to rewrite: which entry (key path inside the file), which argument, to what. */
export interface ArgEdit {
  path: (string | number)[];
  index: number;
  value: string;
}

/**
 * Rewrites arguments in a config file's text and nothing else: comments, order, spacing and trailing commas stay as
 * they were (JSONC edits, not a re-serialisation), so the pull request shows exactly the pinned versions.
 */
export function applyArgEdits(text: string, edits: readonly ArgEdit[]): string {
  let out = text;
  for (const edit of edits) {
    out = applyEdits(
      out,
      modify(out, [...edit.path, 'args', edit.index], edit.value, {
        formattingOptions: { insertSpaces: true, tabSize: 2 },
      }),
    );
  }
  return out;
}

/** Where a spec's entry sits in its file, as a key path (`~/.claude.json` keeps local servers per project). */
export function entryPath(spec: ServerSpec, projectDir: string): (string | number)[] {
  return spec.origin.key.startsWith('projects[')
    ? ['projects', projectDir, 'mcpServers', spec.name]
    : [spec.origin.key.slice(0, spec.origin.key.indexOf('.')), spec.name];
}
