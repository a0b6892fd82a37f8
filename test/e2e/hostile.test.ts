import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture, type HttpFixture } from '../fixtures/servers/http-server.mjs';
import { FIXTURES, leftovers, makeProject, readText, runCli, writeFiles } from '../helpers/cli.js';

const HOSTILE = join(FIXTURES, 'hostile-server.mjs');
/** Time each hostile input gets beyond its --timeout, for the analysis after the conversation. */
const ANALYSIS_BUDGET_MS = 5_000;
/** A report is for people and CI logs: a few megabytes at most, whatever a server sent. */
const MAX_REPORT_BYTES = 3 * 1024 * 1024;

interface Json {
  findings: { code: string; server: string; message: string; tool?: string }[];
  servers: { name: string; state: string }[];
}

function hostile(kase: string, dir: string, extra: string[] = []) {
  return {
    command: process.execPath,
    args: [HOSTILE, '--case', kase, '--phase', join(dir, 'phase'), ...extra],
  };
}

/** A project whose one server is the hostile fixture in one of its cases. */
function project(kase: string, extra: string[] = []) {
  const dir = makeProject({ phase: 'before' });
  writeFiles(dir, { '.mcp.json': { mcpServers: { bad: hostile(kase, dir, extra) } } });
  return dir;
}

async function run(
  dir: string,
  command: string,
  timeout: number,
  env?: Record<string, string>,
  extra: string[] = [],
) {
  const started = Date.now();
  const result = await runCli([command, '--format', 'json', '--timeout', String(timeout), ...extra], {
    cwd: dir,
    timeoutMs: timeout + 30_000,
    ...(env ? { env } : {}),
  });
  const elapsed = Date.now() - started;
  expect(result.stderr, command).not.toMatch(/\n\s+at |error \[internal\]/);
  expect(Buffer.byteLength(result.stdout), 'report size').toBeLessThan(MAX_REPORT_BYTES);
  expect(Buffer.byteLength(result.stderr), 'human report size').toBeLessThan(MAX_REPORT_BYTES);
  expect(elapsed, `${command} took ${elapsed} ms`).toBeLessThan(timeout + ANALYSIS_BUDGET_MS);
  return { code: result.code, report: JSON.parse(result.stdout) as Json, elapsed };
}

const codes = (report: Json) => report.findings.map((f) => f.code);

describe.concurrent('a hostile server cannot crash, stall or blind the gate', () => {
  it('a 6.5 MB base64-looking description: read, reported, no crash', async () => {
    const dir = project('huge-description');
    const { code, report } = await run(dir, 'install', 20_000);
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'tool-hidden-content',
        message: expect.stringMatching(/base64-like blob/),
      }),
    ]);
  });

  for (const [kase, depth] of [
    ['deep-schema', '2000'],
    ['deep-schema', '2600'],
    ['deep-array', '10000'],
  ] as const) {
    it(`${kase} nested ${depth} deep: server-limit-exceeded, exit 1, nothing pinned`, async () => {
      const dir = project(kase, ['--depth', depth]);
      const { code, report } = await run(dir, 'install', 10_000);
      expect(code).toBe(1);
      expect(report.findings).toEqual([
        expect.objectContaining({
          code: 'server-limit-exceeded',
          message: expect.stringMatching(/deeper than 100/),
        }),
      ]);
      expect(report.servers[0]!.state).toBe('limit-exceeded');
    });
  }

  it('an 8 KB identifier a_a_a_… ends in time', async () => {
    const dir = project('identifier');
    expect((await run(dir, 'install', 10_000)).code).toBe(0);
  });

  it('a rug pull of a 12,000-word description: tool-description-changed, in time, bounded reports', async () => {
    const dir = project('long-rug-pull');
    expect((await run(dir, 'install', 10_000)).code).toBe(0);
    writeFileSync(join(dir, 'phase'), 'after');
    const { code, report } = await run(dir, 'verify', 10_000);
    expect(code).toBe(1);
    expect(codes(report)).toContain('tool-description-changed');
    const human = await runCli(['diff'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(Buffer.byteLength(human.stdout)).toBeLessThan(MAX_REPORT_BYTES);
  });

  it('2,000 renamed tools: one tool-renamed each, in time', async () => {
    const dir = project('renames', ['--count', '2000']);
    expect((await run(dir, 'install', 10_000)).code).toBe(0);
    writeFileSync(join(dir, 'phase'), 'after');
    const { code, report } = await run(dir, 'verify', 10_000);
    expect(code).toBe(1);
    expect(codes(report).filter((c) => c === 'tool-renamed')).toHaveLength(2000);
    expect(codes(report)).not.toContain('tool-added');
  });

  it('5,000 names that fold to one form: one finding, a small report', async () => {
    const dir = project('confusable', ['--count', '5000']);
    const { code, report } = await run(dir, 'install', 10_000);
    expect(code).toBe(1);
    expect(codes(report)).toEqual(['tool-name-confusable']);
  });

  it('a daemon that double-forks and calls setsid is found, killed and reported (without the sandbox)', async () => {
    const marker = `mcp-lock-daemon-${randomUUID()}`;
    const dir = project('daemon', ['--marker', marker]);
    const install = await run(dir, 'install', 10_000, undefined, ['--no-sandbox']);
    expect(codes(install.report)).toEqual(['server-process-escaped']);
    expect(await leftovers(marker)).toEqual([]);
    const verify = await run(dir, 'verify', 10_000, undefined, ['--no-sandbox']);
    expect(codes(verify.report)).toEqual(['server-process-escaped']);
    expect(await leftovers(marker)).toEqual([]);
  });

  it('tools named __proto__, constructor, toString keep their names and verify clean', async () => {
    const dir = project('proto-names');
    expect((await run(dir, 'install', 10_000)).code).toBe(0);
    const tools = JSON.parse(readText(dir, 'mcp-lock.json')).servers.bad.tools;
    expect(Object.keys(tools).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    const { code, report } = await run(dir, 'verify', 10_000);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('a tool name listed twice is server-duplicate-definition, and both definitions are locked', async () => {
    const dir = project('duplicate');
    const { code, report } = await run(dir, 'install', 10_000);
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({ code: 'server-duplicate-definition', tool: 'echo' }),
    ]);
    expect(Object.keys(JSON.parse(readText(dir, 'mcp-lock.json')).servers.bad.tools)).toHaveLength(2);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('no secret reaches the lockfile, a report or a log, whatever it looks like', () => {
  const PROXY_PASSWORD = 'proxypass77';
  const SHORT = 'abcdef';
  const LOWER = 'onlylowercaseletters';
  const ARG_SECRET = 'figma_arg_secret_42';
  const BEARER = 'bearer-token-value-0099';
  let http: HttpFixture;
  beforeAll(async () => {
    http = await startHttpFixture({ state: { tools: [] }, echoHeaders: true });
  });
  afterAll(() => http.close());

  it('config values, proxy credentials passed on, secret arguments and bearer tokens in any form', async () => {
    const dir = makeProject({ phase: 'before' });
    writeFiles(dir, {
      '.mcp.json': {
        mcpServers: {
          leaky: {
            ...hostile('echo-env', dir, [`--figma-api-key=${ARG_SECRET}`]),
            env: { SHORT_VALUE: SHORT, PLAIN_VALUE: LOWER },
          },
          remote: {
            type: 'http',
            url: `${http.url}/mcp`,
            headers: { Authorization: `Bearer ${BEARER}` },
          },
        },
      },
    });
    const env = { HTTPS_PROXY: `http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:9`, NO_PROXY: '127.0.0.1' };
    const outputs: string[] = [];
    for (const args of [
      ['install', '--format', 'json', '-o', 'install.json'],
      ['verify', '--format', 'sarif', '-o', 'verify.sarif', '--log', 'audit.jsonl'],
      ['verify', '--format', 'markdown'],
      ['diff'],
      ['ls', '--format', 'json'],
    ]) {
      const result = await runCli(args, { cwd: dir, env });
      outputs.push(result.stdout, result.stderr);
    }
    const lock = JSON.parse(readText(dir, 'mcp-lock.json'));
    expect(lock.servers.leaky.source.args).toContain('--figma-api-key=<redacted>');
    expect(JSON.stringify(lock.servers.leaky.tools)).toContain('<redacted>');
    expect(JSON.parse(readText(dir, 'install.json')).findings.map((f: { code: string }) => f.code)).toContain(
      'server-secret-in-arguments',
    );
    const written = filesUnder(dir)
      .filter((f) => !f.endsWith('.mcp.json'))
      .map((f) => readFileSync(f, 'utf8'));
    expect(written.length).toBeGreaterThanOrEqual(4);
    const everything = [...outputs, ...written].join('\n');
    const forms = [PROXY_PASSWORD, SHORT, LOWER, ARG_SECRET, BEARER, Buffer.from(BEARER).toString('base64')];
    for (const secret of forms) expect(everything, secret).not.toContain(secret);
  });
});

describe('names are data, not prototypes', () => {
  it('a server named __proto__ added to a locked config is server-added, and ls lists it', async () => {
    const dir = makeProject({ phase: 'before' });
    writeFiles(dir, { '.mcp.json': { mcpServers: { good: hostile('proto-names', dir) } } });
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    // Written as text: JSON.stringify of an object literal would set the prototype instead of adding the key.
    writeFileSync(
      join(dir, '.mcp.json'),
      `{"mcpServers": {"good": ${JSON.stringify(hostile('proto-names', dir))}, "__proto__": ${JSON.stringify(hostile('duplicate', dir))}}}`,
    );
    const verify = await run(dir, 'verify', 10_000);
    expect(verify.code).toBe(1);
    expect(verify.report.findings).toEqual([
      expect.objectContaining({ code: 'server-added', server: '__proto__' }),
    ]);
    const ls = JSON.parse((await runCli(['ls', '--format', 'json'], { cwd: dir })).stdout) as Json;
    expect(ls.servers.map((s) => s.name).sort()).toEqual(['__proto__', 'good']);
    expect((await runCli(['install'], { cwd: dir })).code).toBe(1);
    expect(Object.keys(JSON.parse(readText(dir, 'mcp-lock.json')).servers).sort()).toEqual([
      '__proto__',
      'good',
    ]);
  });
});

describe('a server locked from the project keeps its name when user configs are read too', () => {
  it('install --user neither renames nor drops it, and keeps its decisions', async () => {
    const dir = makeProject({ phase: 'before' });
    const home = makeProject({ '.claude.json': { mcpServers: { github: hostile('duplicate', dir) } } });
    writeFiles(dir, { '.mcp.json': { mcpServers: { github: hostile('proto-names', dir) } } });
    const first = await runCli(['install'], { cwd: dir, home });
    expect(first.code, first.stdout).toBe(0);
    expect(
      (await runCli(['accept', 'github', '--code', 'tool-added', '--reason', 'reviewed'], { cwd: dir, home }))
        .code,
    ).toBe(0);
    const result = await runCli(['install', '--user', '--format', 'json'], { cwd: dir, home });
    const report = JSON.parse(result.stdout) as Json;
    expect(report.servers.map((s) => [s.name, s.state]).sort()).toEqual([
      ['github', 'unchanged'],
      ['github@~/.claude.json', 'pinned'],
    ]);
    const lock = JSON.parse(readText(dir, 'mcp-lock.json'));
    expect(Object.keys(lock.servers).sort()).toEqual(['github', 'github@~/.claude.json']);
    expect(lock.decisions).toEqual([expect.objectContaining({ server: 'github', code: 'tool-added' })]);
    expect((await runCli(['verify'], { cwd: dir, home })).code).toBe(0);
  });
});
