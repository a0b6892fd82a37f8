import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture, type HttpFixture } from '../fixtures/servers/http-server.mjs';
import {
  baseEnv,
  BIN,
  makeProject,
  readText,
  ROOT,
  runCli,
  stateServer,
  writeFiles,
} from '../helpers/cli.js';
import { lockedProject } from '../helpers/proxy.js';

/** A secret that does not look like one: lower-case letters only. It is the config's, so it is never logged. */
const PLAIN_SECRET = 'onlylowercasesecret';

const WEATHER = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/weather-state.json'), 'utf8'));
interface Json {
  findings: { code: string; message: string }[];
}

describe('which secret goes where is part of the reviewed launch line', () => {
  let http: HttpFixture;
  beforeAll(async () => {
    http = await startHttpFixture({
      state: {
        tools: [{ name: 'search_docs', description: 'Search the docs.', inputSchema: { type: 'object' } }],
      },
    });
  });
  afterAll(() => http.close());

  it('records templates, never values; a swapped variable is server-config-changed naming both', async () => {
    const dir = makeProject({ 'state.json': WEATHER });
    const config = (envRef: string, headerRef: string) => ({
      mcpServers: {
        local: stateServer(join(dir, 'state.json'), [], { API_KEY: envRef, MODE: 'production' }),
        remote: { type: 'http', url: `${http.url}/mcp`, headers: { Authorization: headerRef } },
      },
    });
    writeFiles(dir, { '.mcp.json': config('${MY_TOKEN}', 'Bearer ${VENDOR_TOKEN}') });
    const env = {
      MY_TOKEN: 'tok-my-123456',
      VENDOR_TOKEN: 'tok-vendor-98765',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-555',
      GITHUB_TOKEN: 'ghp_secret_777',
    };
    expect((await runCli(['install'], { cwd: dir, env })).code).toBe(0);
    const lock = readText(dir, 'mcp-lock.json');
    const source = JSON.parse(lock).servers;
    expect(source.local.source.envValues).toEqual({ API_KEY: '${MY_TOKEN}', MODE: '<literal>' });
    expect(source.remote.source.headerValues).toEqual({ Authorization: 'Bearer ${VENDOR_TOKEN}' });
    for (const value of Object.values(env)) expect(lock).not.toContain(value);
    expect(lock).not.toContain('production');

    // The same templates, other values: not drift.
    const same = await runCli(['verify', '--format', 'json'], {
      cwd: dir,
      env: { ...env, MY_TOKEN: 'rotated-0000' },
    });
    expect((JSON.parse(same.stdout) as Json).findings).toEqual([]);

    writeFiles(dir, { '.mcp.json': config('${AWS_SECRET_ACCESS_KEY}', 'Bearer ${GITHUB_TOKEN}') });
    const swapped = await runCli(['verify', '--format', 'json'], { cwd: dir, env });
    expect(swapped.code).toBe(1);
    const findings = (JSON.parse(swapped.stdout) as Json).findings;
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'server-config-changed',
          message: expect.stringContaining(
            'env API_KEY now takes ${AWS_SECRET_ACCESS_KEY} (locked: ${MY_TOKEN})',
          ),
        }),
        expect.objectContaining({
          code: 'server-config-changed',
          message: expect.stringContaining(
            'header Authorization now takes Bearer ${GITHUB_TOKEN} (locked: Bearer ${VENDOR_TOKEN})',
          ),
        }),
      ]),
    );
    expect(swapped.stdout).not.toContain('aws-secret-555');
  });
});

/** A raw JSON-RPC client on `mcp-lock run`: lines in, lines out. */
function rawSession(dir: string, extra: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'run', 'fixture', ...extra], {
    cwd: dir,
    env: {
      ...baseEnv(join(dir, '.home')),
      API_TOKEN: PLAIN_SECRET,
      HTTPS_PROXY: 'http://u:proxy-pass-42@127.0.0.1:9',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const replies = new Map<unknown, Record<string, unknown>>();
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let end;
    while ((end = buffer.indexOf('\n')) !== -1) {
      const message = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
      buffer = buffer.slice(end + 1);
      if ('id' in message) replies.set(message.id, message);
    }
  });
  const send = (message: unknown) => child.stdin.write(JSON.stringify(message) + '\n');
  const reply = async (id: unknown) => {
    for (let i = 0; i < 100 && !replies.has(id); i++) await new Promise((r) => setTimeout(r, 50));
    return replies.get(id);
  };
  return { child, send, reply, close: () => child.stdin.end() };
}

describe("the proxy's last gaps", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await lockedProject();
  });

  it('refuses a tool call whose name is not a string, answers an oversized message with an error, and goes on', async () => {
    const session = rawSession(dir, ['--log', 'run.jsonl', '--log-bodies']);
    session.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    expect(await session.reply(1)).toMatchObject({ result: { serverInfo: { name: 'proxy-fixture' } } });
    session.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    session.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 42, arguments: {} } });
    expect(await session.reply(2)).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/name that is a string/) },
    });
    session.child.stdin.write(
      `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"${'x'.repeat(11 * 1024 * 1024)}"}}}\n`,
    );
    expect(await session.reply(3)).toMatchObject({
      error: { code: -32600, message: expect.stringMatching(/larger than/) },
    });
    session.send({
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: `hi ${PLAIN_SECRET} proxy-pass-42` } },
    });
    expect(await session.reply(4)).toMatchObject({
      result: { content: [{ text: expect.stringContaining('echo: hi') }] },
    });
    session.close();
    await new Promise((r) => session.child.once('close', r));
    const log = readText(dir, 'run.jsonl');
    expect(log).toMatch(/"outcome":"refused"/);
    expect(log).toContain('<redacted>');
    expect(log).not.toContain(PLAIN_SECRET);
    expect(log).not.toContain('proxy-pass-42');
  });
});
