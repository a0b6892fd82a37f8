// `npm run bench`: what mcp-lock costs on top of what the servers themselves take, on this machine.
// Writes bench/RESULTS.md. Run after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { serverEnvironment } = await import(join(root, 'dist', 'connect', 'env.js'));
const bin = join(root, 'bin', 'mcp-lock.js');
const server = join(root, 'bench', 'server.mjs');
const TOOLS = 50;
const CONCURRENCY = 4;

function project(n) {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-bench-'));
  const mcpServers = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `bench-${i}`,
      { command: process.execPath, args: [server, '--tools', String(TOOLS), '--id', String(i)] },
    ]),
  );
  writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers }));
  return dir;
}

/** Runs the CLI, sampling its resident memory from /proc until it exits. */
function timeCli(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args, '--concurrency', String(CONCURRENCY)], {
      cwd,
      stdio: 'ignore',
    });
    let peak = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+)/.exec(status);
        if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
      } catch {
        // Exited.
      }
    };
    const timer = setInterval(sample, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`mcp-lock ${args.join(' ')} exited ${code}`));
      else resolve({ ms, peak });
    });
  });
}

/** The floor: what any client pays to start the same servers, initialize and list their tools, with the bare SDK. */
async function baseline(n) {
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const client = new Client({ name: 'baseline', version: '1' });
      // The environment mcp-lock gives servers (its minimal base): the SDK's default one lacks NODE_EXTRA_CA_CERTS,
      // which alone costs a Node server ~50 ms of start-up where it is set — a difference of environments, not of mcp-lock.
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [server, '--tools', String(TOOLS), '--id', String(i)],
        env: serverEnvironment(process.env, {}),
      });
      await client.connect(transport);
      await client.listTools();
      await client.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function coreDiff() {
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
  return { diffMs: Number(t1 - t0) / 1e6, checksMs: Number(t2 - t1) / 1e6, changed: findings.length };
}

/** `ls` on configs of 10,000 and 20,000 servers: reading a config must be linear in its size (twice the servers, about twice the time). */
function largeConfigs() {
  const out = {};
  for (const n of [10_000, 20_000]) {
    const dir = project(n);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const t = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [bin, 'ls', '--format', 'json'], { cwd: dir, stdio: 'ignore' });
      if (run.status !== 0) throw new Error(`mcp-lock ls on ${n} servers exited ${run.status}`);
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    out[n] = median(runs);
  }
  return out;
}

/** What launching a server in the sandbox adds: `node -e 0` spawned directly and through the bubblewrap wrap. */
async function sandboxCost() {
  const { openSandbox } = await import(join(root, 'dist', 'sandbox', 'index.js'));
  const sandbox = await openSandbox('auto', {
    project: root,
    home: process.env.HOME ?? '/root',
    env: process.env,
  });
  if (sandbox.kind === 'none') return { note: sandbox.note };
  const time = (wrap) => {
    const runs = [];
    for (let i = 0; i < 9; i++) {
      const launch = wrap({
        command: process.execPath,
        args: ['-e', '0'],
        cwd: root,
        env: { PATH: process.env.PATH },
      });
      const t = process.hrtime.bigint();
      spawnSync(launch.command, launch.args, { cwd: root, env: launch.env, stdio: 'ignore' });
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
      launch.cleanup();
    }
    return median(runs);
  };
  return {
    direct: time((launch) => ({ ...launch, cleanup: () => {} })),
    sandboxed: time((launch) => sandbox.wrap(launch, undefined)),
  };
}

function startup() {
  const time = (args) => {
    const runs = [];
    for (let i = 0; i < 7; i++) {
      const t = process.hrtime.bigint();
      spawnSync(process.execPath, args, { stdio: 'ignore' });
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(runs);
  };
  return { cli: time([bin, '--version']), node: time(['-e', '0']) };
}

/** Per-call latency of a small tools/call, direct and through `mcp-lock run`, and the proxy's memory. */
async function proxyOverhead(dir) {
  const calls = async (command, args) => {
    const client = new Client({ name: 'bench', version: '1' });
    const transport = new StdioClientTransport({ command, args, cwd: dir });
    await client.connect(transport);
    await client.listTools();
    const times = [];
    for (let i = 0; i < 1100; i++) {
      const t = process.hrtime.bigint();
      await client.callTool({ name: 'tool_0_0', arguments: { query: `q${i}` } });
      if (i >= 100) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    let rss = 0;
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'));
      rss = hwm ? Number(hwm[1]) * 1024 : 0;
    } catch {
      // Not Linux.
    }
    await client.close();
    const sorted = [...times].sort((a, b) => a - b);
    return { median: median(times), p95: sorted[Math.floor(sorted.length * 0.95)], rss };
  };
  const direct = await calls(process.execPath, [server, '--tools', String(TOOLS), '--id', '0']);
  const proxied = await calls(process.execPath, [
    bin,
    'run',
    'bench-0',
    '--lockfile',
    join(dir, 'mcp-lock.json'),
    '--log',
    join(dir, 'session.jsonl'),
  ]);
  return { direct, proxied };
}

const rows = [];
let proxy;
for (const n of [1, 10, 50]) {
  const dir = project(n);
  const install = await timeCli(['install'], dir);
  // Alternated and taken as medians of three: one run of either varies by 20% and more on two cores.
  const verifies = [];
  const bases = [];
  for (let round = 0; round < 3; round++) {
    verifies.push(await timeCli(['verify'], dir));
    bases.push(await baseline(n));
  }
  const verify = { ms: median(verifies.map((v) => v.ms)), peak: Math.max(...verifies.map((v) => v.peak)) };
  const base = median(bases);
  rows.push({ n, install, verify, base });
  if (n === 1) proxy = await proxyOverhead(dir);
  console.log(
    `N=${n}: install ${install.ms.toFixed(0)} ms, verify ${verify.ms.toFixed(0)} ms, bare SDK ${base.toFixed(0)} ms, peak RSS ${(verify.peak / 2 ** 20).toFixed(0)} MB`,
  );
}
const added = proxy.proxied.median - proxy.direct.median;
console.log(
  `proxy: median call ${proxy.direct.median.toFixed(3)} ms direct, ${proxy.proxied.median.toFixed(3)} ms through mcp-lock run (+${added.toFixed(3)} ms); proxy RSS ${(proxy.proxied.rss / 2 ** 20).toFixed(0)} MB`,
);
const core = await coreDiff();
const start = startup();
const configs = largeConfigs();
const sandboxed = await sandboxCost();
const sandboxAdds = sandboxed.note ? undefined : sandboxed.sandboxed - sandboxed.direct;
console.log(
  `core: diff of 10,000 tools ${core.diffMs.toFixed(0)} ms, checks ${core.checksMs.toFixed(0)} ms; start-up ${start.cli.toFixed(0)} ms vs node ${start.node.toFixed(0)} ms`,
);

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const last = rows[rows.length - 1];
const lines = [
  '# mcp-lock benchmark',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${mb(totalmem())} memory. Fixture servers: the SDK's McpServer over stdio, ${TOOLS} tools each, concurrency ${CONCURRENCY}. Verify and the bare baseline are medians of three alternated runs, and the baseline's servers get the environment mcp-lock gives servers (on this machine \`NODE_EXTRA_CA_CERTS\` alone adds ~50 ms to every Node server's start).`,
  '',
  '| servers | install | verify | bare SDK (spawn, initialize, list) | verify / bare | peak RSS (verify) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.n} | ${r.install.ms.toFixed(0)} ms | ${r.verify.ms.toFixed(0)} ms | ${r.base.toFixed(0)} ms | ${(r.verify.ms / r.base).toFixed(2)}× | ${mb(r.verify.peak)} |`,
  ),
  '',
  `Pure core on a lock of 10,000 tools (100 descriptions changed): diff ${core.diffMs.toFixed(0)} ms, all classifiers ${core.checksMs.toFixed(0)} ms.`,
  '',
  `\`mcp-lock ls\` on a config of 10,000 servers: ${configs[10000].toFixed(0)} ms; of 20,000: ${configs[20000].toFixed(0)} ms (${(configs[20000] / configs[10000]).toFixed(2)}×), medians of 3.`,
  '',
  sandboxAdds === undefined
    ? `Sandbox: not measured (${sandboxed.note}).`
    : `Sandbox (bubblewrap): \`node -e 0\` ${sandboxed.direct.toFixed(0)} ms spawned directly, ${sandboxed.sandboxed.toFixed(0)} ms in the sandbox (+${sandboxAdds.toFixed(0)} ms per launch), medians of 9. Scans above run sandboxed.`,
  '',
  `Start-up: \`mcp-lock --version\` ${start.cli.toFixed(0)} ms against \`node -e 0\` ${start.node.toFixed(0)} ms (${(start.cli / start.node).toFixed(2)}×), medians of 7.`,
  '',
  `\`mcp-lock run\` (logging every call to a file), 1,000 small \`tools/call\`s after 100 warm-up calls: median ${proxy.direct.median.toFixed(3)} ms direct, ${proxy.proxied.median.toFixed(3)} ms through the proxy (+${added.toFixed(3)} ms); p95 ${proxy.direct.p95.toFixed(3)} ms and ${proxy.proxied.p95.toFixed(3)} ms. Proxy peak RSS ${mb(proxy.proxied.rss)} (the server behind it: ${mb(proxy.direct.rss)}).`,
  '',
  '## Targets',
  '',
  `- verify within 1.15× the bare baseline at 50 servers: ${(last.verify.ms / last.base).toFixed(2)}× — ${last.verify.ms / last.base <= 1.15 ? 'met' : 'not met'}.`,
  `- core diff of 10,000 tools under 200 ms: ${core.diffMs.toFixed(0)} ms — ${core.diffMs < 200 ? 'met' : 'not met'}.`,
  `- peak RSS under 200 MB at 50 servers: ${mb(last.verify.peak)} — ${last.verify.peak < 200 * 2 ** 20 ? 'met' : 'not met'}.`,
  `- proxy adds under 1 ms per small call at the median: +${added.toFixed(3)} ms — ${added < 1 ? 'met' : 'not met'}.`,
  `- reading a config is linear (20,000 servers within 2.5× of 10,000): ${(configs[20000] / configs[10000]).toFixed(2)}× — ${configs[20000] / configs[10000] <= 2.5 ? 'met' : 'not met'}.`,
  sandboxAdds === undefined
    ? '- sandbox adds under 50 ms per launch: not measured (no sandbox here).'
    : `- sandbox adds under 50 ms per launch: +${sandboxAdds.toFixed(0)} ms — ${sandboxAdds < 50 ? 'met' : 'not met'}.`,
  `- start-up under 2× bare Node: ${(start.cli / start.node).toFixed(2)}× — ${start.cli / start.node < 2 ? 'met' : 'not met'}.`,
  '',
  '## Where the time goes',
  '',
  'Beyond what the servers take, a verify re-computes every digest in the lockfile (a hand-edited lock is refused),',
  'builds the live entries with per-field digests, runs every classifier over all tools together (cross-server checks',
  'see every server at once), and ends each server by killing its whole process group (the bare SDK signals only the',
  'direct child, which leaves grandchildren of npx/uvx/docker behind). At one server the fixed cost of loading mcp-lock',
  'itself dominates. Every server is also launched in the sandbox (bubblewrap: new namespaces, a private home made',
  'and removed), which the bare SDK does not do. Timings vary by 10–20% from run to run on this two-core machine.',
  '',
  'Through `mcp-lock run`, every message crosses one more process: it is parsed, forwarded under an id of the',
  "proxy's own, its arguments and result are digested (canonical JSON, sha256) for the log line, and the line is",
  'appended to the log file; list results are also digested item by item against the lock.',
  '',
];
writeFileSync(join(root, 'bench', 'RESULTS.md'), lines.join('\n'));
console.log('wrote bench/RESULTS.md');
