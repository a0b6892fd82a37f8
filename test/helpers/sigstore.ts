import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder } from '@sigstore/sign';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler,
  type HandlerFn,
} from '@sigstore/mock';
import { HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
// The package index loads nock, which breaks real HTTP: take the pieces directly.
import { tufHandlers } from '@tufjs/repo-mock/dist/handler.js';
import { initializeTUFRepo } from '@tufjs/repo-mock/dist/repo.js';

export interface SigstoreMock {
  url: string;
  /** The trusted root of this deployment, as JSON (what `--trusted-root` takes). */
  trustedRoot: unknown;
  /** The TUF root metadata of the mock repository that serves trusted_root.json. */
  tufRoot: unknown;
  /** An OIDC token for this identity; the mock Fulcio reads, and does not verify, its claims. */
  token(claims: { identity: string; issuer: string; repository?: string; ref?: string }): string;
  /** Logs an entry body in the mock Rekor, as Rekor integrates it; returns the bundle's transparency log entry (JSON). */
  logEntry(body: { kind: string; apiVersion: string; spec: unknown }): Promise<unknown>;
  close(): Promise<void>;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Fulcio, Rekor, a timestamp authority and a TUF repository from @sigstore/mock, served on 127.0.0.1 by a real
 * HTTP server, with the trusted root assembled from their keys.
 */
export async function startSigstoreMock(): Promise<SigstoreMock> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A whole second, a little ahead: the mocks' time parsing is flaky otherwise.
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000);
  const keyPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctlog = await initializeCTLog(keyPair, clock);
  const ca = await initializeCA(keyPair, ctlog, clock);
  const tlog = await initializeTLog(url, keyPair, clock);
  const tsa = await initializeTSA(keyPair, clock);
  const start = new Date(Date.now() - 86_400_000);
  const log = (key: Buffer) => ({
    baseUrl: url,
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: { rawBytes: key, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } },
    logId: { keyId: createHash('sha256').update(key).digest() },
    checkpointKeyId: undefined,
    operator: 'mock',
  });
  const authority = (certs: ArrayBufferView[]) => ({
    subject: { organization: 'mock', commonName: 'mock' },
    uri: url,
    certChain: {
      certificates: certs.map((c) => ({ rawBytes: Buffer.from(c.buffer, c.byteOffset, c.byteLength) })),
    },
    validFor: { start },
    operator: 'mock',
  });
  const root: TrustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [log(tlog.publicKey)],
    ctlogs: [log(ctlog.publicKey)],
    certificateAuthorities: [authority([ca.rootCertificate])],
    timestampAuthorities: [authority([tsa.intCertificate, tsa.rootCertificate])],
  };
  const trustedRoot = TrustedRoot.toJSON(root);
  const repo = initializeTUFRepo([{ name: 'trusted_root.json', content: JSON.stringify(trustedRoot) }]);

  const posts = new Map<string, HandlerFn>();
  for (const handler of [
    fulcioHandler(ca, { subjectClaim: 'identity' }),
    rekorHandler(tlog),
    tsaHandler(tsa),
  ])
    posts.set(handler.path, handler.fn);
  const gets = new Map(
    tufHandlers(repo, { metadataPathPrefix: '', targetPathPrefix: '/targets' }).map((h) => [h.path, h.fn]),
  );
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', url).pathname;
      const handler =
        req.method === 'POST' ? posts.get(path) : (gets.get(path) as unknown as HandlerFn | undefined);
      if (!handler) return res.writeHead(404).end();
      Promise.resolve(handler(Buffer.concat(chunks).toString())).then(
        ({ statusCode, response, contentType }) =>
          res
            .writeHead(statusCode, { 'content-type': contentType ?? 'application/octet-stream' })
            .end(response),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  return {
    url,
    trustedRoot,
    tufRoot: repo.rootMeta.toJSON(),
    token: ({ identity, issuer, repository, ref }) =>
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: issuer, sub: identity, identity, aud: 'sigstore', ...(repository ? { repository } : {}), ...(ref ? { ref } : {}) })}.c2ln`,
    logEntry: async (body) => {
      const logged = (await tlog.log(body)) as Record<
        string,
        {
          body: string;
          integratedTime: number;
          logID: string;
          logIndex: number;
          verification: {
            signedEntryTimestamp: string;
            inclusionProof: {
              logIndex: number;
              treeSize: number;
              rootHash: string;
              hashes: string[];
              checkpoint: string;
            };
          };
        }
      >;
      const entry = Object.values(logged)[0]!;
      const proof = entry.verification.inclusionProof;
      return {
        logIndex: String(entry.logIndex),
        logId: { keyId: Buffer.from(entry.logID, 'hex').toString('base64') },
        kindVersion: { kind: body.kind, version: body.apiVersion },
        integratedTime: String(entry.integratedTime),
        inclusionPromise: { signedEntryTimestamp: entry.verification.signedEntryTimestamp },
        inclusionProof: {
          logIndex: String(proof.logIndex),
          treeSize: String(proof.treeSize),
          rootHash: Buffer.from(proof.rootHash, 'hex').toString('base64'),
          hashes: proof.hashes.map((h) => Buffer.from(h, 'hex').toString('base64')),
          checkpoint: { envelope: proof.checkpoint },
        },
        canonicalizedBody: entry.body,
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * SLSA provenance for `bytes`, signed keyless through the mock Fulcio as the publishing workflow and logged in the
 * mock Rekor as a DSSE entry, as npm publishes it.
 */
export async function npmProvenance(
  sigstore: SigstoreMock,
  name: string,
  version: string,
  bytes: Buffer,
  workflow = {
    repository: 'https://github.com/acme/weather',
    path: '.github/workflows/publish.yml',
    ref: `refs/tags/v${version}`,
  },
) {
  const identity = `${workflow.repository}/${workflow.path}@${workflow.ref}`;
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      {
        name: `pkg:npm/${name.replace(/^@/, '%40')}@${version}`,
        digest: { sha512: createHash('sha512').update(bytes).digest('hex') },
      },
    ],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        externalParameters: { workflow },
      },
      runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' } },
    },
  };
  return [
    {
      predicateType: 'https://slsa.dev/provenance/v1',
      bundle: await signedStatement(sigstore, statement, identity),
    },
  ];
}

/** A DSSE bundle as JSON, the parts that go into its log entry. */
interface Logged {
  verificationMaterial: {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    tlogEntries?: unknown[];
  };
  dsseEnvelope: { payload: string; signatures: { sig: string }[] };
}

function certificateOf(bundle: Logged): string {
  return (
    bundle.verificationMaterial.certificate?.rawBytes ??
    bundle.verificationMaterial.x509CertificateChain!.certificates[0]!.rawBytes
  );
}

/** The DSSE entry Rekor integrates for a bundle (v0.0.1: payload hash, signature, verifier), logged in the mock. */
function logDsse(
  sigstore: SigstoreMock,
  bundle: Logged,
  payload: Buffer,
  verifierPem?: string,
): Promise<unknown> {
  const pem =
    verifierPem ?? `-----BEGIN CERTIFICATE-----\n${certificateOf(bundle)}\n-----END CERTIFICATE-----\n`;
  const hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
  return sigstore.logEntry({
    kind: 'dsse',
    apiVersion: '0.0.1',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: hex(JSON.stringify(bundle.dsseEnvelope)) },
      payloadHash: { algorithm: 'sha256', value: hex(payload) },
      signatures: [
        { signature: bundle.dsseEnvelope.signatures[0]!.sig, verifier: Buffer.from(pem).toString('base64') },
      ],
    },
  });
}

/**
 * PEP 740 provenance for one file, as PyPI's integrity API serves it: a publish attestation signed keyless through
 * the mock Fulcio as the publishing workflow and logged in the mock Rekor as a DSSE entry (PyPI attestations carry
 * no timestamp authority: the log entry is their timestamp).
 */
export async function pypiProvenance(
  sigstore: SigstoreMock,
  filename: string,
  bytesSha256: string,
  publisher = { repository: 'acme/fetch', workflow: 'release.yml', ref: 'refs/tags/v1' },
  signedAs?: string,
) {
  const identity =
    signedAs ??
    `https://github.com/${publisher.repository}/.github/workflows/${publisher.workflow}@${publisher.ref}`;
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: filename, digest: { sha256: bytesSha256 } }],
    predicateType: 'https://docs.pypi.org/attestations/publish/v1',
    predicate: null,
  };
  const bundle = (await signedStatement(sigstore, statement, identity)) as Logged;
  const certificate = certificateOf(bundle);
  const signature = bundle.dsseEnvelope.signatures[0]!.sig;
  const entry = bundle.verificationMaterial.tlogEntries![0];
  return {
    version: 1,
    attestation_bundles: [
      {
        publisher: {
          kind: 'GitHub',
          repository: publisher.repository,
          workflow: publisher.workflow,
          environment: null,
        },
        attestations: [
          {
            version: 1,
            verification_material: { certificate, transparency_entries: [entry] },
            envelope: { statement: bundle.dsseEnvelope.payload, signature },
          },
        ],
      },
    ],
  };
}

/** A statement signed keyless as `identity` through the mock Fulcio and logged in the mock Rekor: a bundle as JSON. */
export async function signedStatement(sigstore: SigstoreMock, statement: unknown, identity: string) {
  const token = sigstore.token({ identity, issuer: 'https://token.actions.githubusercontent.com' });
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: sigstore.url,
      identityProvider: { getToken: async () => token },
    }),
    witnesses: [],
  });
  const payload = Buffer.from(JSON.stringify(statement));
  const bundle = bundleToJSON(
    await builder.create({ data: payload, type: 'application/vnd.in-toto+json' }),
  ) as Logged;
  bundle.verificationMaterial.tlogEntries = [await logDsse(sigstore, bundle, payload)];
  return bundle;
}

/**
 * A legacy cosign signature of `payload`, keyless as `identity`: the signature, the certificate (PEM) and the Rekor
 * bundle annotation (a hashedrekord entry logged in the mock Rekor), as `cosign sign` attaches them to a `.sig` tag.
 */
export async function cosignLegacySignature(sigstore: SigstoreMock, payload: Buffer, identity: string) {
  const token = sigstore.token({ identity, issuer: 'https://token.actions.githubusercontent.com' });
  const builder = new MessageSignatureBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: sigstore.url,
      identityProvider: { getToken: async () => token },
    }),
    witnesses: [],
  });
  const bundle = bundleToJSON(await builder.create({ data: payload })) as unknown as Logged & {
    messageSignature: { signature: string };
  };
  const signature = bundle.messageSignature.signature;
  const pem = `-----BEGIN CERTIFICATE-----\n${certificateOf(bundle)}\n-----END CERTIFICATE-----\n`;
  const entry = (await sigstore.logEntry({
    kind: 'hashedrekord',
    apiVersion: '0.0.1',
    spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
      signature: { content: signature, publicKey: { content: Buffer.from(pem).toString('base64') } },
    },
  })) as {
    logIndex: string;
    logId: { keyId: string };
    integratedTime: string;
    inclusionPromise: { signedEntryTimestamp: string };
    canonicalizedBody: string;
  };
  return {
    'dev.cosignproject.cosign/signature': signature,
    'dev.sigstore.cosign/certificate': pem,
    'dev.sigstore.cosign/chain': '',
    'dev.sigstore.cosign/bundle': JSON.stringify({
      SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
      Payload: {
        body: entry.canonicalizedBody,
        integratedTime: Number(entry.integratedTime),
        logIndex: Number(entry.logIndex),
        logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex'),
      },
    }),
  };
}

/**
 * npm's publish attestation for a tarball, as the registry makes it: an in-toto statement signed with the registry's
 * key (hint = its key id) and logged in the mock Rekor.
 */
export async function npmPublishAttestation(
  sigstore: SigstoreMock,
  key: { privateKey: KeyObject; keyid: string },
  name: string,
  version: string,
  bytes: Buffer,
) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      {
        name: `pkg:npm/${name.replace(/^@/, '%40')}@${version}`,
        digest: { sha512: createHash('sha512').update(bytes).digest('hex') },
      },
    ],
    predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
    predicate: { name, version, registry: 'https://registry.example' },
  };
  const publicPem = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const builder = new DSSEBundleBuilder({
    signer: {
      sign: async (data) => ({
        signature: sign('sha256', data, key.privateKey),
        key: { $case: 'publicKey', publicKey: publicPem, hint: key.keyid },
      }),
    },
    witnesses: [],
  });
  const payload = Buffer.from(JSON.stringify(statement));
  const bundle = bundleToJSON(
    await builder.create({ data: payload, type: 'application/vnd.in-toto+json' }),
  ) as Logged;
  bundle.verificationMaterial.tlogEntries = [await logDsse(sigstore, bundle, payload, publicPem)];
  return { predicateType: statement.predicateType, bundle };
}
