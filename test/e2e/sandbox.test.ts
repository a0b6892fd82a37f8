import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, leftovers, makeProject, runCli, writeFiles } from '../helpers/cli.js';
import { connect } from '../helpers/proxy.js';

const PROBE = join(FIXTURES, 'sandbox-probe-server.mjs');
const HOSTILE = join(FIXTURES, 'hostile-server.mjs');

/** A loopback TCP listener standing for "the internet": it counts who reached it. */
let listener: Server;
let port = 0;
let reached = 0;
const sockets = new Set<import('node:net').Socket>();
beforeAll(async () => {
  listener = createServer((socket) => {
    reached++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.end();
  });
  await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
  port = (listener.address() as { port: number }).port;
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  listener.close();
});

/** A project whose server `probe` tries the given things while it lists its tools; home is `<dir>/.home`. */
function probeProject(probeArgs: (dir: string) => string[]): string {
  const dir = makeProject({
    '.git/config': '[core]\n',
    '.home/.ssh/id_rsa': 'PRIVATE KEY\n',
    'out/.keep': '',
  });
  writeFiles(dir, {
    '.mcp.json': { mcpServers: { probe: { command: process.execPath, args: [PROBE, ...probeArgs(dir)] } } },
  });
  return dir;
}

/** What each try did, from the descriptions the lock recorded: `{ connect: 'ECONNREFUSED', write_0: 'ok', … }`. */
function results(dir: string): Record<string, string> {
  const tools = JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).servers.probe.tools;
  return Object.fromEntries(
    Object.entries(tools as Record<string, { definition: { description: string } }>)
      .filter(([name]) => name !== 'probe')
      .map(([name, t]) => [name, t.definition.description.slice(name.length + 2)]),
  );
}

async function json(dir: string, args: string[], env?: Record<string, string>) {
  const run = await runCli([...args, '--format', 'json'], { cwd: dir, ...(env ? { env } : {}) });
  return { code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) };
}

describe.concurrent('a scan runs servers in the sandbox (bubblewrap)', () => {
  // These run servers in the real sandbox: without bubblewrap they would fail on whatever the probe could reach, so
  // they fail first on what is missing and how to get it.
  beforeAll(() => {
    const probe = spawnSync('bwrap', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(
        'bubblewrap (bwrap) is not installed: these tests run servers in the real sandbox. Install it (`apt-get install bubblewrap`; .ci/run does) and run again.',
      );
    }
  });

  it('cannot reach the network while listing, unless granted; the grant is in the lock and verify keeps it', async () => {
    const dir = probeProject(() => ['--connect', String(port)]);
    const before = reached;
    const install = await json(dir, ['install']);
    expect(install.code, install.stderr).toBe(0);
    expect(results(dir).connect).toBe('ECONNREFUSED');
    expect(install.report.notes.join('\n')).toMatch(/launched in a sandbox \(bubblewrap\)/);

    const granted = await json(dir, ['update', '--allow-network', 'probe']);
    expect(granted.report.findings.map((f: { code: string }) => f.code)).toContain(
      'server-permissions-changed',
    );
    expect(results(dir).connect).toBe('connected');
    expect(JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).servers.probe.permissions).toEqual({
      network: true,
    });
    const verify = await json(dir, ['verify']);
    expect(verify.code, JSON.stringify(verify.report.findings)).toBe(0);
    // Twice with the grant (update, verify), never without it.
    expect(reached - before).toBeGreaterThanOrEqual(2);
  });

  it('cannot write into the project or the home, only where granted', async () => {
    const dir = probeProject((d) => [
      '--write',
      join(d, 'planted.txt'),
      '--write',
      join(d, '.home', '.bashrc'),
      '--write',
      join(d, 'out', 'data.txt'),
      '--write',
      '/tmp/mcp-lock-sandbox-escape.txt',
    ]);
    expect((await json(dir, ['install'])).code).toBe(0);
    expect(results(dir)).toEqual({ write_0: 'EROFS', write_1: 'EROFS', write_2: 'EROFS', write_3: 'EROFS' });
    expect(existsSync(join(dir, 'planted.txt'))).toBe(false);
    expect(existsSync(join(dir, '.home', '.bashrc'))).toBe(false);

    expect((await json(dir, ['update', '--allow-write', 'probe=./out'])).report.servers[0].state).toBe(
      'updated',
    );
    expect(results(dir).write_2).toBe('ok');
    expect(readFileSync(join(dir, 'out', 'data.txt'), 'utf8')).toMatch(/written by the server/);
    expect(results(dir).write_0).toBe('EROFS');
  });

  it('cannot read ~/.ssh or the project .git, unless granted', async () => {
    const dir = probeProject((d) => [
      '--read',
      join(d, '.home', '.ssh', 'id_rsa'),
      '--read',
      join(d, '.git', 'config'),
      '--read',
      join(d, '.mcp.json'),
    ]);
    expect((await json(dir, ['install'])).code).toBe(0);
    expect(results(dir)).toEqual({ read_0: 'ENOENT', read_1: 'ENOENT', read_2: 'ok' });
    await json(dir, ['update', '--allow-read', 'probe=~/.ssh']);
    expect(results(dir).read_0).toBe('ok');
    expect(results(dir).read_1).toBe('ENOENT');
  });

  it('a server that needs the network to list is told which permission to grant', async () => {
    const dir = probeProject(() => ['--need-network', String(port)]);
    const install = await json(dir, ['install']);
    expect(install.code).toBe(3);
    expect(install.report.servers[0].reason).toMatch(/sandbox without network.*--allow-network probe/);
    expect(existsSync(join(dir, 'mcp-lock.json'))).toBe(false);
    expect((await json(dir, ['install', '--allow-network', 'probe'])).code).toBe(0);
  });

  it('a double-fork + setsid daemon leaves no process after install, verify and run', async () => {
    const marker = `mcp-lock-sandbox-daemon-${randomUUID()}`;
    const dir = makeProject({ phase: 'before' });
    writeFiles(dir, {
      '.mcp.json': {
        mcpServers: {
          probe: {
            command: process.execPath,
            args: [HOSTILE, '--case', 'daemon', '--marker', marker, '--phase', join(dir, 'phase')],
          },
        },
      },
    });
    const install = await json(dir, ['install']);
    expect(install.code, JSON.stringify(install.report.findings)).toBe(0);
    expect(await leftovers(marker, 1000)).toEqual([]);
    expect((await json(dir, ['verify'])).code).toBe(0);
    expect(await leftovers(marker, 1000)).toEqual([]);
    const proxied = await connect(process.execPath, [BIN, 'run', 'probe', '--sandbox'], { cwd: dir });
    expect((await proxied.client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    await proxied.close();
    expect(await leftovers(marker, 1000)).toEqual([]);
  });

  it('run --sandbox keeps the lock’s rules for the whole session', async () => {
    const dir = probeProject((d) => ['--connect', String(port), '--write', join(d, 'out', 'x.txt')]);
    expect((await json(dir, ['install', '--allow-write', 'probe=out'])).code).toBe(0);
    const proxied = await connect(process.execPath, [BIN, 'run', 'probe', '--sandbox'], { cwd: dir });
    await proxied.client.listTools();
    const call = await proxied.client.callTool({ name: 'probe', arguments: {} });
    await proxied.close();
    const text = (call.content as { text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual([
      { name: 'connect', result: 'ECONNREFUSED' },
      { name: 'write_0', result: 'ok' },
    ]);
  });
});

describe.concurrent('where there is no sandbox', () => {
  // No bwrap on this PATH: the server command is absolute, so only the sandbox is missing.
  const noBwrap = { PATH: '/nonexistent' };

  it('the report says the launch was not sandboxed, never silently', async () => {
    const dir = probeProject(() => []);
    const install = await json(dir, ['install'], noBwrap);
    expect(install.code).toBe(0);
    expect(install.report.notes.join('\n')).toMatch(
      /launched without a sandbox: bubblewrap \(bwrap\) is not installed.*--require-sandbox/,
    );
  });

  it('--require-sandbox makes that exit 2 naming what is missing, before any server starts', async () => {
    const dir = probeProject((d) => ['--write', join(d, 'started.txt')]);
    const run = await runCli(['install', '--require-sandbox'], { cwd: dir, env: noBwrap });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^mcp-lock: error \[sandbox-unavailable\]: no sandbox to launch servers in: bubblewrap/,
    );
    expect(existsSync(join(dir, 'started.txt'))).toBe(false);
  });

  it('--no-sandbox is stated in the report', async () => {
    const dir = probeProject(() => ['--connect', String(port)]);
    const install = await json(dir, ['install', '--no-sandbox']);
    expect(install.report.notes.join('\n')).toMatch(/without a sandbox \(--no-sandbox\)/);
    expect(results(dir).connect).toBe('connected');
  });

  it('a grant for a server no config defines is refused', async () => {
    const dir = probeProject(() => []);
    const run = await runCli(['install', '--allow-network', 'nope'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\[server-unknown\].*"nope"/);
  });
});
