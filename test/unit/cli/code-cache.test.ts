import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheFolder } from '../../../src/cli/code-cache.js';
import { BIN, ROOT, baseEnv } from '../../helpers/cli.js';

const LOADER = pathToFileURL(join(ROOT, 'dist', 'cli', 'code-cache.js')).href;

/** A bundle of two CommonJS files (one requires the other) and a file outside its folder that it also requires. */
function bundle(): { root: string; entry: string } {
  const root = mkdtempSync(join(tmpdir(), 'code-cache-'));
  mkdirSync(join(root, 'bundle'));
  writeFileSync(join(root, 'outside.cjs'), 'exports.outside = "outside";\n');
  writeFileSync(
    join(root, 'bundle', 'part.cjs'),
    'exports.greet = (who) => `hello ${who}`;\nexports.where = __filename;\n',
  );
  writeFileSync(
    join(root, 'bundle', 'entry.cjs'),
    [
      'const part = require("./part.cjs");',
      'const { outside } = require("../outside.cjs");',
      'const { basename } = require("node:path");',
      'exports.value = `${part.greet("cache")} ${basename(part.where)} ${outside} ${typeof module.exports}`;',
      '',
    ].join('\n'),
  );
  return { root, entry: join(root, 'bundle', 'entry.cjs') };
}

/** Loads `entry` through the built loader in a fresh Node, as bin/mcp-lock.js does, and returns what it printed. */
function load(entry: string, folder: string): string {
  const program = `import { requireWithCodeCache } from ${JSON.stringify(LOADER)};
console.log(requireWithCodeCache(${JSON.stringify(entry)}, ${JSON.stringify(folder)}).value);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim();
}

const caches = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.bin'));
const times = (folder: string) => caches(folder).map((f) => statSync(join(folder, f)).mtimeMs);

describe('requireWithCodeCache', () => {
  it('caches the files of the bundle folder, reuses them, and leaves other files alone', () => {
    const { root, entry } = bundle();
    const folder = join(root, 'cache');
    mkdirSync(folder);
    expect(load(entry, folder)).toBe('hello cache part.cjs outside object');
    // entry.cjs and part.cjs; not ../outside.cjs, and no temporary files left behind.
    expect(caches(folder)).toHaveLength(2);
    expect(readdirSync(folder)).toHaveLength(2);
    const written = times(folder);
    // Accepted caches are not written again.
    expect(load(entry, folder)).toBe('hello cache part.cjs outside object');
    expect(times(folder)).toEqual(written);
  });

  it('compiles as usual when a cache is not V8 code, and replaces it', () => {
    const { root, entry } = bundle();
    const folder = join(root, 'cache');
    mkdirSync(folder);
    load(entry, folder);
    for (const file of caches(folder)) writeFileSync(join(folder, file), 'not a code cache');
    expect(load(entry, folder)).toBe('hello cache part.cjs outside object');
    for (const file of caches(folder)) {
      expect(readFileSync(join(folder, file), 'latin1')).not.toBe('not a code cache');
    }
  });

  it('never offers a cache to source it was not made from', () => {
    const { root, entry } = bundle();
    const folder = join(root, 'cache');
    mkdirSync(folder);
    load(entry, folder);
    writeFileSync(
      join(root, 'bundle', 'part.cjs'),
      'exports.greet = (who) => `bye ${who}`;\nexports.where = "x";\n',
    );
    expect(load(entry, folder)).toBe('bye cache x outside object');
    expect(caches(folder)).toHaveLength(3);
  });
});

describe('codeCacheFolder', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env['NODE_DISABLE_COMPILE_CACHE'];
    delete process.env['NODE_DISABLE_COMPILE_CACHE'];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['NODE_DISABLE_COMPILE_CACHE'];
    else process.env['NODE_DISABLE_COMPILE_CACHE'] = saved;
  });
  it('is a folder per Node version in mcp-lock’s private temporary folder', () => {
    const base = mkdtempSync(join(tmpdir(), 'code-cache-base-'));
    const folder = codeCacheFolder(base);
    expect(folder).toBe(join(own(base), 'code-cache', `${process.version}-${process.arch}`));
    expect(statSync(folder!).isDirectory()).toBe(true);
    expect(codeCacheFolder(base)).toBe(folder);
  });

  it('is off when NODE_DISABLE_COMPILE_CACHE is set, as Node’s own cache is', () => {
    process.env['NODE_DISABLE_COMPILE_CACHE'] = '1';
    const base = mkdtempSync(join(tmpdir(), 'code-cache-base-'));
    expect(codeCacheFolder(base)).toBeUndefined();
    expect(readdirSync(base)).toEqual([]);
  });
});

describe('bin/mcp-lock.js', () => {
  it('runs the bundle, keeping compiled code in the temporary folder on a Node without its own cache', () => {
    const base = mkdtempSync(join(tmpdir(), 'code-cache-bin-'));
    const env = { ...baseEnv(base), TMPDIR: base };
    const first = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env });
    expect(first.status).toBe(0);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(first.stdout.trim()).toBe(version);
    const folder = join(own(base), 'code-cache', `${process.version}-${process.arch}`);
    if ('enableCompileCache' in module) {
      // Node 22 and later: Node's cache, not ours.
      expect(readdirSync(base)).not.toContain(basename(own(base)));
    } else {
      expect(caches(folder).length).toBeGreaterThan(0);
      const second = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env });
      expect(second.stdout.trim()).toBe(version);
    }
  });
});

function own(base: string): string {
  return join(base, `mcp-lock-${process.getuid?.() ?? 'user'}`);
}
