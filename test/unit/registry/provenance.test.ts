import { tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePackage, packageState } from '../../../src/core/package/compare.js';
import { NpmConfig, resolvePackage } from '../../../src/registry/index.js';
import { startRegistry, type FixtureRegistry } from '../../helpers/registry.js';
import {
  npmProvenance,
  npmPublishAttestation,
  startSigstoreMock,
  type SigstoreMock,
} from '../../helpers/sigstore.js';

const REPO = 'https://github.com/acme/weather';
const WORKFLOW = '.github/workflows/publish.yml';

let sigstore: SigstoreMock;
let registry: FixtureRegistry;
let config: NpmConfig;

const provenance = (
  name: string,
  version: string,
  bytes: Buffer,
  workflow?: { repository: string; path: string; ref: string },
) => npmProvenance(sigstore, name, version, bytes, workflow);

const PLACE = () => ({
  cwd: tmpdir(),
  path: process.env.PATH,
  trustedRoot: async () => sigstore.trustedRoot,
});
const npx = (spec: string) => ({
  configs: [{ file: '.mcp.json', key: 'k' }],
  transport: 'stdio' as const,
  command: 'npx',
  args: ['-y', spec],
});

beforeAll(async () => {
  sigstore = await startSigstoreMock();
  registry = await startRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'mcp-lock-prov-'));
  writeFileSync(join(dir, '.npmrc'), `registry=${registry.url}/\n`);
  config = new NpmConfig(dir, { PATH: process.env.PATH, HOME: dir });
  const v1 = Buffer.from('weather 1.0.0');
  const v2 = Buffer.from('weather 2.0.0');
  const v3 = Buffer.from('weather 3.0.0');
  const v4 = Buffer.from('weather 4.0.0');
  registry.publish('weather-mcp', [
    { version: '1.0.0', tarball: v1, attestations: await provenance('weather-mcp', '1.0.0', v1) },
    // Provenance made for other bytes than the ones published.
    { version: '1.0.1', tarball: v2, attestations: await provenance('weather-mcp', '1.0.1', v1) },
    // A later release built from someone else's repository.
    {
      version: '2.0.0',
      tarball: v2,
      attestations: await provenance('weather-mcp', '2.0.0', v2, {
        repository: 'https://github.com/evil/fork',
        path: WORKFLOW,
        ref: 'refs/heads/main',
      }),
    },
    // A later release without any provenance.
    { version: '3.0.0', tarball: v3 },
    // npm's publish attestation beside the SLSA provenance: by the registry's key; by a key it does not publish;
    // for other bytes.
    {
      version: '4.0.0',
      tarball: v4,
      attestations: [
        ...(await provenance('weather-mcp', '4.0.0', v4)),
        await npmPublishAttestation(sigstore, registry.keys.registry, 'weather-mcp', '4.0.0', v4),
      ],
    },
    {
      version: '4.0.1',
      tarball: v4,
      attestations: [
        ...(await provenance('weather-mcp', '4.0.1', v4)),
        await npmPublishAttestation(sigstore, registry.keys.unknown, 'weather-mcp', '4.0.1', v4),
      ],
    },
    {
      version: '4.0.2',
      tarball: v4,
      attestations: [
        ...(await provenance('weather-mcp', '4.0.2', v4)),
        await npmPublishAttestation(sigstore, registry.keys.registry, 'weather-mcp', '4.0.2', v1),
      ],
    },
  ]);
});
afterAll(async () => {
  await registry.close();
  await sigstore.close();
});

describe('npm build provenance, verified with Sigstore', () => {
  it('verifies SLSA provenance bound to the tarball and its workflow, and records the publisher', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.0.0'), config, PLACE());
    expect(outcome.ok && outcome.pkg!.provenance).toEqual({
      status: 'verified',
      repository: REPO,
      workflow: WORKFLOW,
      ref: 'refs/tags/v1.0.0',
      builder: 'https://github.com/actions/runner/github-hosted',
    });
    expect(outcome.ok && packageState('s', outcome.pkg!)).toEqual([]);
  });

  it('provenance for a different tarball fails', async () => {
    const outcome = await resolvePackage(npx('weather-mcp@1.0.1'), config, PLACE());
    expect(outcome.ok && outcome.pkg!.provenance).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/another artifact/),
    });
    expect(outcome.ok && packageState('s', outcome.pkg!).map((f) => f.code)).toEqual([
      'package-signature-invalid',
    ]);
  });

  it('provenance checked against another trusted root fails', async () => {
    const other = await startSigstoreMock();
    try {
      const outcome = await resolvePackage(npx('weather-mcp@1.0.0'), config, {
        ...PLACE(),
        trustedRoot: async () => other.trustedRoot,
      });
      expect(outcome.ok && outcome.pkg!.provenance?.status).toBe('invalid');
    } finally {
      await other.close();
    }
  });

  it('a later version from another repository, or without provenance, is package-provenance-changed', async () => {
    const [locked, moved, lost] = await Promise.all(
      ['1.0.0', '2.0.0', '3.0.0'].map((v) => resolvePackage(npx(`weather-mcp@${v}`), config, PLACE())),
    );
    if (!locked!.ok || !moved!.ok || !lost!.ok) throw new Error('not resolved');
    expect(moved!.pkg!.provenance).toMatchObject({
      status: 'verified',
      repository: 'https://github.com/evil/fork',
    });
    expect(comparePackage('s', locked!.pkg, moved!.pkg).map((f) => f.code)).toEqual([
      'package-version-changed',
      'package-provenance-changed',
    ]);
    expect(comparePackage('s', locked!.pkg, lost!.pkg).map((f) => f.code)).toEqual([
      'package-version-changed',
      'package-provenance-changed',
    ]);
    expect(packageState('s', lost!.pkg!).map((f) => [f.code, f.severity])).toEqual([
      ['package-provenance-missing', 'info'],
    ]);
  });
});

describe("npm's publish attestation", () => {
  it("is verified with the registry's published key and recorded", async () => {
    const outcome = await resolvePackage(npx('weather-mcp@4.0.0'), config, PLACE());
    expect(outcome.ok && outcome.pkg!.provenance).toMatchObject({ status: 'verified', publish: 'verified' });
  });

  it('signed by a key the registry does not publish, or for other bytes, fails the provenance', async () => {
    const unknown = await resolvePackage(npx('weather-mcp@4.0.1'), config, PLACE());
    expect(unknown.ok && unknown.pkg!.provenance).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('a key the registry does not publish'),
    });
    const other = await resolvePackage(npx('weather-mcp@4.0.2'), config, PLACE());
    expect(other.ok && other.pkg!.provenance).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('another artifact'),
    });
    expect(other.ok && packageState('s', other.pkg!).map((f) => f.code)).toEqual([
      'package-signature-invalid',
    ]);
  });
});
