import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture, type HttpFixture } from '../fixtures/servers/http-server.mjs';
import { makeProject, ROOT, runCli, stateServer } from '../helpers/cli.js';

const WEATHER = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/weather-state.json'), 'utf8'));
const ENV_SECRET = 'sk-live-EnvSecret-0123456789';
const HEADER_SECRET = 'HeaderSecret-abcdef-987654';
const PARENT_SECRET = 'ci-Parent-Secret-5555';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture({ state: WEATHER, token: HEADER_SECRET });
});
afterAll(() => http.close());

describe('secret values', () => {
  it('never reach the lockfile or any report, even when a server echoes them', async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    const config = {
      mcpServers: {
        leaky: stateServer(join(dir, 'state.json'), ['--echo-env', 'API_KEY', '--describe-env'], {
          API_KEY: ENV_SECRET,
        }),
        remote: {
          type: 'http',
          url: `${http.url}/mcp`,
          headers: { Authorization: `Bearer ${HEADER_SECRET}` },
        },
        broken: {
          command: process.execPath,
          args: ['-e', `console.error(process.env.API_KEY); process.exit(1)`],
          env: { API_KEY: ENV_SECRET },
        },
      },
    };
    const { writeFiles } = await import('../helpers/cli.js');
    writeFiles(dir, { '.mcp.json': config });
    const env = { CI_DEPLOY_TOKEN: PARENT_SECRET };
    const outputs: string[] = [];
    for (const args of [
      ['install', '--format', 'json', '-o', 'install-report.json'],
      ['verify', '--format', 'json'],
      ['verify'],
      ['diff'],
      ['ls', '--format', 'json'],
      ['update', '--format', 'json', '-o', 'update-report.json'],
    ]) {
      const result = await runCli(args, { cwd: dir, env });
      outputs.push(result.stdout, result.stderr);
    }
    const written = filesUnder(dir)
      .filter((f) => !f.endsWith('.mcp.json'))
      .map((f) => readFileSync(f, 'utf8'));
    const everything = [...outputs, ...written].join('\n');
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(everything).toContain('leaky');
    expect(everything).toContain('<redacted>');
    for (const secret of [ENV_SECRET, HEADER_SECRET, PARENT_SECRET]) expect(everything).not.toContain(secret);
  });

  it('a server gets a minimal environment plus its config env, never the parent environment', async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    const { writeFiles, readText } = await import('../helpers/cli.js');
    writeFiles(dir, {
      '.mcp.json': {
        mcpServers: { s: stateServer(join(dir, 'state.json'), ['--describe-env'], { GIVEN: 'yes' }) },
      },
    });
    expect(
      (
        await runCli(['install'], {
          cwd: dir,
          env: { CI_DEPLOY_TOKEN: PARENT_SECRET, AWS_SECRET_ACCESS_KEY: 'x' },
        })
      ).code,
    ).toBe(0);
    const names = JSON.parse(readText(dir, 'mcp-lock.json')).servers.s.tools[
      'env-names'
    ].definition.description.split(' ');
    expect(names).toContain('GIVEN');
    expect(names).toContain('PATH');
    expect(names).not.toContain('CI_DEPLOY_TOKEN');
    expect(names).not.toContain('AWS_SECRET_ACCESS_KEY');
  });
});
