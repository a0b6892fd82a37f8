// CI: the package as a user gets it. Packs the tarball (prepack builds dist/), installs it into a fresh project with
// production dependencies only, and runs the installed bin there: --version, then install and verify of the demo.
// Run with no shell: every command is spawned with its arguments.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mcp-lock-package-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, cwd, { quiet = false } = {}) {
  console.log(`$ ${[command, ...args].join(' ')}   (in ${cwd})`);
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (!quiet) process.stdout.write(result.stdout ?? '');
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  }
  return result.stdout;
}

try {
  run(npm, ['pack', '--pack-destination', scratch], root);
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  const listing = run('tar', ['-tzf', join(scratch, tarball)], root, { quiet: true });
  for (const needed of [
    'package/bin/mcp-lock.js',
    'package/dist/bundle/cli.cjs',
    'package/schemas/mcp-lock.schema.json',
  ]) {
    if (!listing.split('\n').includes(needed)) throw new Error(`the tarball lacks ${needed}`);
  }
  const strays = listing.split('\n').filter((f) => /^package\/(src|test|\.ci)\/|\.map$/.test(f));
  if (strays.length > 0)
    throw new Error(`the tarball ships files it should not: ${strays.slice(0, 5).join(', ')}`);
  const project = join(scratch, 'project');
  cpSync(join(root, 'examples', 'demo'), project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'demo', private: true }) + '\n');
  run(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', join(scratch, tarball)], project);
  const bin = join(project, 'node_modules', '.bin', 'mcp-lock');
  const version = run(bin, ['--version'], project).trim();
  if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`--version printed ${version}`);
  run(npm, ['exec', '--no', '--', 'mcp-lock', '--version'], project);
  run(bin, ['install'], project);
  run(bin, ['verify'], project);
  console.log(`the packed mcp-lock ${version} installs and runs from a fresh project`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
