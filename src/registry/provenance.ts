import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
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
