import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePackage, packageState } from '../../../src/core/package/compare.js';
import { NpmConfig, resolvePackage } from '../../../src/registry/index.js';
import { startOciRegistry, type FixtureOci } from '../../helpers/oci.js';
import {
  cosignLegacySignature,
  signedStatement,
  startSigstoreMock,
  type SigstoreMock,
} from '../../helpers/sigstore.js';

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const WORKFLOW = (repo: string) => `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/v1`;

let sigstore: SigstoreMock;
let oci: FixtureOci;
let plain: FixtureOci;
beforeAll(async () => {
  sigstore = await startSigstoreMock();
  oci = await startOciRegistry();
  plain = await startOciRegistry({ referrers: false });
});
afterAll(async () => {
  await Promise.all([oci.close(), plain.close(), sigstore.close()]);
});

const npm = new NpmConfig(tmpdir(), {});
const place = () => ({
  cwd: tmpdir(),
  path: process.env.PATH,
  trustedRoot: async () => sigstore.trustedRoot,
});
const resolveImage = async (image: string) => {
  const outcome = await resolvePackage(
    {
      configs: [{ file: '.mcp.json', key: 'k' }],
      transport: 'stdio',
      command: 'docker',
      args: ['run', '-i', image],
    },
    npm,
    place(),
  );
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.pkg!;
};

/** An image (a manifest of its own bytes) in `repository` under `tag`; returns its digest. */
function image(registry: FixtureOci, repository: string, tag: string, content: string): string {
  const layer = registry.blob(Buffer.from(content));
  return registry.manifest(
    repository,
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: layer, size: content.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer, size: content.length }],
    },
    tag,
  );
}

/** Attaches a Sigstore bundle to `subject` as cosign does (an OCI 1.1 artifact manifest referring to it). */
async function attachBundle(
  registry: FixtureOci,
  repository: string,
  subject: string,
  signer: string,
  names = subject,
) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `${registry.host}/${repository}`, digest: { sha256: names.replace('sha256:', '') } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  };
  const bundle = Buffer.from(JSON.stringify(await signedStatement(sigstore, statement, signer)));
  const blob = registry.blob(bundle);
  const empty = registry.blob(Buffer.from('{}'));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: BUNDLE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 },
    layers: [{ mediaType: BUNDLE, digest: blob, size: bundle.length }],
    subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject },
  };
  const digest = registry.manifest(repository, manifest);
  // Without the referrers API, cosign keeps the referrers index under the tag sha256-<hex>.
  registry.manifest(
    repository,
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: manifest.mediaType, digest, size: 0, artifactType: BUNDLE }],
    },
    subject.replace(':', '-'),
  );
}

/** A legacy `sha256-<hex>.sig` signature of `subject`, keyless as `signer` (or made with a key: no certificate). */
async function attachLegacy(
  registry: FixtureOci,
  repository: string,
  subject: string,
  signer: string,
  keyed = false,
) {
  const payload = Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': `${registry.host}/${repository}` },
        image: { 'docker-manifest-digest': subject },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
  const annotations = await cosignLegacySignature(sigstore, payload, signer);
  const layer = registry.blob(payload);
  registry.manifest(
    repository,
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: layer, size: payload.length },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          digest: layer,
          size: payload.length,
          annotations: keyed
            ? { 'dev.cosignproject.cosign/signature': annotations['dev.cosignproject.cosign/signature'] }
            : annotations,
        },
      ],
    },
    `${subject.replace(':', '-')}.sig`,
  );
}

describe('cosign signatures of container images', () => {
  it('a Sigstore bundle attached as a referrer is verified, and names who signed', async () => {
    const digest = image(oci, 'acme/server', 'v1', 'server v1');
    await attachBundle(oci, 'acme/server', digest, WORKFLOW('acme/server'));
    const pkg = await resolveImage(`${oci.host}/acme/server:v1`);
    expect(pkg.integrity).toBe(digest);
    expect(pkg.provenance).toEqual({
      status: 'verified',
      repository: 'https://github.com/acme/server',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/tags/v1',
    });
  });

  it('is found through the referrers tag when the registry has no referrers API', async () => {
    const digest = image(plain, 'acme/server', 'v1', 'server v1 on a plain registry');
    await attachBundle(plain, 'acme/server', digest, WORKFLOW('acme/server'));
    expect((await resolveImage(`${plain.host}/acme/server:v1`)).provenance).toMatchObject({
      status: 'verified',
    });
  });

  it('a legacy .sig signature is verified the same way', async () => {
    const digest = image(oci, 'acme/legacy', 'v1', 'legacy v1');
    await attachLegacy(oci, 'acme/legacy', digest, WORKFLOW('acme/legacy'));
    expect((await resolveImage(`${oci.host}/acme/legacy:v1`)).provenance).toEqual({
      status: 'verified',
      repository: 'https://github.com/acme/legacy',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/tags/v1',
    });
  });

  it('a signature for another image is invalid: package-signature-invalid', async () => {
    const digest = image(oci, 'acme/copied', 'v1', 'copied v1');
    const other = image(oci, 'acme/copied', 'other', 'another image');
    await attachBundle(oci, 'acme/copied', digest, WORKFLOW('acme/copied'), other);
    const pkg = await resolveImage(`${oci.host}/acme/copied:v1`);
    expect(pkg.provenance).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('another image'),
    });
    expect(packageState('s', pkg).map((f) => f.code)).toContain('package-signature-invalid');
  });

  it('an unsigned image, or one signed only with a key, has no provenance: lint, not failure', async () => {
    image(oci, 'acme/unsigned', 'v1', 'unsigned v1');
    const unsigned = await resolveImage(`${oci.host}/acme/unsigned:v1`);
    expect(unsigned.provenance).toEqual({ status: 'missing' });
    expect(packageState('s', unsigned).map((f) => [f.code, f.severity])).toContainEqual([
      'package-provenance-missing',
      'info',
    ]);
    const digest = image(oci, 'acme/keyed', 'v1', 'keyed v1');
    await attachLegacy(oci, 'acme/keyed', digest, WORKFLOW('acme/keyed'), true);
    expect((await resolveImage(`${oci.host}/acme/keyed:v1`)).provenance).toEqual({ status: 'missing' });
  });

  it('a tag moved to an image signed by another repository, or unsigned, is package-provenance-changed', async () => {
    const first = image(oci, 'acme/moving', 'v1', 'moving 1');
    await attachBundle(oci, 'acme/moving', first, WORKFLOW('acme/moving'));
    const locked = await resolveImage(`${oci.host}/acme/moving:v1`);
    const forked = image(oci, 'acme/moving', 'v1', 'moving 2');
    await attachBundle(oci, 'acme/moving', forked, WORKFLOW('evil/fork'));
    const codes = comparePackage('s', locked, await resolveImage(`${oci.host}/acme/moving:v1`)).map(
      (f) => f.code,
    );
    expect(codes).toEqual(expect.arrayContaining(['package-version-changed', 'package-provenance-changed']));
    image(oci, 'acme/moving', 'v1', 'moving 3, unsigned');
    expect(
      comparePackage('s', locked, await resolveImage(`${oci.host}/acme/moving:v1`)).map((f) => f.code),
    ).toContain('package-provenance-changed');
  });
});
