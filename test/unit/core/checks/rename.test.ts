import { describe, expect, it } from 'vitest';
import { pairRenames, RENAME_SIMILARITY, similarity } from '../../../../src/core/checks/rename.js';
import { compareServer } from '../../../../src/core/diff.js';
import { toolEntry } from '../../../../src/core/lockfile/entry.js';
import { tool, view } from '../../../helpers/views.js';

const schema = {
  type: 'object',
  properties: { path: { type: 'string', description: 'The file to read' } },
  required: ['path'],
};
const description =
  'Read the complete contents of a file from the file system, as text, with the given encoding.';

describe('tool-renamed', () => {
  it('a tool renamed with an identical definition is one finding, not a removal and an addition', () => {
    const before = view('fs', [tool('read_file', description, schema), tool('list', 'List.')]);
    const after = view('fs', [tool('read_text_file', description, schema), tool('list', 'List.')]);
    expect(compareServer('fs', before.entry, after.entry)).toEqual([
      expect.objectContaining({
        code: 'tool-renamed',
        tool: 'read_text_file',
        before: 'read_file',
        after: 'read_text_file',
        message: 'tool read_file renamed to read_text_file (definition otherwise identical)',
      }),
    ]);
  });

  it('a near rename says how near, and which fields differ', () => {
    const before = view('fs', [tool('read_file', description, schema)]);
    const after = view('fs', [
      tool('read_text_file', description.replace('as text', 'as UTF-8 text'), schema),
    ]);
    const [finding] = compareServer('fs', before.entry, after.entry);
    expect(finding).toMatchObject({
      code: 'tool-renamed',
      message: expect.stringMatching(/renamed to read_text_file \(\d+% similar; description differ\)/),
    });
  });

  it('below the threshold it is a removal and an addition', () => {
    const before = view('fs', [tool('read_file', description, schema)]);
    const after = view('fs', [
      tool('delete_everything', 'Delete every file on the disk without asking.', { type: 'object' }),
    ]);
    expect(compareServer('fs', before.entry, after.entry).map((f) => f.code)).toEqual([
      'tool-added',
      'tool-removed',
    ]);
  });

  it('the threshold sits between what it pairs and what it does not', () => {
    const base = tool('a', 'one two three four five six seven eight nine ten', { type: 'object' });
    const near = tool('b', 'one two three four five six seven eight nine eleven', { type: 'object' });
    const far = tool('c', 'one two three four five alpha beta gamma delta epsilon', { type: 'object' });
    expect(similarity(base, near)).toBeGreaterThanOrEqual(RENAME_SIMILARITY);
    expect(similarity(base, far)).toBeLessThan(RENAME_SIMILARITY);
    expect(similarity(base, { ...base, name: 'z' })).toBe(1);
  });

  it('pairs the best matches first and each tool once', () => {
    const removed = {
      a: toolEntry(tool('a', 'Read a file from disk.')),
      b: toolEntry(tool('b', 'Write a file to disk.')),
    };
    const added = {
      x: toolEntry(tool('x', 'Write a file to disk.')),
      y: toolEntry(tool('y', 'Read a file from disk.')),
    };
    const { findings } = pairRenames('s', removed, added);
    expect(findings.map((f) => [f.before, f.after])).toEqual([
      ['a', 'y'],
      ['b', 'x'],
    ]);
  });
});

describe('renames at scale', () => {
  it('pairs 2,000 renamed tools, clones included, in well under a second', () => {
    const entries = (prefix: string, clone: boolean) =>
      Object.fromEntries(
        Array.from({ length: 2000 }, (_, i) => [
          `${prefix}_${i}`,
          toolEntry({
            name: `${prefix}_${i}`,
            description: clone ? 'Exactly the same tool.' : `Tool number ${i} of the set.`,
            inputSchema: { type: 'object' },
          }),
        ]),
      );
    for (const clone of [false, true]) {
      const started = performance.now();
      const renames = pairRenames('s', entries('tool', clone), entries('renamed', clone));
      expect(performance.now() - started).toBeLessThan(2000);
      expect(renames.findings).toHaveLength(2000);
      if (!clone) expect(renames.findings[0]!.message).toMatch(/tool tool_(\d+) renamed to renamed_\1 /);
    }
  });
});
