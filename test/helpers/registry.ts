import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from './cli.js';

export interface FixtureVersion {
  version: string;
  /** The bytes published; `served` (when set) is what the tarball URL actually returns. */
  tarball: Buffer;
  served?: Buffer;
  /** Sign with the registry key (default), an unknown key, or not at all. */
  signedBy?: 'registry' | 'unknown' | 'none';
  /** More fields of the version's manifest (`bin`, `dependencies`…), as npm needs them to run the package. */
  manifest?: Record<string, unknown>;
  /** Attestation bundles served at the version's attestations URL, as npm's registry serves them. */
  attestations?: { predicateType: string; bundle: unknown }[];
}

export interface FixtureRegistry {
  url: string;
  /** Replaces the versions of a package and its dist-tags (what `latest` points at). */
  publish(name: string, versions: FixtureVersion[], tags?: Record<string, string>): void;
  /** The registry's signing key (and one it does not publish), for npm publish attestations made by a test. */
  keys: {
    registry: { privateKey: KeyObject; keyid: string };
    unknown: { privateKey: KeyObject; keyid: string };
  };
  /** How many requests each path got (`-/npm/v1/keys`, `weather-mcp`, …). */
  requests: Map<string, number>;
  /** How many of them were answered 304 Not Modified (with `validators`). */
  notModified: Map<string, number>;
  /** Publishes advisories for a package, served by the bulk advisory endpoint as npm's registry serves them. */
  advise(name: string, advisories: Record<string, unknown>[]): void;
  /** What the bulk advisory endpoint was asked, request by request. */
  advisoryQueries: Record<string, string[]>[];
  close(): Promise<void>;
}

const keyid = (key: KeyObject) =>
  'SHA256:' +
  createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('base64')
    .replace(/=+$/, '');

/**
 * An npm registry on 127.0.0.1: packuments, tarballs and the signing-keys endpoint, with signatures made at test
 * time by a key generated here. `withKeys: false` is a mirror that strips signatures and serves no keys; `token` makes it
 * a private registry that answers 401 to any request without that bearer token.
 */
export async function startRegistry(
  options: {
    withKeys?: boolean;
    token?: string;
    /** Packuments carry an ETag and a matching If-None-Match is answered 304, as npm's registry does. */
    validators?: boolean;
    /** A Cache-Control header on packuments (`max-age=300` on npm's registry). */
    cacheControl?: string;
    /** The bulk advisory endpoint answers with this status instead (a mirror without it: 404 or 405). */
    advisoryStatus?: number;
  } = {},
): Promise<FixtureRegistry> {
  const registryKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const packages = new Map<string, { versions: FixtureVersion[]; tags: Record<string, string> }>();
  const requests = new Map<string, number>();
  const notModified = new Map<string, number>();
  const advisories = new Map<string, Record<string, unknown>[]>();
  const advisoryQueries: Record<string, string[]>[] = [];
  // ECDSA signatures differ each time they are made: made once, so a packument's bytes change only when it does.
  const signatures = new Map<string, string>();
  const signOnce = (message: string, key: KeyObject): string => {
    const id = `${key === otherKey.privateKey ? 'other' : 'registry'} ${message}`;
    let sig = signatures.get(id);
    if (!sig) signatures.set(id, (sig = sign('sha256', Buffer.from(message), key).toString('base64')));
    return sig;
  };
  const server: Server = createServer((req, res) => {
    // A private registry: nothing without the token.
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":"authentication required"}');
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (path === '-/npm/v1/keys') {
      if (options.withKeys === false) return res.writeHead(404).end('{}');
      const key = registryKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          keys: [
            {
              keyid: keyid(registryKey.publicKey),
              keytype: 'ecdsa-sha2-nistp256',
              scheme: 'ecdsa-sha2-nistp256',
              key,
              expires: null,
            },
          ],
        }),
      );
    }
    if (path === '-/npm/v1/security/advisories/bulk') {
      if (options.advisoryStatus !== undefined) return res.writeHead(options.advisoryStatus).end('{}');
      if (req.method !== 'POST') return res.writeHead(405).end('{}');
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // npm itself (npx, npm ci) sends its audit query gzipped.
        const raw = Buffer.concat(chunks);
        let asked: Record<string, string[]>;
        try {
          const text =
            req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
          asked = JSON.parse(text) as Record<string, string[]>;
        } catch {
          return res.writeHead(400).end('{}');
        }
        advisoryQueries.push(asked);
        const answer = Object.fromEntries(
          Object.keys(asked)
            .filter((name) => advisories.has(name))
            .map((name) => [name, advisories.get(name)]),
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
      return;
    }
    const attested = /^-\/npm\/v1\/attestations\/(.+)@([^@]+)$/.exec(path);
    if (attested) {
      const v = packages.get(attested[1]!)?.versions.find((x) => x.version === attested[2]);
      if (!v?.attestations) return res.writeHead(404).end('{}');
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ attestations: v.attestations }));
    }
    const tarball = /^(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tarball) {
      const v = packages.get(tarball[1]!)?.versions.find((x) => x.version === tarball[2]);
      return v
        ? res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(v.served ?? v.tarball)
        : res.writeHead(404).end();
    }
    const pkg = packages.get(path);
    if (!pkg) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const versions = Object.fromEntries(
      pkg.versions.map((v) => {
        const integrity = `sha512-${createHash('sha512').update(v.tarball).digest('base64')}`;
        const signer = v.signedBy === 'unknown' ? otherKey : registryKey;
        const signatures =
          v.signedBy === 'none' || options.withKeys === false
            ? undefined
            : [
                {
                  keyid: keyid(signer.publicKey),
                  sig: signOnce(`${path}@${v.version}:${integrity}`, signer.privateKey),
                },
              ];
        const base = path.split('/').pop();
        return [
          v.version,
          {
            ...v.manifest,
            name: path,
            version: v.version,
            dist: {
              integrity,
              tarball: `${url}/${path}/-/${base}-${v.version}.tgz`,
              ...(signatures ? { signatures } : {}),
              ...(v.attestations
                ? { attestations: { url: `${url}/-/npm/v1/attestations/${path}@${v.version}` } }
                : {}),
            },
          },
        ];
      }),
    );
    const body = JSON.stringify({ name: path, 'dist-tags': pkg.tags, versions, time: {} });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.cacheControl) headers['cache-control'] = options.cacheControl;
    if (options.validators) {
      headers.etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === headers.etag) {
        notModified.set(path, (notModified.get(path) ?? 0) + 1);
        return res.writeHead(304, headers).end();
      }
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    notModified,
    advisoryQueries,
    advise(name, list) {
      advisories.set(name, list);
    },
    keys: {
      registry: { privateKey: registryKey.privateKey, keyid: keyid(registryKey.publicKey) },
      unknown: { privateKey: otherKey.privateKey, keyid: keyid(otherKey.publicKey) },
    },
    publish(name, versions, tags) {
      packages.set(name, { versions, tags: tags ?? { latest: versions[versions.length - 1]!.version } });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A real npm tarball (`npm pack`) of the fixture MCP server, or, named otherwise, of a library with its code. */
export function packFixture(version: string, name = 'weather-mcp'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-pkg-'));
  copyFileSync(join(ROOT, 'test/fixtures/npm-package/server.js'), join(dir, 'server.js'));
  const bin = name === 'weather-mcp' ? { bin: { 'weather-mcp': 'server.js' } } : {};
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version, ...bin }));
  const file = execFileSync('npm', ['pack', '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
  return readFileSync(join(dir, file));
}
