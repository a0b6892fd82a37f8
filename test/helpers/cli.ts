import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'mcp-lock.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'servers');
export const STATE_SERVER = join(FIXTURES, 'state-server.mjs');
export const FAULT_SERVER = join(FIXTURES, 'fault-server.mjs');
export const EVERYTHING = join(
  ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI run gets in tests: just enough to run node, with an empty home of its own. */
export function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' };
  // The suite's own temporary folder (test/helpers/temp-folders.ts): the CLI keeps its code cache there.
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  if (process.env.NODE_EXTRA_CA_CERTS) env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Runs the built CLI as a user would, with no shell, and collects everything it printed. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; home?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const home = options.home ?? join(options.cwd, '.home');
    mkdirSync(home, { recursive: true });
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...baseEnv(home), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-lock ${args.join(' ')} did not finish in time\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A temporary project folder with the given files (objects are written as JSON). */
export function makeProject(files: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-test-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, unknown>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

export function readText(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

/** Processes whose command line contains `marker`: what a test must find none of once mcp-lock has exited. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Waits up to `ms` for processes with `marker` to be gone; returns those still there. */
export async function leftovers(marker: string, ms = 2000): Promise<number[]> {
  const until = Date.now() + ms;
  for (;;) {
    const found = processesWith(marker);
    if (found.length === 0 || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An .mcp.json entry launching the state server on a state file. */
export function stateServer(stateFile: string, extraArgs: string[] = [], env?: Record<string, string>) {
  return {
    command: process.execPath,
    args: [STATE_SERVER, '--state', stateFile, ...extraArgs],
    ...(env ? { env } : {}),
  };
}

export function faultServer(fault: string, marker: string) {
  return { command: process.execPath, args: [FAULT_SERVER, '--fault', fault, '--marker', marker] };
}
