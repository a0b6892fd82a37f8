import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import type { Provenance } from './provenance.js';

/** One file's answer from the PyPI integrity API (PEP 740): attestation bundles, each from one Trusted Publisher. */
export interface PypiProvenance {
  version?: number;
  attestation_bundles?: {
    publisher?: { kind?: string; repository?: string; workflow?: string; project?: string };
    attestations?: PypiAttestation[];
  }[];
}

interface PypiAttestation {
  version?: number;
  verification_material?: { certificate?: string; transparency_entries?: unknown[] };
  envelope?: { statement?: string; signature?: string };
}

interface Statement {
  subject?: { name?: string; digest?: Record<string, string> }[];
}

/**
 * A PEP 740 attestation as the Sigstore bundle it is made from: the DSSE envelope over the in-toto statement, the
 * signing certificate, and the transparency log entries (which carry the signed timestamp).
 */
export function attestationBundle(attestation: PypiAttestation): unknown {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      certificate: { rawBytes: attestation.verification_material?.certificate ?? '' },
      tlogEntries: attestation.verification_material?.transparency_entries ?? [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: attestation.envelope?.statement ?? '',
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: attestation.envelope?.signature ?? '', keyid: '' }],
    },
  };
}

/** The certificate identity a Trusted Publisher signs with, and what it names (repository, workflow, ref). */
function publisherIdentity(
  publisher: { kind?: string; repository?: string; workflow?: string },
  san: string,
): { repository: string; workflow: string; ref: string } | string {
  const { kind, repository, workflow } = publisher;
  if (!repository || !workflow) return 'the attestation names no publishing repository and workflow';
  const prefix =
    kind === 'GitHub'
      ? `https://github.com/${repository}/.github/workflows/${workflow}@`
      : kind === 'GitLab'
        ? `https://gitlab.com/${repository}//${workflow}@`
        : undefined;
  if (!prefix) return `publisher kind ${kind ?? '(none)'} is not one mcp-lock can bind to a repository`;
  if (!san.startsWith(prefix))
    return `the certificate (${san}) is not the workflow the publisher names (${prefix}…)`;
  const host = kind === 'GitHub' ? 'https://github.com/' : 'https://gitlab.com/';
  return {
    repository: `${host}${repository}`,
    workflow: kind === 'GitHub' ? `.github/workflows/${workflow}` : workflow,
    ref: san.slice(prefix.length),
  };
}

/**
 * PEP 740 provenance of one file: every attestation verified with Sigstore (certificate from the trusted root's CA,
 * a transparency log entry required), its statement bound to this file's name and sha256, and its certificate bound
 * to the Trusted Publisher it names.
 */
export function verifyFileProvenance(
  filename: string,
  sha256: string,
  provenance: PypiProvenance,
  trustedRoot: unknown,
): Provenance {
  const bundles = provenance.attestation_bundles ?? [];
  const fail = (reason: string): Provenance => ({ status: 'invalid', reason: `${filename}: ${reason}` });
  let identity: Provenance | undefined;
  for (const { publisher, attestations } of bundles) {
    for (const attestation of attestations ?? []) {
      let san: string;
      let statement: Statement;
      try {
        const bundle = bundleFromJSON(attestationBundle(attestation));
        // PyPI attestations carry no timestamp authority: the log entry is the timestamp, so it is required.
        const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), {
          tlogThreshold: 1,
          ctlogThreshold: 1,
          timestampThreshold: 1,
        });
        san = verifier.verify(toSignedEntity(bundle)).identity?.subjectAlternativeName ?? '';
        if (bundle.content.$case !== 'dsseEnvelope') return fail('the attestation carries no statement');
        statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement;
      } catch (error) {
        return fail(`the attestation does not verify (${(error as Error).message})`);
      }
      if (!statement.subject?.some((s) => s.name === filename && s.digest?.sha256 === sha256))
        return fail('the attestation is for another file than this one with this sha256');
      const who = publisherIdentity(publisher ?? {}, san);
      if (typeof who === 'string') return fail(who);
      identity ??= { status: 'verified', ...who };
    }
  }
  return identity ?? { status: 'missing' };
}

/**
 * The provenance of a release from its files': verified only when every file is, by one publisher. A file without
 * provenance beside attested ones is what an upload with a stolen token looks like, so it fails the release.
 */
export function releaseProvenance(files: Record<string, Provenance>): Provenance {
  const entries = Object.entries(files);
  const invalid = entries.find(([, p]) => p.status === 'invalid');
  if (invalid) return invalid[1];
  const verified = entries.filter(([, p]) => p.status === 'verified');
  if (verified.length === 0) {
    return entries.some(([, p]) => p.status === 'no-metadata')
      ? { status: 'no-metadata' }
      : { status: 'missing' };
  }
  const unattested = entries.find(([, p]) => p.status !== 'verified');
  if (unattested) {
    return {
      status: 'invalid',
      reason: `${unattested[0]} has no provenance, while other files of the release do`,
    };
  }
  const first = verified[0]![1];
  const other = verified.find(([, p]) => p.repository !== first.repository || p.workflow !== first.workflow);
  if (other)
    return { status: 'invalid', reason: `${other[0]} was published from another repository or workflow` };
  return first;
}
