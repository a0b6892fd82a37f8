import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closureChanges, packageState, comparePackage } from '../../../src/core/package/compare.js';
import { NpmConfig, resolvePackage } from '../../../src/registry/index.js';
import { startRegistry, type FixtureRegistry } from '../../helpers/registry.js';

/** Findings that fail a run: lint-level ones (a package without provenance) left out. */
const hardState = (pkg: Parameters<typeof packageState>[1]) =>
  packageState('s', pkg).filter((f) => f.severity !== 'info');
const PLACE = { cwd: tmpdir(), path: process.env.PATH, trustedRoot: async () => ({}) };
let registry: FixtureRegistry;
let mirror: FixtureRegistry;
const projectFor = (url: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-npm-'));
  writeFileSync(join(dir, '.npmrc'), `registry=${url}/\n`);
  return new NpmConfig(dir, { PATH: process.env.PATH, HOME: dir });
};
const npx = (spec: string) => ({
  configs: [{ file: '.mcp.json', key: 'mcpServers.s' }],
  transport: 'stdio' as const,
  command: 'npx',
  args: ['-y', spec],
});

beforeAll(async () => {
  registry = await startRegistry();
  mirror = await startRegistry({ withKeys: false });
  const tgz = (text: string) => Buffer.from(text);
  for (const r of [registry, mirror]) {
    r.publish(
      'weather-mcp',
      [
        { version: '1.0.0', tarball: tgz('v1') },
        { version: '1.1.0', tarball: tgz('v1.1') },
        { version: '1.2.0', tarball: tgz('v1.2 published'), served: tgz('v1.2 tampered') },
        { version: '1.3.0', tarball: tgz('v1.3'), signedBy: 'unknown' },
        { version: '1.4.0', tarball: tgz('v1.4'), signedBy: 'none' },
      ],
      { latest: '1.1.0', next: '1.4.0' },
    );
    r.publish('@acme/mcp', [{ version: '2.0.0', tarball: tgz('acme') }]);
    // The newest release needs a Node this one is not: npx runs the newest that fits instead.
    r.publish('engines-mcp', [
      { version: '3.22.2', tarball: tgz('old'), manifest: { engines: { node: '>=18' } } },
      { version: '3.26.0', tarball: tgz('new'), manifest: { engines: { node: '>=99' } } },
    ]);
  }
});
afterAll(async () => {
  await registry.close();
  await mirror.close();
});

describe('npm packages, from the registry of the npm configuration', () => {
  it('pins an exact version: integrity, checked tarball, verified registry signature', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.0.0'), projectFor(registry.url), PLACE);
    expect(outcome).toEqual({
      ok: true,
      latest: '1.1.0',
      // Every version published: what a server's reported version is checked against.
      published: ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0'],
      pkg: {
        type: 'npm',
        name: 'weather-mcp',
        spec: 'weather-mcp@1.0.0',
        pinned: true,
        version: '1.0.0',
        integrity: expect.stringMatching(/^sha512-/),
        tarball: 'verified',
        signature: 'verified',
        provenance: { status: 'missing' },
      },
    });
    expect(outcome.ok && hardState(outcome.pkg!)).toEqual([]);
  });

  it('resolves ranges and tags as npm would, and reports them unpinned', async () => {
    const config = projectFor(registry.url);
    const range = await resolvePackage(npx('weather-mcp@^1.0.0'), config, PLACE);
    expect(range.ok && range.pkg).toMatchObject({ version: '1.1.0', pinned: false });
    const bare = await resolvePackage(npx('weather-mcp'), config, PLACE);
    expect(bare.ok && bare.pkg).toMatchObject({ version: '1.1.0', pinned: false });
    const tag = await resolvePackage(npx('weather-mcp@next'), config, PLACE);
    expect(tag.ok && tag.pkg).toMatchObject({ version: '1.4.0' });
    expect(range.ok && hardState(range.pkg!).map((f) => f.code)).toEqual(['package-unpinned']);
  });

  it('picks what npx runs on this Node: a latest whose engines do not fit is passed over', async () => {
    const config = projectFor(registry.url);
    const bare = await resolvePackage(npx('engines-mcp'), config, PLACE);
    expect(bare.ok && bare.pkg).toMatchObject({ version: '3.22.2', pinned: false });
    const range = await resolvePackage(npx('engines-mcp@^3.0.0'), config, PLACE);
    expect(range.ok && range.pkg).toMatchObject({ version: '3.22.2' });
    // Named exactly (or by its tag), it is what npm runs, engines or not.
    const exact = await resolvePackage(npx('engines-mcp@3.26.0'), config, PLACE);
    expect(exact.ok && exact.pkg).toMatchObject({ version: '3.26.0', pinned: true });
    const tag = await resolvePackage(npx('engines-mcp@latest'), config, PLACE);
    expect(tag.ok && tag.pkg).toMatchObject({ version: '3.26.0' });
  });

  it("asks for the registry's keys once per run, however many of its packages are resolved", async () => {
    const config = projectFor(registry.url);
    const before = registry.requests.get('-/npm/v1/keys') ?? 0;
    await Promise.all(
      ['weather-mcp@1.0.0', 'weather-mcp@1.1.0', 'engines-mcp@3.22.2'].map((s) =>
        resolvePackage(npx(s), config, PLACE),
      ),
    );
    expect((registry.requests.get('-/npm/v1/keys') ?? 0) - before).toBe(1);
  });

  it('a scoped package, and --package=', async () => {
    const outcome = await resolvePackage(
      { ...npx('x'), args: ['--yes', '--package=@acme/mcp@2.0.0', 'acme-mcp'] },
      projectFor(registry.url),
      PLACE,
    );
    expect(outcome.ok && outcome.pkg).toMatchObject({
      name: '@acme/mcp',
      version: '2.0.0',
      signature: 'verified',
    });
  });

  it('a tarball that does not match its integrity: package-integrity-mismatch', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.2.0'), projectFor(registry.url), PLACE);
    expect(outcome.ok && outcome.pkg!.tarball).toBe('mismatch');
    expect(outcome.ok && hardState(outcome.pkg!).map((f) => [f.code, f.severity])).toEqual([
      ['package-integrity-mismatch', 'critical'],
    ]);
  });

  it('a signature by a key the registry does not publish: package-signature-invalid', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.3.0'), projectFor(registry.url), PLACE);
    expect(outcome.ok && hardState(outcome.pkg!).map((f) => f.code)).toEqual(['package-signature-invalid']);
  });

  it('no signature from a registry that signs: package-unsigned', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.4.0'), projectFor(registry.url), PLACE);
    expect(outcome.ok && outcome.pkg!.signature).toBe('unsigned');
  });

  it('a mirror that strips signatures is reported as no-metadata, not as tampering', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.0.0'), projectFor(mirror.url), PLACE);
    expect(outcome.ok && outcome.pkg!.signature).toBe('no-metadata');
    expect(outcome.ok && hardState(outcome.pkg!)).toEqual([]);
  });

  it('a version that does not exist, or a registry that is gone, cannot be resolved', async () => {
    expect(await resolvePackage(npx('weather-mcp@9.9.9'), projectFor(registry.url), PLACE)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no such version/),
    });
    expect(
      await resolvePackage(npx('weather-mcp@1.0.0'), projectFor('http://127.0.0.1:9'), PLACE),
    ).toMatchObject({
      ok: false,
    });
  });

  it('drift between the lock and today: a moved tag, other bytes for the same version, a lost signature', () => {
    const locked = {
      type: 'npm' as const,
      name: 'w',
      spec: 'w@latest',
      pinned: false,
      version: '1.0.0',
      integrity: 'sha512-a',
      signature: 'verified' as const,
    };
    expect(
      comparePackage('s', locked, { ...locked, version: '1.1.0', integrity: 'sha512-b' }).map((f) => f.code),
    ).toEqual(['package-version-changed']);
    expect(comparePackage('s', locked, { ...locked, integrity: 'sha512-b' }).map((f) => f.code)).toEqual([
      'package-integrity-mismatch',
    ]);
    expect(comparePackage('s', locked, { ...locked, signature: 'unsigned' }).map((f) => f.code)).toEqual([
      'package-unsigned',
    ]);
    expect(comparePackage('s', locked, locked)).toEqual([]);
  });
});

describe('scripts and executables', () => {
  it('pins a script by its sha256, path as configured, and notices when it changes', async () => {
    const { mkdtempSync: mk, writeFileSync: write } = await import('node:fs');
    const dir = mk(join(tmpdir(), 'mcp-lock-local-'));
    write(join(dir, 'server.js'), 'console.log(1)');
    const source = {
      configs: [{ file: '.mcp.json', key: 'k' }],
      transport: 'stdio' as const,
      command: 'node',
      args: ['server.js'],
    };
    const first = await resolvePackage(source, projectFor(registry.url), { ...PLACE, cwd: dir });
    expect(first).toEqual({
      ok: true,
      pkg: {
        type: 'local',
        name: 'server.js',
        spec: 'server.js',
        pinned: true,
        integrity: expect.stringMatching(/^sha256-/),
      },
    });
    write(join(dir, 'server.js'), 'console.log(2)');
    const second = await resolvePackage(source, projectFor(registry.url), { ...PLACE, cwd: dir });
    expect(first.ok && second.ok && comparePackage('s', first.pkg, second.pkg).map((f) => f.code)).toEqual([
      'package-files-changed',
    ]);
  });

  it('pins a script in a package folder of its own by every file of that folder', async () => {
    const { mkdtempSync: mk, mkdirSync: mkdir, writeFileSync: write } = await import('node:fs');
    const dir = mk(join(tmpdir(), 'mcp-lock-tree-'));
    // The project's own package.json does not make the project one server's package.
    write(join(dir, 'package.json'), '{"name":"project"}');
    write(join(dir, 'unrelated.js'), 'a');
    mkdir(join(dir, 'tools', 'notes', 'lib'), { recursive: true });
    mkdir(join(dir, 'tools', 'notes', 'node_modules', 'dep'), { recursive: true });
    write(join(dir, 'tools', 'notes', 'package.json'), '{"name":"notes"}');
    write(join(dir, 'tools', 'notes', 'index.js'), "import './lib/store.js'");
    write(join(dir, 'tools', 'notes', 'lib', 'store.js'), 'export {}');
    write(join(dir, 'tools', 'notes', 'node_modules', 'dep', 'x.js'), 'ignored');
    const source = (script: string) => ({
      configs: [{ file: '.mcp.json', key: 'k' }],
      transport: 'stdio' as const,
      command: 'node',
      args: [script],
    });
    const resolveIn = (script: string) =>
      resolvePackage(source(script), projectFor(registry.url), { ...PLACE, cwd: dir });
    const first = await resolveIn('tools/notes/index.js');
    expect(first.ok && first.pkg?.files && Object.keys(first.pkg.files)).toEqual([
      'index.js',
      'lib/store.js',
      'package.json',
    ]);
    write(join(dir, 'tools', 'notes', 'lib', 'store.js'), 'export const leak = 1');
    const second = await resolveIn('tools/notes/index.js');
    const findings = first.ok && second.ok ? comparePackage('s', first.pkg, second.pkg) : [];
    expect(findings.map((f) => f.code)).toEqual(['package-files-changed']);
    expect(findings[0]!.message).toContain('lib/store.js changed');

    // A script of the project itself is pinned alone: other edits in the project are not its business.
    const own = await resolveIn('unrelated.js');
    expect(own.ok && own.pkg).toMatchObject({ integrity: expect.stringMatching(/^sha256-/) });
    expect(own.ok && own.pkg?.files).toBeUndefined();
  });

  it('pins an executable found on PATH, and says when it is not there', async () => {
    const source = {
      configs: [{ file: '.mcp.json', key: 'k' }],
      transport: 'stdio' as const,
      command: 'git',
      args: ['mcp'],
    };
    const found = await resolvePackage(source, projectFor(registry.url), PLACE);
    expect(found.ok && found.pkg).toMatchObject({
      type: 'binary',
      name: 'git',
      integrity: expect.stringMatching(/^sha256-/),
    });
    const missing = await resolvePackage(
      { ...source, command: 'no-such-binary-xyz' },
      projectFor(registry.url),
      PLACE,
    );
    expect(missing).toMatchObject({ ok: false, reason: expect.stringMatching(/not found on PATH/) });
  });
});

describe('dependency tree changes', () => {
  it('names versions moved, packages added and removed', () => {
    expect(
      closureChanges(
        { 'node_modules/a': '1.0.0', 'node_modules/b': '2.0.0', 'node_modules/a/node_modules/c': '1.0.0' },
        { 'node_modules/a': '1.1.0', 'node_modules/d': '3.0.0', 'node_modules/a/node_modules/c': '1.0.0' },
      ),
    ).toEqual(['a 1.0.0 → 1.1.0', '+d@3.0.0', '−b@2.0.0']);
  });
});
