import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { canonicalize, digest } from '../../../src/core/canonical.js';
import { toLockServer } from '../../../src/core/lockfile/entry.js';
import { parseLockfile } from '../../../src/core/lockfile/parse.js';
import { serializeLockfile, serializeLockfilePausing } from '../../../src/core/lockfile/serialize.js';
import type { Lockfile } from '../../../src/core/lockfile/schema.js';

/** Keys an attacker would choose, and any others. */
const key = fc.oneof(
  // Array-index keys are ordered apart by the engine; hidden characters are written escaped.
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
    '0',
    '12',
    'a\u200bb',
  ),
  fc.string({ maxLength: 12 }),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON text of a value, with `__proto__` keys written as keys (JSON.stringify of a dictionary keeps them). */
const text = (value: unknown) => JSON.stringify(value);

describe('the config reader, on any input', () => {
  it('never throws, and every server a client would see is read or named in an error', () => {
    const entry = fc.record(
      { command: fc.string({ minLength: 1, maxLength: 8 }), args: fc.array(fc.string(), { maxLength: 3 }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.oneof(entry, json), { maxKeys: 6 }),
        fc.boolean(),
        (servers, jsonc) => {
          const config = text({ mcpServers: servers });
          const result = parseConfig(config, { file: '.mcp.json', client: 'claude-code', jsonc });
          // What Node clients read the file with.
          const seen = Object.keys(JSON.parse(config).mcpServers as object);
          if (result.ok) {
            const read = new Set(result.specs.map((s) => s.name));
            for (const name of seen) {
              const raw = (JSON.parse(config).mcpServers as Record<string, { disabled?: unknown }>)[name];
              if (raw && raw.disabled === true) continue;
              expect(read.has(name), name).toBe(true);
            }
          } else {
            expect(result.errors.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text, nesting or size', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          json.map(text),
          fc.integer({ min: 1, max: 5000 }).map((n) => `{"mcpServers":${'['.repeat(n)}${']'.repeat(n)}}`),
        ),
        fc.boolean(),
        (input, jsonc) => {
          expect(() => parseConfig(input, { file: 'x.json', client: 'generic', jsonc })).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the lockfile reader, on any input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), json.map(text)), (input) => {
        expect(() => parseLockfile(input)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('reads back every lockfile it writes, whatever the names of servers and tools', async () => {
    const name = fc.oneof(key, fc.string({ minLength: 1, maxLength: 20 }));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(name, { maxLength: 4 }),
        fc.uniqueArray(name, { maxLength: 5 }),
        json,
        async (servers, tools, extra) => {
          const lock: Lockfile = {
            lockfileVersion: 1,
            generator: 'mcp-lock@test',
            client: { name: 'c', version: '1', capabilities: {} },
            servers: Object.fromEntries(
              servers.map((s) => [
                s,
                toLockServer(
                  {
                    configs: [{ file: '.mcp.json', key: `mcpServers.${s}` }],
                    transport: 'stdio',
                    command: 'node',
                  },
                  {
                    protocolVersion: '2025-11-25',
                    serverInfo: { name: s },
                    capabilities: { tools: {} },
                    tools: tools.map((t) => ({
                      name: t,
                      description: 'd',
                      inputSchema: { type: 'object', default: extra },
                    })),
                    prompts: [],
                    resources: [],
                    resourceTemplates: [],
                  },
                ),
              ]),
            ),
          };
          // Built a server at a time or all at once: the same bytes.
          let pauses = 0;
          const piecewise = await serializeLockfilePausing(lock, () => Promise.resolve(void pauses++));
          expect(piecewise).toBe(serializeLockfile(lock));
          expect(pauses).toBe(servers.length);
          const parsed = parseLockfile(piecewise);
          expect(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors)).toBe(true);
          if (!parsed.ok) return;
          expect(Object.keys(parsed.value.servers).sort()).toEqual([...servers].sort());
          for (const s of servers)
            expect(Object.keys(parsed.value.servers[s]!.tools).sort()).toEqual([...tools].sort());
          expect(serializeLockfile(parsed.value)).toBe(serializeLockfile(lock));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('canonical JSON', () => {
  /** The same value with every object's keys in another order. */
  const reorder = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reorder);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorder(v)]),
    );
  };

  it('is the same for any key order, reads back as the same value, and digests alike', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalize(reorder(value))).toBe(canonicalize(value));
        expect(digest(reorder(value))).toBe(digest(value));
        expect(canonicalize(JSON.parse(canonicalize(value)))).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
  });
});
