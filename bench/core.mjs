// The pure core on a lock of 10,000 tools (100 descriptions changed): the diff and every classifier, timed on their
// first use in this process, as in a verify. Prints { diffMs, checksMs, changed } as JSON. Run by bench/run.mjs.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { toLockServer } = await import(join(root, 'dist/core/lockfile/entry.js'));
const { compareServer } = await import(join(root, 'dist/core/diff.js'));
const { runChecks } = await import(join(root, 'dist/core/checks/index.js'));

const tools = (suffix) =>
  Array.from({ length: 10_000 }, (_, i) => ({
    name: `tool_${i}`,
    description: `Tool ${i}: does thing ${i}${i % 100 === 0 ? suffix : ''}.`,
    inputSchema: { type: 'object', properties: { q: { type: 'string', description: 'query' } } },
  }));
const snapshot = (suffix) => ({
  protocolVersion: 'x',
  serverInfo: {},
  capabilities: {},
  tools: tools(suffix),
  prompts: [],
  resources: [],
  resourceTemplates: [],
});
const source = { configs: [{ file: '.mcp.json', key: 'k' }], transport: 'stdio' };
const before = toLockServer(source, snapshot(''));
const after = toLockServer(source, snapshot(' changed'));
const t0 = process.hrtime.bigint();
const findings = compareServer('s', before, after);
const t1 = process.hrtime.bigint();
runChecks([{ name: 's', entry: after }]);
const t2 = process.hrtime.bigint();
console.log(
  JSON.stringify({
    diffMs: Number(t1 - t0) / 1e6,
    checksMs: Number(t2 - t1) / 1e6,
    changed: findings.length,
  }),
);
