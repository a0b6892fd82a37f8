import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  openSync,
  closeSync,
  utimesSync,
  ftruncateSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, baseEnv, leftovers, makeProject, runCli, stateServer } from '../helpers/cli.js';

const HOSTILE = join(FIXTURES, 'hostile-server.mjs');

const WEATHER = readFileSync(join(import.meta.dirname, '../fixtures/weather-state.json'), 'utf8');

/** A project with `count` state servers named s0, s1, … each on its own copy of the weather state. */
function project(count: number): string {
  const dir = makeProject();
  const servers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    // Each its own tool names: the same tools in two servers would be shadowing findings, and a failing exit.
    writeFileSync(join(dir, `s${i}.json`), WEATHER.replace(/"get_(forecast|alerts)"/g, `"get_$1_${i}"`));
    servers[`s${i}`] = stateServer(join(dir, `s${i}.json`));
  }
  writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: servers }));
  return dir;
}

function lockedServers(dir: string): string[] {
  return Object.keys(JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).servers).sort();
}

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

/** One line of error with the code, naming the file, within the time a hang would exceed. */
async function expectOneLine(dir: string, args: string[], code: string, mentions: RegExp) {
  const result = await runCli(args, { cwd: dir, timeoutMs: 15_000 });
  expect(result.code, result.stderr).toBe(2);
  const first = result.stderr.trim().split('\n')[0]!;
  expect(first.startsWith(`mcp-lock: error [${code}]: `), first).toBe(true);
  expect(first).toMatch(mentions);
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected failure/);
}

describe('concurrent writers of one lockfile', () => {
  it('three installs started together each keep their server, and the waiting ones say so', async () => {
    const dir = project(3);
    const runs = await Promise.all(['s0', 's1', 's2'].map((s) => runCli(['install', s], { cwd: dir })));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(lockedServers(dir)).toEqual(['s0', 's1', 's2']);
    expect(existsSync(join(dir, 'mcp-lock.json.lock'))).toBe(false);
    // Whether they overlapped depends on timing; when one waited, it said so on stderr and still finished.
    for (const run of runs.filter((r) => /waiting for another mcp-lock/.test(r.stderr))) {
      expect(run.stderr).toMatch(/waiting for another mcp-lock \(pid \d+\) to finish writing mcp-lock\.json/);
    }
  });

  it('a writer holding the lock makes install wait, say so, and go on when it is released', async () => {
    const dir = project(1);
    const lock = join(dir, 'mcp-lock.json.lock');
    // This test process is the live holder.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: '' }));
    const child = spawn(process.execPath, [BIN, 'install'], {
      cwd: dir,
      env: baseEnv(join(dir, '.home')),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    for (let i = 0; i < 100 && !stderr.includes('waiting'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toMatch(
      `waiting for another mcp-lock (pid ${process.pid}) to finish writing mcp-lock.json`,
    );
    expect(existsSync(join(dir, 'mcp-lock.json'))).toBe(false);
    writeFileSync(lock, '');
    const { rmSync } = await import('node:fs');
    rmSync(lock);
    expect(await exited, stderr).toBe(0);
    expect(lockedServers(dir)).toEqual(['s0']);
  });

  it('a lock left by a process that is gone is taken over without waiting', async () => {
    const dir = project(1);
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dir, 'mcp-lock.json.lock'), JSON.stringify({ pid: Number(gone), host: '' }));
    const result = await runCli(['install'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/waiting/);
    expect(existsSync(join(dir, 'mcp-lock.json.lock'))).toBe(false);
  });

  it('an empty lock (a writer killed before it wrote its pid) is taken over once it is old', async () => {
    const dir = project(1);
    const lock = join(dir, 'mcp-lock.json.lock');
    writeFileSync(lock, '');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    const result = await runCli(['install'], { cwd: dir, timeoutMs: 15_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('what a killed write left beside the lockfile is removed by the next writer', async () => {
    const dir = project(1);
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    const leftover = join(dir, '.mcp-lock.json.0123456789ab.tmp');
    writeFileSync(leftover, '{"lockfileVersion": 1, "serv');
    const other = join(dir, '.unrelated.0123456789ab.tmp');
    writeFileSync(other, 'keep me');
    expect((await runCli(['update'], { cwd: dir })).code).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });

  it('install killed with SIGKILL at any moment leaves the old lockfile whole', async () => {
    const dir = project(2);
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    const before = readFileSync(join(dir, 'mcp-lock.json'), 'utf8');
    for (const delay of [150, 300, 450, 600]) {
      const child = spawn(process.execPath, [BIN, 'update'], {
        cwd: dir,
        env: baseEnv(join(dir, '.home')),
        stdio: 'ignore',
      });
      // Listened for from the start: a run that finishes before the kill has already closed.
      const closed = new Promise((done) => child.on('close', done));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      // Whatever the moment: the lockfile is the old one or a whole new one (same servers, same content here).
      expect(JSON.parse(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).servers).toEqual(
        JSON.parse(before).servers,
      );
    }
    // The next writer takes over the dead one's lock and cleans up what it left.
    const after = await runCli(['update'], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });
});

describe('files that are not regular files, or far too large, are refused at once', () => {
  it('a FIFO as the project config', async () => {
    const dir = makeProject();
    mkfifo(join(dir, '.mcp.json'));
    await expectOneLine(dir, ['ls'], 'config-invalid', /\.mcp\.json: not a regular file/);
  });

  it('a FIFO named with --config', async () => {
    const dir = makeProject();
    mkfifo(join(dir, 'pipe.json'));
    await expectOneLine(
      dir,
      ['install', '--config', 'pipe.json'],
      'config-invalid',
      /pipe\.json: not a regular file/,
    );
  });

  it('/dev/urandom as a config', async () => {
    await expectOneLine(
      makeProject(),
      ['ls', '--config', '/dev/urandom'],
      'config-invalid',
      /not a regular file/,
    );
  });

  it('a FIFO as the lockfile', async () => {
    const dir = project(1);
    mkfifo(join(dir, 'mcp-lock.json'));
    await expectOneLine(dir, ['verify'], 'lockfile-invalid', /mcp-lock\.json: not a regular file/);
  });

  it('a 600 MB lockfile is refused before it is read', async () => {
    const dir = project(1);
    // Sparse: no disk is used, but the size is what a reader would have to take in.
    const fd = openSync(join(dir, 'mcp-lock.json'), 'w');
    ftruncateSync(fd, 600 * 1024 * 1024);
    closeSync(fd);
    await expectOneLine(
      dir,
      ['verify'],
      'lockfile-invalid',
      /mcp-lock\.json: larger than 128 MiB \(600 MiB\)/,
    );
  });

  it('a config that is a folder', async () => {
    const dir = makeProject({ 'cfg/x': '' });
    await expectOneLine(dir, ['ls', '--config', 'cfg'], 'config-invalid', /cfg: not a regular file/);
  });
});

describe('key files are checked before they are used', () => {
  it('sign --key /etc/passwd names the file in one line', async () => {
    const dir = project(1);
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    await expectOneLine(
      dir,
      ['sign', '--key', '/etc/passwd'],
      'key-invalid',
      /\/etc\/passwd: not a PEM private key/,
    );
  });

  it('sign --key on a FIFO is refused, not waited on', async () => {
    const dir = project(1);
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    mkfifo(join(dir, 'key.pem'));
    await expectOneLine(
      dir,
      ['sign', '--key', 'key.pem'],
      'key-unreadable',
      /key\.pem: cannot read the private key: not a regular file/,
    );
  });

  it('verify --key with a file that is not a key', async () => {
    const dir = project(1);
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'pub.pem'), 'hello\n');
    await expectOneLine(dir, ['verify', '--key', 'pub.pem'], 'key-invalid', /pub\.pem: not a PEM public key/);
  });
});

describe('numeric flags are range-checked', () => {
  for (const [flag, value] of [
    ['--timeout', '99999999999'],
    ['--timeout', '0'],
    ['--concurrency', '-1'],
    ['--concurrency', '1.5'],
  ] as const) {
    it(`${flag} ${value}`, async () => {
      await expectOneLine(makeProject(), ['verify', flag, value], 'usage', new RegExp(flag));
    });
  }
});

describe('a signal during a long analysis', () => {
  it('is honoured within a moment whenever it comes, and leaves nothing running or half-written', async () => {
    // Six servers of 5,000 tools each (the most a server may list): reading, checking and writing such a lock takes
    // seconds, in steps that each take well under one.
    const dir = makeProject({ phase: 'before' });
    const servers: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++) {
      servers[`h${i}`] = {
        command: process.execPath,
        args: [HOSTILE, '--case', 'renames', '--count', '5000', '--phase', join(dir, 'phase')],
      };
    }
    writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: servers }));
    const first = await runCli(['install', '--timeout', '60000'], { cwd: dir, timeoutMs: 60_000 });
    expect(first.stdout).toMatch(/wrote mcp-lock\.json/);
    const before = readFileSync(join(dir, 'mcp-lock.json'), 'utf8');
    for (const delay of [250, 600, 1000, 1500, 2000]) {
      const child = spawn(process.execPath, [BIN, 'update', '--timeout', '60000'], {
        cwd: dir,
        env: baseEnv(join(dir, '.home')),
        stdio: 'ignore',
      });
      const closed = new Promise<number | null>((done) => child.on('close', done));
      await new Promise((r) => setTimeout(r, delay));
      const sent = Date.now();
      child.kill('SIGINT');
      const code = await closed;
      const latency = Date.now() - sent;
      // Exit 130 when the signal came first; a run that had already finished exits as it would have. The longest step
      // takes about a quarter of a second on an idle machine; the bound leaves room for a loaded CI runner, and is
      // still far below what the rest of the run (seconds) would take if the signal waited for it.
      if (code === 130) expect(latency, `SIGINT after ${delay} ms took ${latency} ms`).toBeLessThan(1500);
      expect(await leftovers(dir, 500)).toEqual([]);
      expect(readFileSync(join(dir, 'mcp-lock.json'), 'utf8')).toBe(before);
    }
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });
});
