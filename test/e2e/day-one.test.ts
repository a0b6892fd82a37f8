import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture, type HttpFixture } from '../fixtures/servers/http-server.mjs';
import {
  makeProject,
  readText,
  ROOT,
  runCli,
  STATE_SERVER,
  stateServer,
  writeFiles,
} from '../helpers/cli.js';
import { packFixture, startRegistry, type FixtureRegistry } from '../helpers/registry.js';

const WEATHER = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/weather-state.json'), 'utf8'));
const codes = (stdout: string) => (JSON.parse(stdout).findings as { code: string }[]).map((f) => f.code);

let registry: FixtureRegistry;
beforeAll(async () => {
  registry = await startRegistry();
  registry.publish('weather-mcp', [
    { version: '1.0.0', tarball: packFixture('1.0.0'), manifest: { bin: { 'weather-mcp': 'server.js' } } },
  ]);
});
afterAll(() => registry.close());

describe('what a user hits on day one', () => {
  it('verify never starts a swapped launch line: it reports it', async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    writeFiles(dir, { '.mcp.json': { mcpServers: { weather: stateServer(join(dir, 'state.json')) } } });
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    const mark = join(dir, 'swapped-ran');
    writeFiles(dir, {
      'swapped.mjs': `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(mark)}, 'ran');`,
      '.mcp.json': {
        mcpServers: { weather: { command: process.execPath, args: [join(dir, 'swapped.mjs')] } },
      },
    });
    const verify = await runCli(['verify', '--format', 'json'], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(codes(verify.stdout)).toEqual(['server-config-changed']);
    expect(existsSync(mark)).toBe(false);
  });

  it('a lock entry holding no package is not a pass, offline or not', async () => {
    const dir = makeProject({
      '.npmrc': `registry=${registry.url}/\n`,
      '.mcp.json': { mcpServers: { weather: { command: 'npx', args: ['-y', 'weather-mcp@1.0.0'] } } },
    });
    expect((await runCli(['install', '--timeout', '60000'], { cwd: dir, timeoutMs: 90_000 })).code).toBe(0);
    // As a lock made while the registry could not be reached: the package left out (the digests do not cover it).
    const lock = JSON.parse(readText(dir, 'mcp-lock.json'));
    delete lock.servers.weather.package;
    writeFileSync(join(dir, 'mcp-lock.json'), JSON.stringify(lock, null, 2) + '\n');
    const offline = await runCli(['verify', '--offline', '--format', 'json'], { cwd: dir });
    expect(codes(offline.stdout)).toContain('package-unresolved');
    expect(offline.code).toBe(3);
    // install fills it in once the registry answers.
    expect((await runCli(['install', '--timeout', '60000'], { cwd: dir, timeoutMs: 90_000 })).code).toBe(0);
    expect(JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather.package.version).toBe('1.0.0');
  }, 180_000);

  it('npx gets npm settings from the environment, so it fetches from the registry that was checked; a cold one downloads first', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'mcp-lock-npm-cache-'));
    const dir = makeProject({
      '.mcp.json': { mcpServers: { weather: { command: 'npx', args: ['-y', 'weather-mcp@1.0.0'] } } },
    });
    const env = { NPM_CONFIG_REGISTRY: `${registry.url}/`, npm_config_cache: cache };
    const first = await runCli(['install', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      env,
      timeoutMs: 90_000,
    });
    expect(first.code, first.stdout).toBe(0);
    expect(JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather.package).toMatchObject({
      version: '1.0.0',
      tarball: 'verified',
    });
    expect(JSON.parse(first.stdout).notes.join('\n')).toMatch(
      /downloaded weather-mcp@1\.0\.0 into npx's cache first/,
    );
    const second = await runCli(['verify', '--format', 'json', '--timeout', '60000'], {
      cwd: dir,
      env,
      timeoutMs: 90_000,
    });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).notes.join('\n')).not.toMatch(/downloaded/);
  }, 180_000);
});

describe('variables and credentials as the clients read them', () => {
  let http: HttpFixture;
  beforeAll(async () => {
    http = await startHttpFixture({ state: WEATHER, basic: 'alice:pa55-word' });
  });
  afterAll(() => http.close());

  it('a URL with user:password@ is sent as Basic credentials, and neither appears in the lock', async () => {
    const url = http.url.replace('http://', 'http://alice:pa55-word@') + '/mcp';
    const dir = makeProject({ '.mcp.json': { mcpServers: { remote: { type: 'http', url } } } });
    const install = await runCli(['install', '--format', 'json'], { cwd: dir });
    expect(install.code, install.stdout).toBe(0);
    const lock = readText(dir, 'mcp-lock.json');
    expect(lock).not.toContain('pa55-word');
    expect(JSON.parse(lock).servers.remote.source.url).toBe(`${http.url}/mcp`);
  });

  it("Gemini CLI's $VAR is expanded like ${VAR}; the lock keeps it as written", async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    writeFiles(dir, {
      '.gemini/settings.json': {
        mcpServers: {
          weather: { command: process.execPath, args: [STATE_SERVER, '--state', '$WEATHER_STATE'] },
        },
      },
    });
    // Unexpanded, the server would be asked to read a file named "$WEATHER_STATE" and fail.
    const install = await runCli(['install', '--format', 'json'], {
      cwd: dir,
      env: { WEATHER_STATE: join(dir, 'state.json') },
    });
    expect(install.code, install.stdout).toBe(0);
    expect(JSON.parse(readText(dir, 'mcp-lock.json')).servers.weather.source.args).toEqual([
      STATE_SERVER,
      '--state',
      '$WEATHER_STATE',
    ]);
  });

  it('a config with a byte-order mark is read; an invalid URL is that server unreachable, not a crash', async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    writeFileSync(
      join(dir, '.mcp.json'),
      '\ufeff' +
        JSON.stringify({
          mcpServers: {
            weather: stateServer(join(dir, 'state.json')),
            bad: { type: 'http', url: 'not a url' },
          },
        }),
    );
    const install = await runCli(['install', '--format', 'json'], { cwd: dir });
    expect(install.stderr).not.toMatch(/internal|\n\s+at /);
    const report = JSON.parse(install.stdout);
    expect(report.servers.map((s: { name: string; state: string }) => `${s.name} ${s.state}`).sort()).toEqual(
      ['bad unreachable', 'weather pinned'],
    );
    expect(install.code).toBe(3);
  });
});
