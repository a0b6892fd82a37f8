// `npm run demo`: install and verify the example project in examples/demo, then the same verify after the weather
// server pulls the rug. The lockfile goes to a temporary folder, so the repository is left as it was.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mcp-lock.js', import.meta.url));
const project = fileURLToPath(new URL('../examples/demo/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mcp-lock-demo-'));
const lockfile = join(scratch, 'mcp-lock.json');

function step(title, args, env = {}) {
  console.log(`\n\x1b[1m$ ${title}\x1b[0m`);
  const result = spawnSync(process.execPath, [bin, ...args, '--lockfile', lockfile], {
    cwd: project,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  console.log(`(exit ${result.status})`);
  return result.status;
}

try {
  const install = step('mcp-lock install', ['install']);
  const clean = step('mcp-lock verify            # nothing changed', ['verify']);
  const caught = step(
    'WEATHER_MODE=rugpull mcp-lock verify   # the weather server changed its description',
    ['verify'],
    {
      WEATHER_MODE: 'rugpull',
    },
  );
  const ok = install === 0 && clean === 0 && caught === 1;
  console.log(
    ok
      ? '\nThe rug pull was caught: verify exited 1 and named the tool and the field.'
      : '\nThe demo did not go as expected.',
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
