import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePackage, packageState } from '../../../src/core/package/compare.js';
import { NpmConfig, resolvePackage } from '../../../src/registry/index.js';
import { parseImage } from '../../../src/registry/oci.js';

/** An OCI distribution API on 127.0.0.1 that wants a bearer token from its own token endpoint, as public registries do. */
const manifests: Record<string, string> = {};
let server: Server;
let host: string;
const PRIVATE_AUTH = Buffer.from('bot:ghp_PrivateSecret123').toString('base64');
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // A private repository: its pull token only for the stored credentials.
    const isPrivate = url.pathname.startsWith('/v2/private/app/');
    if (url.pathname === '/token' && url.searchParams.get('scope') === 'repository:private/app:pull') {
      if (req.headers.authorization !== `Basic ${PRIVATE_AUTH}`) return res.writeHead(401).end();
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: 'private-token' }));
    }
    if (isPrivate) {
      if (req.headers.authorization !== 'Bearer private-token') {
        return res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="http://${host}/token",service="fixture",scope="repository:private/app:pull"`,
          })
          .end();
      }
      if (url.pathname === '/v2/private/app/manifests/1.0') {
        return res
          .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
          .end(manifests['1.0']);
      }
      return res.writeHead(404).end();
    }
    if (url.pathname === '/token') {
      expect(url.searchParams.get('scope')).toBe('repository:mcp/fetch:pull');
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: 'pull-token' }));
    }
    if (req.headers.authorization !== 'Bearer pull-token') {
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/token",service="fixture",scope="repository:mcp/fetch:pull"`,
        })
        .end();
    }
    const match = /^\/v2\/mcp\/fetch\/manifests\/(.+)$/.exec(url.pathname);
    const body = match && (manifests[match[1]!] ?? Object.values(manifests).find((m) => sha(m) === match[1]));
    if (!body) return res.writeHead(404).end();
    res
      .writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'docker-content-digest': sha(body),
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  manifests['1.0'] = JSON.stringify({
    schemaVersion: 2,
    manifests: [{ digest: 'sha256:' + 'a'.repeat(64) }],
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const docker = (image: string) => ({
  configs: [{ file: '.mcp.json', key: 'k' }],
  transport: 'stdio' as const,
  command: 'docker',
  args: ['run', '-i', '--rm', image],
});
const place = { cwd: tmpdir(), path: process.env.PATH, trustedRoot: async () => ({}) };
const npm = new NpmConfig(tmpdir(), {});

describe('container images', () => {
  it('reads references the way docker does', () => {
    expect(parseImage('mcp/fetch')).toEqual({
      registry: 'registry-1.docker.io',
      repository: 'mcp/fetch',
      reference: 'latest',
    });
    expect(parseImage('alpine:3')).toEqual({
      registry: 'registry-1.docker.io',
      repository: 'library/alpine',
      reference: '3',
    });
    expect(parseImage('ghcr.io/github/github-mcp-server:v1')).toEqual({
      registry: 'ghcr.io',
      repository: 'github/github-mcp-server',
      reference: 'v1',
    });
    expect(parseImage(`localhost:5000/a/b@sha256:${'f'.repeat(64)}`).reference).toBe(
      `sha256:${'f'.repeat(64)}`,
    );
  });

  it('resolves a tag to its digest through the anonymous token flow, and reports the tag unpinned', async () => {
    const outcome = await resolvePackage(docker(`${host}/mcp/fetch:1.0`), npm, place);
    expect(outcome).toMatchObject({
      ok: true,
      pkg: { type: 'oci', version: '1.0', pinned: false, integrity: sha(manifests['1.0']!) },
    });
    // The signature lookups went through the same token flow and found no cosign signature: lint only.
    expect(outcome.ok && outcome.pkg?.provenance).toEqual({ status: 'missing' });
    expect(outcome.ok && packageState('s', outcome.pkg!).map((f) => f.code)).toEqual([
      'package-unpinned',
      'package-provenance-missing',
    ]);
  });

  it('a digest reference is pinned and checked', async () => {
    const digest = sha(manifests['1.0']!);
    const outcome = await resolvePackage(docker(`${host}/mcp/fetch@${digest}`), npm, place);
    expect(outcome).toMatchObject({ ok: true, pkg: { pinned: true, integrity: digest } });
  });

  it('a tag moved to another image is package-version-changed', async () => {
    const before = await resolvePackage(docker(`${host}/mcp/fetch:1.0`), npm, place);
    manifests['1.0'] = JSON.stringify({
      schemaVersion: 2,
      manifests: [{ digest: 'sha256:' + 'b'.repeat(64) }],
    });
    const after = await resolvePackage(docker(`${host}/mcp/fetch:1.0`), npm, place);
    expect(before.ok && after.ok && comparePackage('s', before.pkg, after.pkg).map((f) => f.code)).toEqual([
      'package-version-changed',
    ]);
  });

  it('a private repository is read with the credentials docker login stored, which are written nowhere', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const home = mkdtempSync(join(tmpdir(), 'mcp-lock-docker-'));
    const image = docker(`${host}/private/app:1.0`);
    const anonymous = await resolvePackage(image, npm, { ...place, env: { HOME: home } });
    expect(anonymous).toMatchObject({ ok: false, reason: expect.stringContaining('wants credentials') });
    mkdirSync(join(home, '.docker'));
    writeFileSync(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ auths: { [host]: { auth: PRIVATE_AUTH } } }),
    );
    const signedIn = await resolvePackage(image, npm, { ...place, env: { HOME: home } });
    expect(signedIn).toMatchObject({ ok: true, pkg: { integrity: sha(manifests['1.0']!) } });
    expect(JSON.stringify(signedIn)).not.toContain(PRIVATE_AUTH);
  });
});
