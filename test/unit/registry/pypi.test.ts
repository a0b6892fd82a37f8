import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePackage, packageState } from '../../../src/core/package/compare.js';
import { NpmConfig, resolvePackage } from '../../../src/registry/index.js';
import { pypiIndex } from '../../../src/registry/pypi.js';

/** A PyPI JSON API on 127.0.0.1: releases and their files' sha256, changeable by the test (a re-upload). */
let releases: Record<string, Record<string, string>> = {};
let server: Server;
let index: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const match = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/.exec(req.url ?? '');
    const versions = match && match[1] === 'mcp-server-fetch' ? Object.keys(releases) : [];
    const version = match?.[2] ?? versions[versions.length - 1];
    if (!match || !version || !releases[version]) return res.writeHead(404).end('{}');
    const urls = Object.entries(releases[version]!).map(([filename, sha256]) => ({
      filename,
      digests: { sha256 },
    }));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ info: { version }, urls }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  index = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
  releases = {
    '2025.1.1': {
      'mcp_server_fetch-2025.1.1-py3-none-any.whl': 'a'.repeat(64),
      'mcp_server_fetch-2025.1.1.tar.gz': 'b'.repeat(64),
    },
    '2025.2.0': { 'mcp_server_fetch-2025.2.0-py3-none-any.whl': 'c'.repeat(64) },
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const uvx = (spec: string) => ({
  configs: [{ file: '.mcp.json', key: 'k' }],
  transport: 'stdio' as const,
  command: 'uvx',
  args: [spec],
});
const place = () => ({
  cwd: tmpdir(),
  path: process.env.PATH,
  trustedRoot: async () => ({}),
  env: { UV_INDEX_URL: index },
});
const npm = new NpmConfig(tmpdir(), {});

describe('PyPI packages, from the index of the uv/pip configuration', () => {
  it('takes the index from uv or pip settings, PyPI by default', () => {
    expect(pypiIndex({ PIP_INDEX_URL: 'http://127.0.0.1:1/simple' })).toBe('http://127.0.0.1:1/simple');
    expect(pypiIndex({ UV_DEFAULT_INDEX: 'http://127.0.0.1:2/simple', PIP_INDEX_URL: 'x' })).toBe(
      'http://127.0.0.1:2/simple',
    );
    expect(pypiIndex({})).toMatch(/^https:\/\//);
  });

  it('then from uv.toml and pip.conf, in that order', () => {
    const uv = '# uv\nindex-url = "http://127.0.0.1:3/simple"\n[pip]\nindex-url = "ignored"\n';
    const pip =
      '[global]\ntimeout = 60\nindex-url = http://127.0.0.1:4/simple\n[install]\nindex-url = ignored\n';
    expect(pypiIndex({}, { uv, pip })).toBe('http://127.0.0.1:3/simple');
    expect(pypiIndex({}, { pip })).toBe('http://127.0.0.1:4/simple');
    expect(pypiIndex({ PIP_INDEX_URL: 'http://127.0.0.1:5/simple' }, { uv, pip })).toBe(
      'http://127.0.0.1:5/simple',
    );
  });

  it('reads the user pip.conf of the home folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mcp-lock-pip-'));
    mkdirSync(join(home, '.config', 'pip'), { recursive: true });
    writeFileSync(join(home, '.config', 'pip', 'pip.conf'), `[global]\nindex-url = ${index}\n`);
    const outcome = await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, {
      ...place(),
      env: { HOME: home },
    });
    expect(outcome).toMatchObject({ ok: true, pkg: { version: '2025.1.1' } });
  });

  it('pins an exact release with the sha256 of every file', async () => {
    const outcome = await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, place());
    expect(outcome).toMatchObject({
      ok: true,
      latest: '2025.2.0',
      pkg: {
        type: 'pypi',
        version: '2025.1.1',
        pinned: true,
        files: { 'mcp_server_fetch-2025.1.1.tar.gz': `sha256:${'b'.repeat(64)}` },
      },
    });
  });

  it('an unpinned spec resolves to the newest release and is reported unpinned', async () => {
    const outcome = await resolvePackage(uvx('mcp-server-fetch'), npm, place());
    expect(outcome.ok && outcome.pkg).toMatchObject({ version: '2025.2.0', pinned: false });
    expect(outcome.ok && packageState('s', outcome.pkg!).map((f) => f.code)).toEqual(['package-unpinned']);
  });

  it('a file re-uploaded under the same version is package-integrity-mismatch', async () => {
    const before = await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, place());
    releases['2025.1.1']!['mcp_server_fetch-2025.1.1.tar.gz'] = 'd'.repeat(64);
    const after = await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, place());
    expect(before.ok && after.ok && comparePackage('s', before.pkg, after.pkg).map((f) => f.code)).toEqual([
      'package-integrity-mismatch',
    ]);
  });

  it('a release that does not exist cannot be resolved', async () => {
    expect(await resolvePackage(uvx('mcp-server-fetch==9.9.9'), npm, place())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/404/),
    });
  });
});
