// Real MCP servers from the npm registry (the user's registry, as npm is configured), launched with npx as a client
// config launches them: mcp-lock verify against a bare SDK client that launches and lists the same commands.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bareClient } from './bare.mjs';

/** The servers of the performance issue; dummy keys where a server refuses to start without one. */
export const REAL_SERVERS = {
  filesystem: { package: '@modelcontextprotocol/server-filesystem', args: ['{data}'] },
  memory: { package: '@modelcontextprotocol/server-memory' },
  everything: { package: '@modelcontextprotocol/server-everything' },
  github: { package: '@modelcontextprotocol/server-github' },
  tavily: { package: 'tavily-mcp', env: { TAVILY_API_KEY: 'tvly-bench' } },
  playwright: { package: '@playwright/mcp' },
  'brave-search': { package: '@modelcontextprotocol/server-brave-search', env: { BRAVE_API_KEY: 'bench' } },
  context7: { package: '@upstash/context7-mcp' },
  firecrawl: { package: 'firecrawl-mcp', env: { FIRECRAWL_API_KEY: 'fc-bench' } },
  figma: { package: 'figma-developer-mcp', args: ['--stdio'], env: { FIGMA_API_KEY: 'bench' } },
  kubernetes: { package: 'mcp-server-kubernetes' },
  notion: { package: '@notionhq/notion-mcp-server' },
  'sequential-thinking': { package: '@modelcontextprotocol/server-sequential-thinking' },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** CPU seconds the whole machine spent busy so far: servers, npx, npm and their orphans included. */
function machineCpu() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

async function measured(work) {
  const cpu = machineCpu();
  const started = process.hrtime.bigint();
  await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpu: machineCpu() - cpu };
}

function cli(bin, args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: 'ignore' });
    child.on('exit', (code) =>
      code === 0 || code === 1 ? resolve() : reject(new Error(`mcp-lock ${args.join(' ')} exited ${code}`)),
    );
  });
}

/**
 * Each server launched as its config says, with the environment mcp-lock gives it, by the bare SDK client as a
 * program (bench/bare-client.mjs: it lists tools, prompts and resources where offered, as verify does), at the same
 * concurrency.
 */
function bare(servers, concurrency, serverEnvironment, env, cwd) {
  const launches = Object.values(servers).map((server) => ({
    command: server.command,
    args: server.args,
    env: serverEnvironment(env, server.env ?? {}, server.command),
    cwd,
  }));
  return bareClient(launches, concurrency);
}

/**
 * A project with the real servers, a cache of their own for npm and mcp-lock (filled by a first install: downloads
 * are not what is measured), then alternated runs of verify and the bare client, and of verify --offline.
 */
export async function realServers({ root, bin, concurrency, rounds = 3 }) {
  const { serverEnvironment } = await import(join(root, 'dist', 'connect', 'env.js'));
  const dir = join(root, 'bench', '.cache', 'real-project');
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const env = {
    ...process.env,
    npm_config_cache: join(root, 'bench', '.cache', 'npm'),
    XDG_CACHE_HOME: join(root, 'bench', '.cache', 'xdg'),
  };
  const servers = Object.fromEntries(
    Object.entries(REAL_SERVERS).map(([name, s]) => [
      name,
      {
        command: 'npx',
        args: ['-y', s.package, ...(s.args ?? []).map((a) => a.replace('{data}', data))],
        ...(s.env ? { env: s.env } : {}),
      },
    ]),
  );
  writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: servers }, null, 2));
  const flags = ['--concurrency', String(concurrency), '--fail-on', 'none', '--timeout', '120000'];
  const install = await measured(() => cli(bin, ['install', ...flags], dir, env));
  // Warm: the first verify after an install is not measured either.
  await cli(bin, ['verify', ...flags], dir, env);
  const verifies = [];
  const bares = [];
  const offline = [];
  for (let round = 0; round < rounds; round++) {
    verifies.push(await measured(() => cli(bin, ['verify', ...flags], dir, env)));
    bares.push(await measured(() => bare(servers, concurrency, serverEnvironment, env, dir)));
    offline.push(await measured(() => cli(bin, ['verify', '--offline', ...flags], dir, env)));
  }
  const summary = (runs) => ({ ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)) });
  return {
    count: Object.keys(servers).length,
    install,
    verify: summary(verifies),
    bare: summary(bares),
    offline: summary(offline),
  };
}
