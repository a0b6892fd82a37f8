import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, readText, runCli } from '../helpers/cli.js';
import { packFixture, startRegistry, type FixtureRegistry } from '../helpers/registry.js';

interface JsonFinding {
  code: string;
  severity: string;
  server: string;
  message: string;
  before?: string;
  after?: string;
}
const findingsOf = (stdout: string) => JSON.parse(stdout).findings as JsonFinding[];

const ADVISORY = {
  id: 1099,
  title: 'Command injection in forecast parsing',
  url: 'https://advisories.example.test/1099',
  severity: 'high',
  vulnerable_versions: '<1.1.0',
  cwe: ['CWE-78'],
  cvss: { score: 8.1 },
};

let registry: FixtureRegistry;
let dir: string;
beforeAll(async () => {
  registry = await startRegistry();
  registry.publish('weather-utils', [{ version: '1.0.0', tarball: packFixture('1.0.0', 'weather-utils') }]);
  registry.publish('weather-mcp', [
    {
      version: '1.0.0',
      tarball: packFixture('1.0.0'),
      manifest: { bin: { 'weather-mcp': 'server.js' }, dependencies: { 'weather-utils': '^1.0.0' } },
    },
  ]);
  dir = makeProject({
    '.npmrc': `registry=${registry.url}/\n`,
    '.mcp.json': { mcpServers: { weather: { command: 'npx', args: ['-y', 'weather-mcp@1.0.0'] } } },
  });
  const install = await runCli(['install', '--timeout', '60000'], { cwd: dir, timeoutMs: 90_000 });
  expect(install.code, install.stdout).toBe(0);
}, 120_000);
afterAll(() => registry.close());

describe('mcp-lock audit', () => {
  it('asks about every package of the locked tree, and passes when none has an advisory', async () => {
    const result = await runCli(['audit', '--format', 'json'], { cwd: dir });
    expect(result.code, result.stdout).toBe(0);
    expect(findingsOf(result.stdout)).toEqual([]);
    expect(registry.advisoryQueries.at(-1)).toEqual({ 'weather-mcp': ['1.0.0'], 'weather-utils': ['1.0.0'] });
  });

  it('reports a locked dependency an advisory covers, with its severity and the version that fixes it', async () => {
    registry.advise('weather-utils', [ADVISORY]);
    registry.publish('weather-utils', [
      { version: '1.0.0', tarball: packFixture('1.0.0', 'weather-utils') },
      { version: '1.1.0', tarball: packFixture('1.1.0', 'weather-utils') },
    ]);
    const result = await runCli(['audit', '--format', 'json'], { cwd: dir });
    expect(result.code, result.stdout).toBe(1);
    expect(findingsOf(result.stdout)).toEqual([
      expect.objectContaining({
        code: 'package-vulnerable',
        severity: 'high',
        server: 'weather',
        before: '1.0.0',
        after: '1.1.0',
        message: expect.stringContaining('weather-utils@1.0.0: Command injection in forecast parsing'),
      }),
    ]);
    const human = await runCli(['audit'], { cwd: dir });
    expect(human.stdout).toContain('fixed in 1.1.0');
  });

  it('verify reports it too, offline (the scheduled drift check), and a decision can accept it', async () => {
    const verify = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(1);
    expect(findingsOf(verify.stdout).map((f) => f.code)).toContain('package-vulnerable');

    const accept = await runCli(
      [
        'accept',
        'weather',
        '--code',
        'package-vulnerable',
        '--reason',
        'the parser is not reachable from the tools',
      ],
      { cwd: dir },
    );
    expect(accept.code, accept.stdout).toBe(0);
    const audited = await runCli(['audit', '--format', 'json'], { cwd: dir });
    expect(audited.code, audited.stdout).toBe(0);
    expect(findingsOf(audited.stdout)).toEqual([
      expect.objectContaining({ code: 'package-vulnerable', accepted: expect.objectContaining({}) }),
    ]);
    // Verify still fails, on the tree: the fixed weather-utils 1.1.0 is within the locked range, so the tree moved.
    const verified = findingsOf(
      (await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir })).stdout,
    );
    expect(verified.find((f) => f.code === 'package-vulnerable')).toMatchObject({
      accepted: expect.anything(),
    });
    expect(verified.filter((f) => f.severity !== 'info' && !('accepted' in f)).map((f) => f.code)).toEqual([
      'package-dependencies-changed',
    ]);
  });
});

describe('a registry without the advisory endpoint', () => {
  for (const status of [404, 405]) {
    it(`answering ${status} is not checked (exit 3), never "no advisories"`, async () => {
      const mirror = await startRegistry({ advisoryStatus: status });
      try {
        const other = makeProject({ '.npmrc': `registry=${mirror.url}/\n` });
        writeFileSync(join(other, 'mcp-lock.json'), readText(dir, 'mcp-lock.json'));
        const result = await runCli(['audit', '--format', 'json'], { cwd: other });
        expect(result.code, result.stdout).toBe(3);
        expect(findingsOf(result.stdout)).toEqual([
          expect.objectContaining({
            code: 'package-advisories-unchecked',
            server: 'weather',
            message: expect.stringContaining(`HTTP ${status}`),
          }),
        ]);
        expect(JSON.parse(result.stdout).summary.unchecked).toBe(1);
        // verify says so too, as a note: its own verdict is about drift.
        writeFileSync(join(other, '.mcp.json'), readText(dir, '.mcp.json'));
        const verify = await runCli(['verify', '--offline', '--format', 'json'], { cwd: other });
        expect(JSON.parse(verify.stdout).notes).toContainEqual(
          expect.stringContaining(`advisories not checked: the registry answered HTTP ${status}`),
        );
      } finally {
        await mirror.close();
      }
    });
  }
});

describe("the project's server.json (MCP Registry description)", () => {
  const codes = async () =>
    findingsOf((await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir })).stdout).map(
      (f) => f.code,
    );
  const describeAs = (version: string) =>
    writeFileSync(
      join(dir, 'server.json'),
      JSON.stringify({
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        name: 'io.github.acme/weather',
        version,
        packages: [{ registryType: 'npm', identifier: 'weather-mcp', version, transport: { type: 'stdio' } }],
      }),
    );

  it('binds the lock: the version it names must be the one locked', async () => {
    describeAs('1.0.0');
    expect(await codes()).not.toContain('package-registry-mismatch');
    describeAs('1.0.1');
    expect(await codes()).toContain('package-registry-mismatch');
  });

  it("another tool's server.json is left alone; one that is not JSON says so", async () => {
    writeFileSync(join(dir, 'server.json'), JSON.stringify({ port: 8080, routes: [] }));
    expect(await codes()).not.toContain('package-registry-mismatch');
    writeFileSync(join(dir, 'server.json'), '{ not json');
    const verify = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(verify.stdout).notes).toContainEqual(
      expect.stringContaining('server.json is not JSON'),
    );
  });
});
