// `npm run bench`: what mcp-lock costs on top of what the servers themselves take, on this machine.
// Writes bench/RESULTS.md. Run after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { bareClient } from './bare.mjs';
import { realServers } from './real-servers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { serverEnvironment } = await import(join(root, 'dist', 'connect', 'env.js'));
const bin = join(root, 'bin', 'mcp-lock.js');
const server = join(root, 'bench', 'server.mjs');
const TOOLS = 50;
const CONCURRENCY = 4;
/** Rounds of alternated fixture runs: at 50 servers one verify or one bare run varies by ±8% here. */
const ROUNDS = 5;

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

/** The launches a bare client makes for n fixture servers: the commands verify runs, the environment it gives. */
function bareServers(n) {
  return Array.from({ length: n }, (_, i) => ({
    command: process.execPath,
    args: [server, '--tools', String(TOOLS), '--id', String(i)],
    // The environment mcp-lock gives servers (its minimal base): the SDK's default one lacks NODE_EXTRA_CA_CERTS,
    // which alone costs a Node server ~50 ms of start-up where it is set — a difference of environments, not of mcp-lock.
    env: serverEnvironment(process.env, {}),
  }));
}

/** The baseline: a bare SDK client as a program (bench/bare-client.mjs) starting, launching, initializing, listing. */
async function baseline(n) {
  const started = process.hrtime.bigint();
  await bareClient(bareServers(n), CONCURRENCY);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * The servers' own share: the same work from inside this process, whose Node and SDK are already loaded. Not a
 * client anyone runs, but what remains of verify once it is taken away is mcp-lock's own cost.
 */
async function serversAlone(n) {
  const started = process.hrtime.bigint();
  const servers = bareServers(n);
  const worker = async () => {
    for (let launch = servers.shift(); launch; launch = servers.shift()) {
      const client = new Client({ name: 'baseline', version: '1' });
      await client.connect(new StdioClientTransport(launch));
      await client.listTools();
      await client.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Waits until the servers and CLIs the runs before started have all exited (the last of fifty servers may still be
 * shutting down), then a moment more: the timings after this are of single processes, which a neighbour's tail skews.
 */
async function settle() {
  const children = () =>
    readdirSync('/proc').filter((pid) => {
      try {
        return (
          /^\d+$/.test(pid) &&
          readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(process.pid)
        );
      } catch {
        return false;
      }
    });
  for (
    let waited = 0;
    waited < 10_000 && process.platform === 'linux' && children().length > 0;
    waited += 100
  ) {
    await new Promise((resume) => setTimeout(resume, 100));
  }
  await new Promise((resume) => setTimeout(resume, 1000));
}

/**
 * The pure core on 10,000 tools, each of five runs in a fresh Node process (bench/core.mjs): cold, as in a verify,
 * and apart from the heap this process has built up by now. The median of the five by their total.
 */
function coreDiff() {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const run = spawnSync(process.execPath, [join(root, 'bench', 'core.mjs')], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`bench/core.mjs exited ${run.status}: ${run.stderr}`);
    runs.push(JSON.parse(run.stdout));
  }
  return runs.sort((a, b) => a.diffMs + a.checksMs - (b.diffMs + b.checksMs))[2];
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

/**
 * Start-up: `--version`, bare Node, and `ls` in a locked project of 10 servers (it launches nothing). With a temporary
 * folder of its own: the first `ls` compiles everything and checks the lock in full (it fills the code cache and
 * remembers the lock, `mcp-lock-<uid>`); the medians are of the runs after it, as a user's every run but the first.
 */
function startup(lsProject) {
  const env = { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), 'mcp-lock-bench-start-')) };
  const once = (args, cwd) => {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, args, { stdio: 'ignore', cwd, env });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const lsFirst = once([bin, 'ls'], lsProject);
  // Alternated, so that a busy moment of the machine falls on all three alike.
  const runs = { cli: [], node: [], ls: [] };
  for (let i = 0; i < 11; i++) {
    runs.cli.push(once([bin, '--version']));
    runs.node.push(once(['-e', '0']));
    runs.ls.push(once([bin, 'ls'], lsProject));
  }
  return {
    lockBytes: statSync(join(lsProject, 'mcp-lock.json')).size,
    lsFirst,
    cli: median(runs.cli),
    node: median(runs.node),
    ls: median(runs.ls),
  };
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
let lsProject;
for (const n of [1, 10, 50]) {
  const dir = project(n);
  const install = await timeCli(['install'], dir);
  // Alternated and taken as medians: one run of either varies by 20% and more on two cores.
  const verifies = [];
  const bases = [];
  const alone = [];
  for (let round = 0; round < ROUNDS; round++) {
    verifies.push(await timeCli(['verify'], dir));
    bases.push(await baseline(n));
    alone.push(await serversAlone(n));
  }
  const verify = { ms: median(verifies.map((v) => v.ms)), peak: Math.max(...verifies.map((v) => v.peak)) };
  const base = median(bases);
  rows.push({ n, install, verify, base, alone: median(alone) });
  if (n === 1) proxy = await proxyOverhead(dir);
  if (n === 10) lsProject = dir;
  console.log(
    `N=${n}: install ${install.ms.toFixed(0)} ms, verify ${verify.ms.toFixed(0)} ms, bare SDK client ${base.toFixed(0)} ms (servers alone ${rows.at(-1).alone.toFixed(0)} ms), peak RSS ${(verify.peak / 2 ** 20).toFixed(0)} MB`,
  );
}
const added = proxy.proxied.median - proxy.direct.median;
console.log(
  `proxy: median call ${proxy.direct.median.toFixed(3)} ms direct, ${proxy.proxied.median.toFixed(3)} ms through mcp-lock run (+${added.toFixed(3)} ms); proxy RSS ${(proxy.proxied.rss / 2 ** 20).toFixed(0)} MB`,
);
await settle();
const core = coreDiff();
const start = startup(lsProject);
console.log('real servers: installing into the bench cache, then alternated runs (a few minutes)');
const real = await realServers({ root, bin, concurrency: CONCURRENCY });
console.log(
  `real: verify ${real.verify.ms.toFixed(0)} ms / ${real.verify.cpu.toFixed(1)} s CPU, bare ${real.bare.ms.toFixed(0)} ms / ${real.bare.cpu.toFixed(1)} s CPU, offline ${real.offline.ms.toFixed(0)} ms`,
);
const configs = largeConfigs();
const sandboxed = await sandboxCost();
const sandboxAdds = sandboxed.note ? undefined : sandboxed.sandboxed - sandboxed.direct;
console.log(
  `core: diff of 10,000 tools ${core.diffMs.toFixed(0)} ms, checks ${core.checksMs.toFixed(0)} ms; start-up ${start.cli.toFixed(0)} ms vs node ${start.node.toFixed(0)} ms`,
);

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const last = rows[rows.length - 1];
const first = rows[0];
const ratio = (a, b) => (a / b).toFixed(2);
const met = (ok) => (ok ? 'met' : 'not met');
const coreMs = core.diffMs + core.checksMs;
const realWall = real.verify.ms / real.bare.ms;
const realCpu = real.verify.cpu / real.bare.cpu;
const lines = [
  '# mcp-lock benchmark',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${mb(totalmem())} memory.`,
  '',
  '## Real servers',
  '',
  `${real.count} MCP servers from the npm registry (\`bench/real-servers.mjs\`: filesystem, memory, everything, github, tavily, playwright, brave-search, context7, firecrawl, figma, kubernetes, notion, sequential-thinking), each launched with \`npx -y <package>\` as a client config launches it, concurrency ${CONCURRENCY}. npm's cache and mcp-lock's cache are the bench's own (\`bench/.cache\`), filled by a first install and a first verify that are not measured: warm caches. Medians of three alternated rounds; CPU is the whole machine's busy time during the run (\`/proc/stat\`), so servers, npx, npm and anything they leave behind count.`,
  '',
  '| run | wall | CPU |',
  '| --- | ---: | ---: |',
  `| first install (downloads into the bench cache) | ${real.install.ms.toFixed(0)} ms | ${real.install.cpu.toFixed(1)} s |`,
  `| \`mcp-lock verify\` | ${real.verify.ms.toFixed(0)} ms | ${real.verify.cpu.toFixed(1)} s |`,
  `| bare SDK client (same commands, same environment: spawn, initialize, list) | ${real.bare.ms.toFixed(0)} ms | ${real.bare.cpu.toFixed(1)} s |`,
  `| \`mcp-lock verify --offline\` (launches nothing) | ${real.offline.ms.toFixed(0)} ms | ${real.offline.cpu.toFixed(1)} s |`,
  '',
  '## Fixture servers',
  '',
  `The SDK's McpServer over stdio, ${TOOLS} tools each, concurrency ${CONCURRENCY}. The baseline is a bare SDK client as a program (\`bench/bare-client.mjs\`: Node starts, loads the SDK, launches the same commands at the same concurrency, initializes and lists), as verify is one; its servers get the environment mcp-lock gives servers (on this machine \`NODE_EXTRA_CA_CERTS\` alone adds ~50 ms to every Node server's start). "Servers alone" is the same work from inside the bench process, whose Node and SDK are loaded already: verify minus that is mcp-lock's own cost (the baseline before 2026-12-05 was this one). Medians of ${ROUNDS} alternated runs.`,
  '',
  '| servers | install | verify | bare SDK client | verify / bare | servers alone | verify − servers alone | peak RSS (verify) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.n} | ${r.install.ms.toFixed(0)} ms | ${r.verify.ms.toFixed(0)} ms | ${r.base.toFixed(0)} ms | ${ratio(r.verify.ms, r.base)}× | ${r.alone.toFixed(0)} ms | ${(r.verify.ms - r.alone).toFixed(0)} ms | ${mb(r.verify.peak)} |`,
  ),
  '',
  `Pure core on a lock of 10,000 tools (100 descriptions changed), measured cold in a fresh Node process (\`bench/core.mjs\`: first use, as in a verify) once the runs before have exited, the median of 5: diff ${core.diffMs.toFixed(0)} ms, all classifiers ${core.checksMs.toFixed(0)} ms.`,
  '',
  `\`mcp-lock ls\` on a config of 10,000 servers: ${configs[10000].toFixed(0)} ms; of 20,000: ${configs[20000].toFixed(0)} ms (${ratio(configs[20000], configs[10000])}×), medians of 3.`,
  '',
  sandboxAdds === undefined
    ? `Sandbox: not measured (${sandboxed.note}).`
    : `Sandbox (bubblewrap): \`node -e 0\` ${sandboxed.direct.toFixed(0)} ms spawned directly, ${sandboxed.sandboxed.toFixed(0)} ms in the sandbox (+${sandboxAdds.toFixed(0)} ms per launch), medians of 9. Scans above run sandboxed.`,
  '',
  `Start-up: \`mcp-lock --version\` ${start.cli.toFixed(0)} ms against \`node -e 0\` ${start.node.toFixed(0)} ms (${ratio(start.cli, start.node)}×); \`mcp-lock ls\` in a locked project of 10 servers (a ${(start.lockBytes / 2 ** 20).toFixed(2)} MB lock) ${start.ls.toFixed(0)} ms (${ratio(start.ls, start.cli)}× \`--version\`), medians of 11 alternated runs; the first \`ls\` with an empty temporary folder (compiling everything, checking the lock in full) ${start.lsFirst.toFixed(0)} ms.`,
  '',
  `\`mcp-lock run\` (logging every call to a file), 1,000 small \`tools/call\`s after 100 warm-up calls: median ${proxy.direct.median.toFixed(3)} ms direct, ${proxy.proxied.median.toFixed(3)} ms through the proxy (+${added.toFixed(3)} ms); p95 ${proxy.direct.p95.toFixed(3)} ms and ${proxy.proxied.p95.toFixed(3)} ms. Proxy peak RSS ${mb(proxy.proxied.rss)} (the server behind it: ${mb(proxy.direct.rss)}).`,
  '',
  '## Targets',
  '',
  `- real servers, warm cache: verify within 1.3× the bare client in wall time: ${ratio(real.verify.ms, real.bare.ms)}× — ${met(realWall <= 1.3)}.`,
  `- real servers, warm cache: verify within 1.3× the bare client in CPU: ${ratio(real.verify.cpu, real.bare.cpu)}× — ${met(realCpu <= 1.3)}.`,
  `- real servers: \`verify --offline\` within 3 s for ${real.count} servers: ${(real.offline.ms / 1000).toFixed(1)} s — ${met(real.offline.ms <= 3000)}.`,
  `- fixture servers: verify within 1.5× the bare client at 1 server: ${ratio(first.verify.ms, first.base)}× — ${met(first.verify.ms / first.base <= 1.5)} (${ratio(first.verify.ms, first.alone)}× the servers alone).`,
  `- fixture servers: verify within 1.15× the bare client at 50 servers: ${ratio(last.verify.ms, last.base)}× — ${met(last.verify.ms / last.base <= 1.15)} (${ratio(last.verify.ms, last.alone)}× the servers alone).`,
  `- diff and all classifiers on 10,000 tools under 200 ms: ${coreMs.toFixed(0)} ms — ${met(coreMs < 200)}.`,
  `- \`ls\` within 1.3× \`--version\`: ${ratio(start.ls, start.cli)}× — ${met(start.ls / start.cli <= 1.3)}.`,
  `- peak RSS under 200 MB at 50 servers: ${mb(last.verify.peak)} — ${met(last.verify.peak < 200 * 2 ** 20)}.`,
  `- proxy adds under 1 ms per small call at the median: +${added.toFixed(3)} ms — ${met(added < 1)}.`,
  `- reading a config is linear (20,000 servers within 2.5× of 10,000): ${ratio(configs[20000], configs[10000])}× — ${met(configs[20000] / configs[10000] <= 2.5)}.`,
  sandboxAdds === undefined
    ? '- sandbox adds under 50 ms per launch: not measured (no sandbox here).'
    : `- sandbox adds under 50 ms per launch: +${sandboxAdds.toFixed(0)} ms — ${met(sandboxAdds < 50)}.`,
  `- start-up under 2× bare Node: ${ratio(start.cli, start.node)}× — ${met(start.cli / start.node < 2)}.`,
  '',
  '## Where the time goes',
  '',
  ...readFileSync(join(root, 'bench', 'CAUSES.md'), 'utf8')
    .trimEnd()
    .split('\n'),
  '',
];
writeFileSync(join(root, 'bench', 'RESULTS.md'), lines.join('\n'));
console.log('wrote bench/RESULTS.md');
