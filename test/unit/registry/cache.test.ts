import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClosureOnce } from '../../../src/registry/closure.js';
import { NpmConfig, RegistryCache, resolvePackage } from '../../../src/registry/index.js';
import { startRegistry, type FixtureRegistry } from '../../helpers/registry.js';

const bytes = (text: string) => Buffer.from(text);
const asText = (body: Buffer) => body.toString('utf8');

/** A project using `registry`, and a run of mcp-lock in it: each run has its own in-memory state, the folder is shared. */
function project(registry: FixtureRegistry) {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-cache-'));
  writeFileSync(join(dir, '.npmrc'), `registry=${registry.url}/\n`);
  const folder = join(dir, 'cache');
  return {
    dir,
    folder,
    run: (now?: () => number) =>
      new NpmConfig(dir, { PATH: process.env.PATH, HOME: dir }, new RegistryCache(folder, now)),
  };
}

describe('registry documents across runs', () => {
  let etags: FixtureRegistry;
  let fresh: FixtureRegistry;
  let plain: FixtureRegistry;
  beforeAll(async () => {
    etags = await startRegistry({ validators: true });
    fresh = await startRegistry({ validators: true, cacheControl: 'public, max-age=300' });
    plain = await startRegistry();
    for (const r of [etags, fresh, plain]) r.publish('doc', [{ version: '1.0.0', tarball: bytes('a') }]);
  });
  afterAll(async () => {
    await Promise.all([etags.close(), fresh.close(), plain.close()]);
  });

  it('asks again with the ETag, and a 304 keeps what was stored', async () => {
    const { folder } = project(etags);
    const first = await new RegistryCache(folder).document(`${etags.url}/doc`, fetch, asText);
    const second = await new RegistryCache(folder).document(`${etags.url}/doc`, fetch, asText);
    expect(second).toEqual(first);
    expect(JSON.parse(second.value!).versions['1.0.0']).toBeDefined();
    expect(etags.requests.get('doc')).toBe(2);
    expect(etags.notModified.get('doc')).toBe(1);
  });

  it('a change is fetched in full, not kept from the cache', async () => {
    const { folder } = project(etags);
    await new RegistryCache(folder).document(`${etags.url}/doc`, fetch, asText);
    etags.publish('doc', [
      { version: '1.0.0', tarball: bytes('a') },
      { version: '1.0.1', tarball: bytes('b') },
    ]);
    const after = await new RegistryCache(folder).document(`${etags.url}/doc`, fetch, asText);
    expect(JSON.parse(after.value!).versions['1.0.1']).toBeDefined();
  });

  it('is not asked while its Cache-Control says fresh, and is asked after', async () => {
    const { folder } = project(fresh);
    let now = 1_000_000;
    const clock = () => now;
    await new RegistryCache(folder, clock).document(`${fresh.url}/doc`, fetch, asText);
    await new RegistryCache(folder, clock).document(`${fresh.url}/doc`, fetch, asText);
    expect(fresh.requests.get('doc')).toBe(1);
    now += 301_000;
    await new RegistryCache(folder, clock).document(`${fresh.url}/doc`, fetch, asText);
    expect(fresh.requests.get('doc')).toBe(2);
    expect(fresh.notModified.get('doc')).toBe(1);
  });

  it('a registry without validators is asked in full each run, once within a run', async () => {
    const { folder } = project(plain);
    const run = new RegistryCache(folder);
    await Promise.all([1, 2, 3].map(() => run.document(`${plain.url}/doc`, fetch, asText)));
    await new RegistryCache(folder).document(`${plain.url}/doc`, fetch, asText);
    expect(plain.requests.get('doc')).toBe(2);
  });

  it('an error is passed on and not remembered', async () => {
    const { folder } = project(etags);
    const missing = await new RegistryCache(folder).document(`${etags.url}/nothing`, fetch, asText);
    expect(missing).toEqual({ status: 404 });
    etags.publish('nothing', [{ version: '1.0.0', tarball: bytes('n') }]);
    const found = await new RegistryCache(folder).document(`${etags.url}/nothing`, fetch, asText);
    expect(found.status).toBe(200);
  });
});

describe('a dependency tree across runs', () => {
  let registry: FixtureRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ validators: true });
    registry.publish('tree-utils', [{ version: '1.0.0', tarball: bytes('u1') }]);
    registry.publish('tree-mcp', [
      { version: '1.0.0', tarball: bytes('t1'), manifest: { dependencies: { 'tree-utils': '^1.0.0' } } },
    ]);
  });
  afterAll(() => registry.close());

  it('is resolved by npm once, reused while no package in it moved, and resolved again when one did', async () => {
    const { dir, run } = project(registry);
    const env = { PATH: process.env.PATH, HOME: dir };
    const first = await resolveClosureOnce('tree-mcp', '1.0.0', dir, env, run());
    expect(first.reused).toBe(false);
    expect(first.packages).toEqual({ 'node_modules/tree-mcp': '1.0.0', 'node_modules/tree-utils': '1.0.0' });

    const second = await resolveClosureOnce('tree-mcp', '1.0.0', dir, env, run());
    expect(second.reused).toBe(true);
    expect(second.digest).toBe(first.digest);
    expect(second.lockText).toBe(first.lockText);
    // Every package of the tree was asked "changed?", and the registry said no.
    expect(registry.notModified.get('tree-utils')).toBeGreaterThanOrEqual(1);

    registry.publish('tree-utils', [
      { version: '1.0.0', tarball: bytes('u1') },
      { version: '1.1.0', tarball: bytes('u1.1') },
    ]);
    const third = await resolveClosureOnce('tree-mcp', '1.0.0', dir, env, run());
    expect(third.reused).toBe(false);
    expect(third.packages['node_modules/tree-utils']).toBe('1.1.0');
  }, 60_000);

  it('is resolved again when npm would resolve with other settings', async () => {
    const { dir, run } = project(registry);
    const env = { PATH: process.env.PATH, HOME: dir };
    await resolveClosureOnce('tree-mcp', '1.0.0', dir, env, run());
    writeFileSync(join(dir, '.npmrc'), `registry=${registry.url}/\nlegacy-peer-deps=true\n`);
    const other = await resolveClosureOnce('tree-mcp', '1.0.0', dir, env, run());
    expect(other.reused).toBe(false);
  }, 60_000);

  it('a verified tarball is not downloaded again for the same integrity', async () => {
    const { dir, run } = project(registry);
    const source = {
      configs: [{ file: '.mcp.json', key: 'mcpServers.s' }],
      transport: 'stdio' as const,
      command: 'npx',
      args: ['-y', 'tree-utils@1.0.0'],
    };
    const place = { cwd: dir, path: process.env.PATH, trustedRoot: async () => ({}) };
    const before = registry.requests.get('tree-utils/-/tree-utils-1.0.0.tgz') ?? 0;
    const first = await resolvePackage(source, run(), place);
    const second = await resolvePackage(source, run(), place);
    expect(first).toMatchObject({ ok: true, pkg: { tarball: 'verified' } });
    expect(second).toEqual(first);
    expect(registry.requests.get('tree-utils/-/tree-utils-1.0.0.tgz')).toBe(before + 1);
  });
});
