import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import type { LockPackage } from '../core/lockfile/schema.js';

export type Provenance = NonNullable<LockPackage['provenance']>;

const SLSA_PROVENANCE = /^https:\/\/slsa\.dev\/provenance\/v1/;

interface Statement {
  subject?: { name?: string; digest?: Record<string, string> }[];
  predicate?: {
    buildDefinition?: {
      externalParameters?: { workflow?: { repository?: string; path?: string; ref?: string } };
    };
    runDetails?: { builder?: { id?: string } };
  };
}

/** `pkg:npm/@scope/name@1.2.3` as npm writes it in provenance subjects (the `@` of a scope percent-encoded). */
function purl(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
}

/**
 * npm provenance: the SLSA provenance bundle published with the version, verified with Sigstore against the trusted
 * root, its in-toto subject bound to this exact tarball (name, version, sha512 = integrity), and its certificate bound
 * to the workflow the statement names. Records who built it: repository, workflow, ref, builder.
 */
export function verifyProvenance(
  name: string,
  version: string,
  integrity: string,
  attestations: { predicateType?: string; bundle?: unknown }[],
  trustedRoot: unknown,
): Provenance {
  const slsa = attestations.find((a) => SLSA_PROVENANCE.test(a.predicateType ?? ''));
  if (!slsa?.bundle) return { status: 'missing' };
  const fail = (reason: string): Provenance => ({ status: 'invalid', reason });
  let statement: Statement;
  let san: string;
  try {
    const bundle = bundleFromJSON(slsa.bundle);
    // npm logs every provenance bundle in Rekor: a transparency log entry is required, and is the signed timestamp.
    const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), {
      tlogThreshold: 1,
      ctlogThreshold: 1,
      timestampThreshold: 1,
    });
    const signer = verifier.verify(toSignedEntity(bundle));
    san = signer.identity?.subjectAlternativeName ?? '';
    if (bundle.content.$case !== 'dsseEnvelope')
      return fail('the provenance bundle carries no in-toto statement');
    statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement;
  } catch (error) {
    return fail(`the provenance bundle does not verify (${(error as Error).message})`);
  }
  const sha512 = Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
  const bound = statement.subject?.some((s) => s.name === purl(name, version) && s.digest?.sha512 === sha512);
  if (!bound)
    return fail(`the provenance is for another artifact than ${name}@${version} with this integrity`);
  const workflow = statement.predicate?.buildDefinition?.externalParameters?.workflow;
  if (!workflow?.repository || !workflow.path) return fail('the provenance names no source workflow');
  const expected = `${workflow.repository}/${workflow.path}@${workflow.ref ?? ''}`;
  if (san !== expected)
    return fail(`the certificate (${san}) is not the workflow the provenance names (${expected})`);
  const builder = statement.predicate?.runDetails?.builder?.id;
  return {
    status: 'verified',
    repository: workflow.repository,
    workflow: workflow.path,
    ...(workflow.ref ? { ref: workflow.ref } : {}),
    ...(builder ? { builder } : {}),
  };
}

const NPM_PUBLISH = /^https:\/\/github\.com\/npm\/attestation\/tree\/main\/specs\/publish\//;

/** A key of the registry's keys endpoint: the same list signs packages and npm's publish attestations. */
export interface RegistryKey {
  keyid: string;
  key: string;
  expires?: string | null;
}

/**
 * npm's publish attestation: the registry's own statement that it received this tarball for this name and version,
 * signed with a key from its keys endpoint and logged in Rekor. Undefined when there is none (or no keys to check
 * it with: a mirror); otherwise verified, or the reason it is not.
 */
export function verifyPublishAttestation(
  name: string,
  version: string,
  integrity: string,
  attestations: { predicateType?: string; bundle?: unknown }[],
  keys: RegistryKey[] | undefined,
  trustedRoot: unknown,
): 'verified' | { invalid: string } | undefined {
  const publish = attestations.find((a) => NPM_PUBLISH.test(a.predicateType ?? ''));
  if (!publish?.bundle || !keys) return undefined;
  try {
    const bundle = bundleFromJSON(publish.bundle);
    const material = bundle.verificationMaterial.content;
    const hint = material.$case === 'publicKey' ? material.publicKey.hint : undefined;
    const key = keys.find((k) => k.keyid === hint);
    if (!hint || !key)
      return {
        invalid: `the publish attestation is signed by a key the registry does not publish (${hint ?? 'none'})`,
      };
    const trust = toTrustMaterial(TrustedRoot.fromJSON(trustedRoot), {
      [hint]: {
        rawBytes: Buffer.from(key.key, 'base64'),
        keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
        validFor: { start: new Date(0), ...(key.expires ? { end: new Date(key.expires) } : {}) },
      },
    });
    new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 }).verify(
      toSignedEntity(bundle),
    );
    if (bundle.content.$case !== 'dsseEnvelope')
      return { invalid: 'the publish attestation carries no statement' };
    const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement;
    const sha512 = Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
    if (!statement.subject?.some((s) => s.name === purl(name, version) && s.digest?.sha512 === sha512))
      return {
        invalid: `the publish attestation is for another artifact than ${name}@${version} with this integrity`,
      };
    return 'verified';
  } catch (error) {
    return { invalid: `the publish attestation does not verify (${(error as Error).message})` };
  }
}
