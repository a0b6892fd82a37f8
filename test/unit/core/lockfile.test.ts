import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toLockServer } from '../../../src/core/lockfile/entry.js';
import { outlineOf } from '../../../src/core/lockfile/outline.js';
import { parseLockfile } from '../../../src/core/lockfile/parse.js';
import { serializeLockfile } from '../../../src/core/lockfile/serialize.js';
import { lockfileJsonSchema } from '../../../src/core/lockfile/json-schema.js';
import type { Lockfile } from '../../../src/core/lockfile/schema.js';
import { ROOT } from '../../helpers/cli.js';

/** Server `s` offering one tool. */
const server = (tool: { name: string; description: string }) =>
  toLockServer(
    { configs: [{ file: '.mcp.json', key: 'mcpServers.s' }], transport: 'stdio', command: 'node', args: [] },
    {
      protocolVersion: '2025-11-25',
      serverInfo: { name: 's', version: '1' },
      capabilities: { tools: {} },
      tools: [{ ...tool, inputSchema: { type: 'object' } }],
      prompts: [],
      resources: [],
      resourceTemplates: [],
    },
  );

const lock: Lockfile = {
  $schema: './node_modules/mcp-lock/schemas/mcp-lock.schema.json',
  lockfileVersion: 1,
  generator: 'mcp-lock@0.0.0',
  client: { name: 'mcp-lock', version: '0.0.0', capabilities: {} },
  servers: {
    s: server({ name: 't', description: 'd\u001b[0m' }),
  },
};

describe('lockfile text', () => {
  it('round-trips, byte for byte', () => {
    const text = serializeLockfile(lock);
    const parsed = parseLockfile(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(serializeLockfile(parsed.value)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('rejects a definition whose digest does not match, a whole-server digest, and unknown fields', () => {
    const text = serializeLockfile(lock);
    expect(parseLockfile(text.replace('"d\\u001b[0m"', '"x"'))).toMatchObject({
      ok: false,
      problem: 'invalid',
    });
    const other = JSON.parse(text);
    other.servers.s.serverInfo.version = '2';
    expect(parseLockfile(JSON.stringify(other))).toMatchObject({
      ok: false,
      errors: ['servers.s.digest does not match the server entry'],
    });
    const extra = JSON.parse(text);
    extra.servers.s.surprise = true;
    expect(parseLockfile(JSON.stringify(extra))).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('names every problem where it is, at the top and in each server, however the servers are validated', () => {
    const bad = JSON.parse(serializeLockfile(lock));
    bad.generator = 7;
    bad.servers.s.surprise = true;
    bad.servers.t = { ...bad.servers.s, tools: 'none' };
    delete bad.servers.t.surprise;
    const parsed = parseLockfile(JSON.stringify(bad));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(3);
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^generator: /),
        expect.stringMatching(/^servers\.s: .*surprise/),
        expect.stringMatching(/^servers\.t\.tools: /),
      ]),
    );
    expect(parseLockfile('{"lockfileVersion": 1, "servers": []}')).toMatchObject({
      ok: false,
      problem: 'invalid',
    });
  });

  it('reads a server and a tool named __proto__ as data, however the name is spelled', () => {
    const proto = structuredClone(lock);
    proto.servers.s = server({ name: '__proto__', description: 'd' });
    const text = serializeLockfile(proto).replace('"s": {', '"__proto__": {');
    expect(text.match(/"__proto__"/g)?.length).toBeGreaterThanOrEqual(3);
    for (const spelling of ['__proto__', '\\u005f_proto__', '_\\u005fpr\\u006fto__']) {
      const parsed = parseLockfile(text.replaceAll('"__proto__"', `"${spelling}"`));
      expect(parsed.ok, spelling).toBe(true);
      if (!parsed.ok) continue;
      expect(Object.keys(parsed.value.servers)).toEqual(['__proto__']);
      expect(Object.keys(parsed.value.servers.__proto__!.tools)).toEqual(['__proto__']);
      expect(serializeLockfile(parsed.value)).toBe(text);
      // The outline ls remembers keeps the server as an own entry, through JSON too.
      for (const outline of [outlineOf(parsed.value), JSON.parse(JSON.stringify(outlineOf(parsed.value)))]) {
        expect(Object.keys(outline.servers)).toEqual(['__proto__']);
        expect(Object.getPrototypeOf(outline.servers)).toBe(Object.prototype);
        expect(outline.servers.__proto__).toEqual({
          source: parsed.value.servers.__proto__!.source,
          counts: { tools: 1, prompts: 0, resources: 0, resourceTemplates: 0 },
        });
      }
    }
  });

  it('reads a lock without any escape or __proto__ the same (nothing to put back)', () => {
    const plain = structuredClone(lock);
    plain.servers.s = server({ name: 't', description: 'plain' });
    const text = serializeLockfile(plain);
    expect(text).not.toMatch(/\\u|__proto__/);
    const parsed = parseLockfile(text);
    expect(parsed).toMatchObject({ ok: true, value: plain });
    if (parsed.ok) expect(serializeLockfile(parsed.value)).toBe(text);
  });

  it('rejects per-field digests that do not match the definition, a missing one and an extra one', () => {
    const text = serializeLockfile(lock);
    const fields = (edit: (f: Record<string, string>) => void) => {
      const edited = JSON.parse(text);
      edit(edited.servers.s.tools.t.fields);
      return parseLockfile(JSON.stringify(edited));
    };
    const wrong = 'sha256-' + 'A'.repeat(43) + '=';
    const mismatch = { ok: false, errors: ['servers.s.tools.t: digest does not match the definition'] };
    expect(fields((f) => (f.description = wrong))).toMatchObject(mismatch);
    expect(fields((f) => delete f.inputSchema)).toMatchObject(mismatch);
    expect(fields((f) => (f.title = wrong))).toMatchObject(mismatch);
    expect(fields(() => {})).toMatchObject({ ok: true });
  });

  it('rejects a lockfile nested deeper than any definition mcp-lock records, by its text', () => {
    const deep = (levels: number) => {
      const edited = JSON.parse(serializeLockfile(lock));
      // Brackets inside a string are text, not nesting.
      edited.generator = '['.repeat(500);
      edited.servers.s.serverInfo.deep = JSON.parse('['.repeat(levels) + ']'.repeat(levels));
      return parseLockfile(JSON.stringify(edited));
    };
    expect(deep(200)).toMatchObject({
      ok: false,
      problem: 'invalid',
      errors: ['nests deeper than 110 levels'],
    });
    // serverInfo sits three levels down: a value 100 deep there is 104 in all, within the limit (and then fails
    // only its digest, since it was edited in).
    expect(deep(100)).toMatchObject({
      ok: false,
      errors: ['servers.s.digest does not match the server entry'],
    });
  });

  it('tells a newer lockfile version apart from an invalid one', () => {
    expect(parseLockfile('{"lockfileVersion": 7}')).toMatchObject({ ok: false, problem: 'version' });
    expect(parseLockfile('{"lockfileVersion": 1}')).toMatchObject({ ok: false, problem: 'invalid' });
    expect(parseLockfile('[')).toMatchObject({ ok: false, problem: 'invalid' });
  });
});

describe('schemas/mcp-lock.schema.json', () => {
  it('is the schema generated from the zod declaration (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schemas', 'mcp-lock.schema.json'), 'utf8'));
    expect(committed).toEqual(lockfileJsonSchema());
  });

  it('the example lockfile is valid', () => {
    const parsed = parseLockfile(readFileSync(join(ROOT, 'mcp-lock.example.json'), 'utf8'));
    expect(parsed.ok ? 'ok' : parsed.errors).toBe('ok');
  });
});
