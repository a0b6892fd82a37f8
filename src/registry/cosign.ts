import { createHash } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { workflowIdentity } from './identity.js';
import type { Provenance } from './provenance.js';

export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** GETs a path of one repository of an OCI registry (token flow done by the caller's client). */
export type OciGet = (path: string, accept: string) => Promise<Response>;

interface Descriptor {
  digest?: string;
  mediaType?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** One cosign signature found for the image, verified or not. */
type Checked = { ok: true; san: string } | { ok: false; reason: string } | { skipped: string };

async function json<T>(response: Response): Promise<T | undefined> {
  return response.ok ? ((await response.json()) as T) : undefined;
}

/** A blob, checked against its digest: a registry cannot hand over other bytes under a digest. */
async function blob(get: OciGet, digest: string): Promise<Buffer> {
  const response = await get(`blobs/${digest}`, '*/*');
  if (!response.ok) throw new Error(`blob ${digest}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== digest)
    throw new Error(`blob ${digest} does not have that digest`);
  return bytes;
}

function verifier(trustedRoot: unknown): Verifier {
  // Keyless: the certificate from the trusted root's CA, and a transparency log entry, as cosign writes them.
  return new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1,
  });
}

/** A Sigstore bundle attached as an OCI referrer: a DSSE statement whose subject is this image's digest. */
function checkBundle(bytes: Buffer, digest: string, trustedRoot: unknown): Checked {
  try {
    const bundle = bundleFromJSON(JSON.parse(bytes.toString('utf8')));
    if (bundle.content.$case !== 'dsseEnvelope') return { skipped: 'a message-signature bundle' };
    const san = verifier(trustedRoot).verify(toSignedEntity(bundle)).identity?.subjectAlternativeName ?? '';
    const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as {
      subject?: { digest?: Record<string, string> }[];
    };
    const hex = digest.replace(/^sha256:/, '');
    if (!statement.subject?.some((s) => s.digest?.sha256 === hex))
      return { ok: false, reason: `a signature bundle names another image than ${digest}` };
    return { ok: true, san };
  } catch (error) {
    return { ok: false, reason: `a signature bundle does not verify (${(error as Error).message})` };
  }
}

/**
 * A legacy cosign signature (`sha256-<hex>.sig` tag): the simple-signing payload, its signature, certificate and
 * Rekor entry from the layer's annotations, rebuilt as the Sigstore bundle they amount to and verified over the
 * payload, which must name this image's digest.
 */
function checkLegacy(
  payload: Buffer,
  annotations: Record<string, string>,
  digest: string,
  trustedRoot: unknown,
): Checked {
  const signature = annotations['dev.cosignproject.cosign/signature'];
  const pem = annotations['dev.sigstore.cosign/certificate'];
  const rekor = annotations['dev.sigstore.cosign/bundle'];
  if (!signature) return { ok: false, reason: 'a signature layer carries no signature' };
  if (!pem || !rekor) return { skipped: 'a signature made with a key (not keyless)' };
  try {
    const entry = JSON.parse(rekor) as {
      SignedEntryTimestamp: string;
      Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
    };
    const body = JSON.parse(Buffer.from(entry.Payload.body, 'base64').toString('utf8')) as {
      kind: string;
      apiVersion: string;
    };
    const certificate = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    const bundle = bundleFromJSON({
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: certificate }] },
        tlogEntries: [
          {
            logIndex: String(entry.Payload.logIndex),
            logId: { keyId: Buffer.from(entry.Payload.logID, 'hex').toString('base64') },
            kindVersion: { kind: body.kind, version: body.apiVersion },
            integratedTime: String(entry.Payload.integratedTime),
            inclusionPromise: { signedEntryTimestamp: entry.SignedEntryTimestamp },
            canonicalizedBody: entry.Payload.body,
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      messageSignature: {
        messageDigest: {
          algorithm: 'SHA2_256',
          digest: createHash('sha256').update(payload).digest('base64'),
        },
        signature,
      },
    });
    const san =
      verifier(trustedRoot).verify(toSignedEntity(bundle, payload)).identity?.subjectAlternativeName ?? '';
    const claimed = (
      JSON.parse(payload.toString('utf8')) as { critical?: { image?: Record<string, string> } }
    ).critical?.image?.['docker-manifest-digest'];
    if (claimed !== digest)
      return { ok: false, reason: `a signature is for another image (${claimed ?? 'none'})` };
    return { ok: true, san };
  } catch (error) {
    return { ok: false, reason: `a signature does not verify (${(error as Error).message})` };
  }
}

/** Sigstore bundles attached through the referrers API, or its tag fallback (`sha256-<hex>`). */
async function referrerBundles(get: OciGet, digest: string): Promise<Buffer[] | 'no-metadata'> {
  let response = await get(`referrers/${digest}`, INDEX);
  if (response.status === 404) response = await get(`manifests/${digest.replace(':', '-')}`, INDEX);
  if (response.status === 404) return [];
  const index = await json<{ manifests?: Descriptor[] }>(response);
  if (!index) return 'no-metadata';
  const bundles: Buffer[] = [];
  for (const entry of index.manifests ?? []) {
    if (entry.artifactType !== BUNDLE_TYPE || !entry.digest) continue;
    const manifest = await json<{ layers?: Descriptor[] }>(await get(`manifests/${entry.digest}`, MANIFEST));
    const layer = manifest?.layers?.find((l) => l.mediaType === BUNDLE_TYPE && l.digest);
    if (layer) bundles.push(await blob(get, layer.digest!));
  }
  return bundles;
}

/** Legacy signatures: the layers of the `sha256-<hex>.sig` manifest. */
async function legacySignatures(get: OciGet, digest: string) {
  const response = await get(`manifests/${digest.replace(':', '-')}.sig`, MANIFEST);
  if (response.status === 404) return [];
  const manifest = await json<{ layers?: Descriptor[] }>(response);
  if (!manifest) return 'no-metadata' as const;
  const layers = (manifest.layers ?? []).filter((l) => l.mediaType === SIMPLE_SIGNING && l.digest);
  return Promise.all(
    layers.map(async (l) => ({ payload: await blob(get, l.digest!), annotations: l.annotations ?? {} })),
  );
}

/**
 * The cosign signatures of an image digest, as provenance: verified (and who signed it: repository, workflow, ref
 * from the certificate), missing, or invalid when any signature attached to the image fails — a signature that does
 * not verify is what a forged one looks like. Signatures made with a key are not checked (mcp-lock has no key to
 * check them with) and count as none.
 */
export async function cosignProvenance(
  get: OciGet,
  digest: string,
  trustedRoot: () => Promise<unknown>,
): Promise<Provenance> {
  const bundles = await referrerBundles(get, digest);
  const legacy = await legacySignatures(get, digest);
  if (bundles === 'no-metadata' && legacy === 'no-metadata') return { status: 'no-metadata' };
  const found = [...(bundles === 'no-metadata' ? [] : bundles), ...(legacy === 'no-metadata' ? [] : legacy)];
  if (found.length === 0) return { status: 'missing' };
  const root = await trustedRoot();
  const checked: Checked[] = [
    ...(bundles === 'no-metadata' ? [] : bundles).map((b) => checkBundle(b, digest, root)),
    ...(legacy === 'no-metadata' ? [] : legacy).map((l) =>
      checkLegacy(l.payload, l.annotations, digest, root),
    ),
  ];
  const failed = checked.find((c): c is { ok: false; reason: string } => 'ok' in c && !c.ok);
  if (failed) return { status: 'invalid', reason: failed.reason };
  const verified = checked.find((c): c is { ok: true; san: string } => 'ok' in c && c.ok);
  if (!verified) return { status: 'missing' };
  const identity = workflowIdentity(verified.san);
  return 'signer' in identity
    ? { status: 'verified', builder: identity.signer }
    : { status: 'verified', ...identity };
}
