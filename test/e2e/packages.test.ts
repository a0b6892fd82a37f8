import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN as CLI, makeProject, readText, runCli } from '../helpers/cli.js';
import { connect } from '../helpers/proxy.js';
import { packFixture, startRegistry, type FixtureRegistry } from '../helpers/registry.js';

/** The codes of the findings that fail a run (a package without provenance is lint: info). */
const hard = (stdout: string) =>
  (JSON.parse(stdout).findings as { code: string; severity: string }[])
    .filter((f) => f.severity !== 'info')
    .map((f) => f.code);
const BIN = { bin: { 'weather-mcp': 'server.js' } };
let registry: FixtureRegistry;
let v1: Buffer;
let v2: Buffer;
beforeAll(async () => {
  registry = await startRegistry();
  v1 = packFixture('1.0.0');
  v2 = packFixture('1.1.0');
});
afterAll(() => registry.close());

function project(spec: string) {
  return makeProject({
    '.npmrc': `registry=${registry.url}/\n`,
    '.mcp.json': { mcpServers: { weather: { command: 'npx', args: ['-y', spec] } } },
  });
}

describe('packages launched with npx from a registry on 127.0.0.1', () => {
  it('install runs the package through npx and pins it: version, integrity, verified signature', async () => {
    registry.publish('weather-mcp', [{ version: '1.0.0', tarball: v1, manifest: BIN }]);
    const dir = project('weather-mcp@1.0.0');
    const result = await runCli(['install', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const server = JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather;
    expect(server.package).toMatchObject({
      type: 'npm',
      name: 'weather-mcp',
      version: '1.0.0',
      pinned: true,
      tarball: 'verified',
      signature: 'verified',
    });
    expect(server.tools.get_forecast).toBeDefined();
    expect(readText(dir, 'mcp-lock.json')).not.toContain(registry.url);
  }, 120_000);

  it('verify --offline launches nothing and catches a moved tag and re-published bytes', async () => {
    registry.publish('weather-mcp', [{ version: '1.0.0', tarball: v1, manifest: BIN }]);
    const dir = project('weather-mcp@latest');
    const install = await runCli(['install', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    // An unpinned launch line is reported, but does not fail writing the lock: verify is the gate.
    expect(install.code).toBe(0);
    expect(hard(install.stdout)).toEqual(['package-unpinned']);

    // A new version under latest: the client would now run other code.
    registry.publish('weather-mcp', [
      { version: '1.0.0', tarball: v1, manifest: BIN },
      { version: '1.1.0', tarball: v2, manifest: BIN },
    ]);
    const moved = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    expect(moved.code).toBe(1);
    const codes = hard(moved.stdout);
    expect(codes).toContain('package-version-changed');

    // The same version, other bytes: the registry was tampered with.
    registry.publish('weather-mcp', [{ version: '1.0.0', tarball: v2, manifest: BIN }], { latest: '1.0.0' });
    const tampered = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(tampered.stdout).findings).toContainEqual(
      expect.objectContaining({ code: 'package-integrity-mismatch', severity: 'critical' }),
    );
  }, 120_000);

  it('--offline starts no process at all', async () => {
    registry.publish('weather-mcp', [{ version: '1.0.0', tarball: v1, manifest: BIN }]);
    const dir = project('weather-mcp@1.0.0');
    expect((await runCli(['install', '--timeout', '60000'], { cwd: dir, timeoutMs: 90_000 })).code).toBe(0);
    // Point the server at a command that would create a file if anything launched it.
    const lock = readText(dir, 'mcp-lock.json');
    const mark = join(dir, 'launched');
    writeFileSync(
      join(dir, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          weather: {
            command: 'npx',
            args: ['-y', 'weather-mcp@1.0.0'],
            env: { NODE_OPTIONS: `--require=${join(dir, 'mark.cjs')}` },
          },
        },
      }),
    );
    writeFileSync(join(dir, 'mark.cjs'), `require('fs').writeFileSync(${JSON.stringify(mark)}, 'ran')`);
    const result = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    // The env names changed (a config change), but nothing ran.
    expect(hard(result.stdout)).toEqual(['server-config-changed']);
    expect(() => readFileSync(mark)).toThrow();
    expect(readText(dir, 'mcp-lock.json')).toBe(lock);
    // Without --offline it is not run either: its launch line is not the locked one, so it would be unreviewed code.
    const online = await runCli(['verify', '--timeout', '60000', '--format', 'json'], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(hard(online.stdout)).toEqual(['server-config-changed']);
    expect(JSON.parse(online.stdout).notes.join('\n')).toMatch(
      /weather was not started: its launch line differs/,
    );
    expect(() => readFileSync(mark)).toThrow();
    // Once the change is reviewed and accepted, the new launch line is what runs.
    // (Unsandboxed: the marker it runs writes into the project, which the sandbox forbids.)
    expect(
      (await runCli(['update', '--no-sandbox', '--timeout', '60000'], { cwd: dir, timeoutMs: 90_000 })).code,
    ).toBe(0);
    expect(readFileSync(mark, 'utf8')).toBe('ran');
  }, 180_000);
});

describe('mcp-lock pin', () => {
  it('rewrites the launch line to the locked version, keeping every comment and byte around it, and verify is clean', async () => {
    registry.publish('weather-mcp', [{ version: '1.0.0', tarball: v1, manifest: BIN }]);
    const original = `{
  // Weather for the team. Reviewed 2026-11.
  "servers": {
    "weather": {
      "command": "npx",
      "args": ["-y", "weather-mcp@latest"], // keep -y: CI has no prompt
    },
  },
}
`;
    const dir = makeProject({ '.npmrc': `registry=${registry.url}/\n`, '.vscode/mcp.json': original });
    const install = await runCli(['install', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(hard(install.stdout)).toEqual(['package-unpinned']);
    // Before pinning, outdated calls the unpinned server what it is: unchanged since it was locked, and unpinned.
    const before = JSON.parse((await runCli(['outdated', '--format', 'json'], { cwd: dir })).stdout);
    expect(before.servers.map((x: { state: string }) => x.state)).toEqual(['unchanged']);
    expect(before.findings.map((f: { code: string }) => f.code)).toContain('package-unpinned');
    const pin = await runCli(['pin'], { cwd: dir });
    expect(pin.code).toBe(0);
    expect(pin.stdout).toContain('pinned weather: weather-mcp@latest → weather-mcp@1.0.0');
    expect(pin.stdout).toMatch(/^1 server \(1 pinned\)/m);
    expect(readText(dir, '.vscode/mcp.json')).toBe(
      original.replace('weather-mcp@latest', 'weather-mcp@1.0.0'),
    );
    const verify = await runCli(['verify', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(hard(verify.stdout)).toEqual([]);
    expect(verify.code).toBe(0);
    expect((await runCli(['pin'], { cwd: dir })).stdout).toContain('nothing to pin');
  }, 180_000);
});

describe('the dependency tree', () => {
  it('is locked, and a new release of a dependency within its range is package-dependencies-changed', async () => {
    const withDeps = { ...BIN, dependencies: { 'weather-utils': '^1.0.0' } };
    registry.publish('weather-utils', [{ version: '1.0.0', tarball: packFixture('1.0.0', 'weather-utils') }]);
    registry.publish('weather-mcp', [{ version: '1.0.0', tarball: v1, manifest: withDeps }]);
    const dir = project('weather-mcp@1.0.0');
    const install = await runCli(['install', '--timeout', '60000'], { cwd: dir, timeoutMs: 90_000 });
    expect(install.code, install.stdout).toBe(0);
    const deps = JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather.package.dependencies;
    expect(deps).toMatchObject({
      count: 2,
      packages: { 'node_modules/weather-mcp': '1.0.0', 'node_modules/weather-utils': '1.0.0' },
    });

    registry.publish('weather-utils', [
      { version: '1.0.0', tarball: packFixture('1.0.0', 'weather-utils') },
      { version: '1.1.0', tarball: packFixture('1.1.0', 'weather-utils') },
    ]);
    const verify = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    expect(verify.code).toBe(1);
    const failing = (JSON.parse(verify.stdout).findings as { severity: string }[]).filter(
      (f) => f.severity !== 'info',
    );
    expect(failing).toEqual([
      expect.objectContaining({
        code: 'package-dependencies-changed',
        message: expect.stringContaining('weather-utils 1.0.0 → 1.1.0'),
      }),
    ]);
  }, 180_000);
});

describe('the locked tree, materialised', () => {
  let dir: string;
  let cache: string;
  const trace = () => readText(dir, 'trace.txt').trim().split('\n');
  beforeAll(() => {
    registry.publish('weather-utils', [{ version: '1.0.0', tarball: packFixture('1.0.0', 'weather-utils') }]);
    registry.publish('weather-mcp', [
      { version: '1.0.0', tarball: v1, manifest: { ...BIN, dependencies: { 'weather-utils': '^1.0.0' } } },
    ]);
    dir = makeProject({ '.npmrc': `registry=${registry.url}/\n` });
    writeFileSync(
      join(dir, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          weather: {
            command: 'npx',
            args: ['-y', 'weather-mcp@1.0.0'],
            env: { TRACE_FILE: join(dir, 'trace.txt') },
          },
        },
      }),
    );
    cache = join(dir, '.home', '.cache', 'mcp-lock', 'npm');
  });

  it('install --materialise installs the tree with npm ci and snapshots the server from it', async () => {
    // The fixture writes a trace into the project, which a sandboxed scan may not: this test is about the tree.
    const install = await runCli(
      ['install', '--materialise', '--no-sandbox', '--format', 'json', '--timeout', '60000'],
      {
        cwd: dir,
        timeoutMs: 120_000,
      },
    );
    expect(install.code, install.stderr).toBe(0);
    expect(JSON.parse(install.stdout).notes.join('\n')).toContain('launched from its locked dependency tree');
    const [folder] = readdirSync(cache);
    const tree = join(cache, folder!);
    expect(readdirSync(join(tree, 'node_modules')).sort()).toEqual([
      '.bin',
      '.package-lock.json',
      'weather-mcp',
      'weather-utils',
    ]);
    expect(existsSync(join(tree, '.npmrc'))).toBe(false);
    expect(trace()).toEqual([join(tree, 'node_modules', 'weather-mcp', 'server.js')]);
  }, 180_000);

  it('mcp-lock run starts the server from the locked tree', async () => {
    const session = await connect(process.execPath, [CLI, 'run', 'weather'], {
      cwd: dir,
      // What the client sets from the config's env.
      env: { TRACE_FILE: join(dir, 'trace.txt') },
    });
    try {
      expect((await session.client.listTools()).tools.map((t) => t.name)).toEqual(['get_forecast']);
    } finally {
      await session.close();
    }
    expect(trace().at(-1)).toContain(join('.cache', 'mcp-lock', 'npm'));
    expect(session.stderr()).not.toContain('started through npx');
  }, 60_000);

  it('does not use a tree whose package-lock.json was edited, and says so', async () => {
    const [folder] = readdirSync(cache);
    const lockPath = join(cache, folder!, 'package-lock.json');
    writeFileSync(
      lockPath,
      readFileSync(lockPath, 'utf8').replace('"version": "1.0.0"', '"version": "1.0.1"'),
    );
    const session = await connect(process.execPath, [CLI, 'run', 'weather'], {
      cwd: dir,
      // What the client sets from the config's env.
      env: { TRACE_FILE: join(dir, 'trace.txt') },
    });
    try {
      expect((await session.client.listTools()).tools.map((t) => t.name)).toEqual(['get_forecast']);
    } finally {
      await session.close();
    }
    expect(
      await session.stderrWith('started through npx: its locked dependency tree is not installed'),
    ).toContain('started through npx: its locked dependency tree is not installed');
    expect(trace().at(-1)).not.toContain(join('.cache', 'mcp-lock', 'npm'));
  }, 120_000);
});

describe('a private registry', () => {
  const TOKEN = 'npm_PrivateToken1234567890';
  let privateRegistry: FixtureRegistry;
  beforeAll(async () => {
    privateRegistry = await startRegistry({ token: TOKEN });
    privateRegistry.publish('weather-mcp', [{ version: '1.0.0', tarball: v1, manifest: BIN }]);
  });
  afterAll(() => privateRegistry.close());

  const privateProject = (npmrc: string) =>
    makeProject({
      '.npmrc': npmrc,
      '.mcp.json': { mcpServers: { weather: { command: 'npx', args: ['-y', 'weather-mcp@1.0.0'] } } },
    });

  it('is read with the token npm would send, and the token is written nowhere', async () => {
    const host = privateRegistry.url.replace(/^http:/, '');
    const dir = privateProject(`registry=${privateRegistry.url}/\n${host}/:_authToken=${TOKEN}\n`);
    const install = await runCli(['install', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(install.code, install.stderr).toBe(0);
    const lock = readText(dir, 'mcp-lock.json');
    expect(JSON.parse(lock).servers.weather.package).toMatchObject({
      version: '1.0.0',
      tarball: 'verified',
      signature: 'verified',
    });
    expect(lock).not.toContain(TOKEN);
    expect(install.stdout + install.stderr).not.toContain(TOKEN);
  }, 180_000);

  it('without a token, says the registry wants credentials', async () => {
    const dir = privateProject(`registry=${privateRegistry.url}/\n`);
    const install = await runCli(['install', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(install.code).toBe(3);
    const findings = JSON.parse(install.stdout).findings as { code: string; message: string }[];
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'package-unresolved',
        message: expect.stringContaining('HTTP 401: it wants credentials'),
      }),
    );
  }, 180_000);
});

describe('the trusted root behind provenance', () => {
  it('comes from TUF, and a report says when only the cached copy could be used', async () => {
    const { npmProvenance, startSigstoreMock } = await import('../helpers/sigstore.js');
    const sigstore = await startSigstoreMock();
    registry.publish('weather-mcp', [
      {
        version: '1.0.0',
        tarball: v1,
        manifest: BIN,
        attestations: await npmProvenance(sigstore, 'weather-mcp', '1.0.0', v1),
      },
    ]);
    const dir = project('weather-mcp@1.0.0');
    writeFileSync(join(dir, 'tuf-root.json'), JSON.stringify(sigstore.tufRoot));
    const tuf = ['--tuf-mirror', sigstore.url, '--tuf-root', 'tuf-root.json'];
    const install = await runCli(['install', ...tuf, '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(install.code, install.stderr).toBe(0);
    expect(JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather.package.provenance.status).toBe(
      'verified',
    );
    expect(JSON.parse(install.stdout).notes.join('\n')).not.toContain('package provenance');

    await sigstore.close();
    const outdated = await runCli(['outdated', ...tuf, '--format', 'json'], { cwd: dir });
    expect(outdated.code).toBe(0);
    const report = JSON.parse(outdated.stdout) as { notes: string[]; findings: unknown[] };
    expect(report.findings).toEqual([]);
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^package provenance: TUF refresh failed .*using the last cached trusted root$/),
    );
  }, 180_000);
});

describe('mcp-lock outdated', () => {
  it('reports, from the registry alone, a newer version, a moved tag and lost provenance', async () => {
    const { npmProvenance, startSigstoreMock } = await import('../helpers/sigstore.js');
    const sigstore = await startSigstoreMock();
    try {
      registry.publish('weather-mcp', [
        {
          version: '1.0.0',
          tarball: v1,
          manifest: BIN,
          attestations: await npmProvenance(sigstore, 'weather-mcp', '1.0.0', v1),
        },
      ]);
      const floating = project('weather-mcp@latest');
      const pinned = project('weather-mcp@1.0.0');
      for (const dir of [floating, pinned]) {
        writeFileSync(join(dir, 'root.json'), JSON.stringify(sigstore.trustedRoot));
        await runCli(['install', '--trusted-root', 'root.json', '--timeout', '60000'], {
          cwd: dir,
          timeoutMs: 90_000,
        });
        expect(JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather.package.provenance).toMatchObject({
          status: 'verified',
          repository: 'https://github.com/acme/weather',
        });
      }
      // 1.1.0 is published without provenance and becomes latest.
      registry.publish('weather-mcp', [
        {
          version: '1.0.0',
          tarball: v1,
          manifest: BIN,
          attestations: await npmProvenance(sigstore, 'weather-mcp', '1.0.0', v1),
        },
        { version: '1.1.0', tarball: v2, manifest: BIN },
      ]);
      const moved = await runCli(['outdated', '--trusted-root', 'root.json', '--format', 'json'], {
        cwd: floating,
      });
      expect(moved.code).toBe(1);
      expect(JSON.parse(moved.stdout).findings.map((f: { code: string }) => f.code)).toEqual(
        expect.arrayContaining(['package-version-changed', 'package-provenance-changed', 'package-unpinned']),
      );
      const behind = await runCli(['outdated', '--trusted-root', 'root.json', '--format', 'json'], {
        cwd: pinned,
      });
      expect(behind.code).toBe(0);
      expect(JSON.parse(behind.stdout).findings).toEqual([
        expect.objectContaining({
          code: 'package-outdated',
          message: 'weather-mcp@1.0.0 resolves to 1.0.0; the newest is 1.1.0',
        }),
      ]);
    } finally {
      await sigstore.close();
    }
  }, 180_000);
});
