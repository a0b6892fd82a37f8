import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePackage, packageState } from '../../../src/core/package/compare.js';
import { NpmConfig, resolvePackage } from '../../../src/registry/index.js';
import { pypiIndex, pypiIndexes, pypiVulnerabilities } from '../../../src/registry/pypi.js';
import { releaseFindings } from '../../../src/core/package/advisories.js';
import { pypiProvenance, startSigstoreMock, type SigstoreMock } from '../../helpers/sigstore.js';

/** What the fixture index lists as vulnerabilities of each mcp-server-fetch release. */
const VULNERABLE: Record<string, unknown[]> = {
  '2025.1.1': [
    {
      id: 'PYSEC-2026-101',
      aliases: ['CVE-2026-10101'],
      summary: 'Server-side request forgery through redirects',
      fixed_in: ['2025.10.0', '2025.2.0'],
      link: 'https://osv.dev/vulnerability/PYSEC-2026-101',
      withdrawn: null,
    },
    { id: 'PYSEC-2026-9', summary: 'Withdrawn report', fixed_in: [], withdrawn: '2026-02-01T00:00:00Z' },
  ],
};

/** A PyPI JSON API on 127.0.0.1: releases and their files' sha256, changeable by the test (a re-upload). */
let releases: Record<string, Record<string, string>> = {};
/** A second project whose files carry PEP 740 provenance, served by the integrity API. */
const attested: Record<string, Record<string, string>> = {};
const provenances = new Map<string, unknown>();
let sigstore: SigstoreMock;
let server: Server;
let index: string;
beforeAll(async () => {
  sigstore = await startSigstoreMock();
  server = createServer((req, res) => {
    // A private index under /private/: only with the credentials.
    if (req.url?.startsWith('/private/')) {
      if (req.headers.authorization !== `Basic ${Buffer.from('deploy:pypi-Secret123').toString('base64')}`)
        return res.writeHead(401).end('{}');
      req.url = req.url.slice('/private'.length);
    }
    const integrity = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(req.url ?? '');
    if (integrity) {
      const body = provenances.get(decodeURIComponent(integrity[3]!));
      return body
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
        : res.writeHead(404).end('{}');
    }
    const match = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/.exec(req.url ?? '');
    const project = match?.[1] === 'attested-server' ? attested : releases;
    const versions =
      match && (match[1] === 'mcp-server-fetch' || match[1] === 'attested-server')
        ? Object.keys(project)
        : [];
    const version = match?.[2] ?? versions[versions.length - 1];
    if (!match || !version || !project[version]) return res.writeHead(404).end('{}');
    const urls = Object.entries(project[version]!).map(([filename, sha256]) => ({
      filename,
      digests: { sha256 },
    }));
    // PyPI lists a release's known vulnerabilities (OSV); the attested project's index carries no such field.
    const vulnerabilities = match[1] === 'mcp-server-fetch' ? (VULNERABLE[version] ?? []) : undefined;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ info: { version }, urls, ...(vulnerabilities ? { vulnerabilities } : {}) }));
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
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await sigstore.close();
});

const uvx = (spec: string) => ({
  configs: [{ file: '.mcp.json', key: 'k' }],
  transport: 'stdio' as const,
  command: 'uvx',
  args: [spec],
});
const place = () => ({
  cwd: tmpdir(),
  path: process.env.PATH,
  trustedRoot: async () => sigstore.trustedRoot,
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

  it("searches uv's [[index]] tables first, in order, then the default index", () => {
    const uv = `
[[index]]
name = "internal"
url = "http://127.0.0.1:6/simple"

[[index]]
name = "pinned-only"
url = "http://127.0.0.1:7/simple"
explicit = true

[[index]]
name = "mirror"
url = "http://127.0.0.1:8/simple"
default = true
`;
    expect(pypiIndexes({}, { uv })).toEqual(['http://127.0.0.1:6/simple', 'http://127.0.0.1:8/simple']);
    expect(pypiIndexes({ UV_INDEX: 'extra=http://127.0.0.1:9/simple' }, { uv })).toEqual([
      'http://127.0.0.1:9/simple',
      'http://127.0.0.1:6/simple',
      'http://127.0.0.1:8/simple',
    ]);
    expect(pypiIndexes({}, { uv: '[[index]]\nurl = "http://127.0.0.1:6/simple"\n' }).at(-1)).toMatch(
      /^https:\/\//,
    );
    expect(pypiIndexes({}, { uv: 'not = [toml' })).toEqual([pypiIndex({})]);
  });

  it('takes a project from the first index that has it, as uv does', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mcp-lock-uv-'));
    mkdirSync(join(home, '.config', 'uv'), { recursive: true });
    const write = (text: string) => writeFileSync(join(home, '.config', 'uv', 'uv.toml'), text);
    // An index without the project, then the one with it as the default.
    write(
      `[[index]]\nurl = "${index.replace('/simple', '/empty/simple')}"\n\n[[index]]\nurl = "${index}"\ndefault = true\n`,
    );
    expect(
      await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, { ...place(), env: { HOME: home } }),
    ).toMatchObject({
      ok: true,
      pkg: { version: '2025.1.1' },
    });
    // The index that has it first: the default (nothing listens there) is never asked.
    write(`[[index]]\nurl = "${index}"\n\n[[index]]\nurl = "http://127.0.0.1:1/simple"\ndefault = true\n`);
    expect(
      await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, { ...place(), env: { HOME: home } }),
    ).toMatchObject({
      ok: true,
      pkg: { version: '2025.1.1' },
    });
  });

  it('sends the credentials of an index URL as a header, and gets in', async () => {
    const priv = index
      .replace('http://', 'http://deploy:pypi-Secret123@')
      .replace('/simple', '/private/simple');
    const outcome = await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, {
      ...place(),
      env: { UV_INDEX_URL: priv },
    });
    expect(outcome).toMatchObject({ ok: true, pkg: { version: '2025.1.1' } });
    expect(JSON.stringify(outcome)).not.toContain('pypi-Secret123');
    const without = await resolvePackage(uvx('mcp-server-fetch==2025.1.1'), npm, {
      ...place(),
      env: { UV_INDEX_URL: index.replace('/simple', '/private/simple') },
    });
    expect(without).toMatchObject({ ok: false, reason: expect.stringContaining('401') });
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
    // And, since this index has no provenance for it, the lint finding every unattested package gets.
    expect(outcome.ok && packageState('s', outcome.pkg!).map((f) => f.code)).toEqual([
      'package-unpinned',
      'package-provenance-missing',
    ]);
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

describe('PEP 740 provenance from the integrity API', () => {
  const sha = (c: string) => c.repeat(64);
  /** Publishes a release of attested-server whose files are attested as `attest` says (null: no provenance). */
  async function release(
    version: string,
    files: Record<
      string,
      { sha: string; attest: null | { repository?: string; statementSha?: string; signedAs?: string } }
    >,
  ) {
    attested[version] = Object.fromEntries(Object.entries(files).map(([f, v]) => [f, v.sha]));
    for (const [filename, { sha: fileSha, attest }] of Object.entries(files)) {
      if (!attest) continue;
      provenances.set(
        filename,
        await pypiProvenance(
          sigstore,
          filename,
          attest.statementSha ?? fileSha,
          {
            repository: attest.repository ?? 'acme/fetch',
            workflow: 'release.yml',
            ref: `refs/tags/v${version}`,
          },
          attest.signedAs,
        ),
      );
    }
    return resolvePackage(uvx(`attested-server==${version}`), npm, place());
  }

  it('verifies every file and records the publisher', async () => {
    const outcome = await release('1.0.0', {
      'attested_server-1.0.0-py3-none-any.whl': { sha: sha('1'), attest: {} },
      'attested_server-1.0.0.tar.gz': { sha: sha('2'), attest: {} },
    });
    expect(outcome.ok && outcome.pkg?.provenance).toEqual({
      status: 'verified',
      repository: 'https://github.com/acme/fetch',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/tags/v1.0.0',
    });
  });

  it('a release without provenance is missing, which is lint, not failure', async () => {
    const outcome = await release('0.9.0', {
      'attested_server-0.9.0.tar.gz': { sha: sha('3'), attest: null },
    });
    expect(outcome.ok && outcome.pkg?.provenance).toEqual({ status: 'missing' });
  });

  it('an attestation for other bytes is invalid', async () => {
    const outcome = await release('1.0.1', {
      'attested_server-1.0.1.tar.gz': { sha: sha('4'), attest: { statementSha: sha('5') } },
    });
    expect(outcome.ok && outcome.pkg?.provenance).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('another file'),
    });
  });

  it('a certificate of another workflow than the publisher named is invalid', async () => {
    const outcome = await release('1.0.2', {
      'attested_server-1.0.2.tar.gz': {
        sha: sha('6'),
        attest: { signedAs: 'https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main' },
      },
    });
    expect(outcome.ok && outcome.pkg?.provenance).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('is not the workflow the publisher names'),
    });
  });

  it('a file without provenance beside attested ones fails the release', async () => {
    const outcome = await release('1.0.3', {
      'attested_server-1.0.3-py3-none-any.whl': { sha: sha('7'), attest: {} },
      'attested_server-1.0.3.tar.gz': { sha: sha('8'), attest: null },
    });
    expect(outcome.ok && outcome.pkg?.provenance).toMatchObject({
      status: 'invalid',
      reason: 'attested_server-1.0.3.tar.gz has no provenance, while other files of the release do',
    });
  });

  it('a later release from another repository, or without provenance, is package-provenance-changed', async () => {
    const before = await release('1.0.0', {
      'attested_server-1.0.0-py3-none-any.whl': { sha: sha('1'), attest: {} },
      'attested_server-1.0.0.tar.gz': { sha: sha('2'), attest: {} },
    });
    const moved = await release('2.0.0', {
      'attested_server-2.0.0.tar.gz': { sha: sha('9'), attest: { repository: 'evil/fork' } },
    });
    const lost = await release('3.0.0', { 'attested_server-3.0.0.tar.gz': { sha: sha('a'), attest: null } });
    const codes = (after: typeof moved) =>
      before.ok && after.ok ? comparePackage('s', before.pkg, after.pkg).map((f) => f.code) : [];
    expect(codes(moved)).toContain('package-provenance-changed');
    expect(codes(lost)).toContain('package-provenance-changed');
  });
});

describe('vulnerabilities of a locked release', () => {
  it('are read from the JSON API of the index uv takes the release from, withdrawn ones left out', async () => {
    const found = await pypiVulnerabilities('mcp-server-fetch', '2025.1.1', { UV_INDEX_URL: index });
    expect('vulnerabilities' in found && found.vulnerabilities).toHaveLength(2);
    const findings = releaseFindings(
      'fetch',
      { name: 'mcp-server-fetch', version: '2025.1.1' },
      'vulnerabilities' in found ? found.vulnerabilities : [],
    );
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'package-vulnerable',
        severity: 'high',
        before: '2025.1.1',
        after: '2025.2.0',
        message: expect.stringContaining('PYSEC-2026-101 (CVE-2026-10101): Server-side request forgery'),
      }),
    ]);
    expect(await pypiVulnerabilities('mcp-server-fetch', '2025.2.0', { UV_INDEX_URL: index })).toEqual({
      vulnerabilities: [],
    });
  });

  it('an index without the field, without the release, or that cannot answer is not checked, never clean', async () => {
    expect(await pypiVulnerabilities('attested-server', '1.0.0', { UV_INDEX_URL: index })).toEqual({
      unchecked: expect.stringContaining('no vulnerabilities field'),
    });
    expect(await pypiVulnerabilities('mcp-server-fetch', '9.9.9', { UV_INDEX_URL: index })).toEqual({
      unchecked: expect.stringContaining('no index has'),
    });
    expect(
      await pypiVulnerabilities('mcp-server-fetch', '2025.1.1', {
        UV_INDEX_URL: 'http://127.0.0.1:9/simple',
      }),
    ).toEqual({ unchecked: expect.stringContaining('could not be asked') });
  });
});
