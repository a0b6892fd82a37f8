// Runs bench/bare-client.mjs, the bare SDK client as a program, on a list of servers; resolves when it has exited.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const program = new URL('./bare-client.mjs', import.meta.url).pathname;

/** `servers`: [{ command, args, env, cwd }], each launched as given (env is the whole environment it gets). */
export function bareClient(servers, concurrency) {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-bare-'));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ concurrency, servers }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [program, spec], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve();
      else reject(new Error(`bench/bare-client.mjs exited ${code}`));
    });
  });
}
