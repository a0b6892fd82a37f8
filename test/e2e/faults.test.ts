import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultServer, leftovers, makeProject, readText, ROOT, runCli, stateServer } from '../helpers/cli.js';

const WEATHER = readFileSync(join(ROOT, 'test/fixtures/weather-state.json'), 'utf8');

/**
 * Each misbehaving server next to a good one that is already locked: the run must end within its timeout with the
 * right finding for the bad one, leave no process behind, and leave the lockfile as it was.
 */
/**
 * The listing timeout of a fault run: long enough that a sandboxed Node server on a loaded two-core machine always
 * gets through `initialize` (3 s was not, now and then), short enough that the hanging cases end quickly.
 */
const FAULT_TIMEOUT = 6000;

async function runFault(fault: string, command: 'install' | 'verify' = 'install', timeout = FAULT_TIMEOUT) {
  const marker = `mcp-lock-fault-${randomUUID()}`;
  const dir = makeProject({ 'state.json': WEATHER });
  const good = stateServer(join(dir, 'state.json'));
  writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { good } }));
  expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
  const locked = readText(dir, 'mcp-lock.json');
  writeFileSync(
    join(dir, '.mcp.json'),
    JSON.stringify({ mcpServers: { good, bad: faultServer(fault, marker) } }),
  );
  const started = Date.now();
  const result = await runCli([command, '--timeout', String(timeout), '--format', 'json'], { cwd: dir });
  const elapsed = Date.now() - started;
  const report = JSON.parse(result.stdout);
  return { dir, marker, locked, result, report, elapsed, remaining: await leftovers(marker) };
}

const badFinding = (report: { findings: { server: string; code: string; message: string }[] }) =>
  report.findings.filter((f) => f.server === 'bad');

describe.concurrent('servers that misbehave', () => {
  const cases: [string, string, RegExp][] = [
    ['hang-initialize', 'server-unreachable', /timed out after 6000 ms during initialize/],
    ['hang-list', 'server-unreachable', /timed out after 6000 ms during tools\/list/],
    ['exit', 'server-unreachable', /exited with code 1|Connection closed/],
    ['garbage', 'server-unreachable', /not JSON-RPC/],
    ['grandchild-hang', 'server-unreachable', /timed out/],
    ['endless-cursor', 'server-limit-exceeded', /more than 100 pages/],
    ['huge-description', 'server-limit-exceeded', /exceeded the limit/],
  ];
  for (const [fault, code, reason] of cases) {
    it(`${fault}: ${code}, in time, nothing left running, lockfile intact`, async () => {
      // Ten megabytes through a pipe on a loaded two-core machine can take seconds: give it room, the cap is in bytes.
      const { result, report, elapsed, remaining, locked, dir } = await runFault(
        fault,
        'install',
        fault === 'huge-description' ? 20_000 : FAULT_TIMEOUT,
      );
      expect(badFinding(report)).toEqual([
        expect.objectContaining({ code, message: expect.stringMatching(reason) }),
      ]);
      expect(result.code).toBe(code === 'server-unreachable' ? 3 : 1);
      expect(elapsed).toBeLessThan(25_000);
      expect(remaining).toEqual([]);
      expect(readText(dir, 'mcp-lock.json')).toBe(locked);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('exit: the report carries the tail of its stderr', async () => {
    const { report } = await runFault('exit');
    expect(report.servers.find((s: { name: string }) => s.name === 'bad').stderr).toContain(
      'cannot open database',
    );
  });

  it('flood-stderr: is pinned anyway, its stderr kept bounded', async () => {
    const { result, report, remaining } = await runFault('flood-stderr');
    expect(result.code).toBe(0);
    expect(report.servers.find((s: { name: string }) => s.name === 'bad').state).toBe('pinned');
    expect(remaining).toEqual([]);
  });

  it('grandchild: the grandchild holding the pipes is killed with its group', async () => {
    const { result, report, remaining } = await runFault('grandchild');
    expect(result.code).toBe(0);
    expect(report.servers.find((s: { name: string }) => s.name === 'bad').state).toBe('pinned');
    expect(remaining).toEqual([]);
  });

  it('verify with a locked server that now hangs is exit 3 (retry), not 1 (drift)', async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    writeFileSync(
      join(dir, '.mcp.json'),
      JSON.stringify({ mcpServers: { good: stateServer(join(dir, 'state.json')) } }),
    );
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...JSON.parse(WEATHER), hangOnList: true }));
    const result = await runCli(['verify', '--timeout', '2000', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).findings).toEqual([
      expect.objectContaining({ code: 'server-unreachable', server: 'good' }),
    ]);
  });

  it('a command that does not exist is server-unreachable naming the command', async () => {
    const dir = makeProject({
      '.mcp.json': { mcpServers: { ghost: { command: 'no-such-mcp-server-xyz', args: [] } } },
    });
    const result = await runCli(['install', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).findings[0].message).toMatch(
      /command not found: no-such-mcp-server-xyz/,
    );
    expect(existsSync(join(dir, 'mcp-lock.json'))).toBe(false);
  });
});

describe('Ctrl-C', () => {
  it('stops every server it started and exits 130', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, baseEnv } = await import('../helpers/cli.js');
    const marker = `mcp-lock-sigint-${randomUUID()}`;
    const dir = makeProject({
      '.mcp.json': { mcpServers: { slow: faultServer('grandchild-hang', marker) } },
    });
    const child = spawn(process.execPath, [BIN, 'install', '--timeout', '30000'], {
      cwd: dir,
      env: baseEnv(dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const until = Date.now() + 10_000;
    while ((await leftovers(marker, 0)).length < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect((await leftovers(marker, 0)).length).toBeGreaterThanOrEqual(2);
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(130);
    expect(await leftovers(marker)).toEqual([]);
    expect(existsSync(join(dir, 'mcp-lock.json'))).toBe(false);
  });
});
