import { bundleToJSON, type Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import {
  CIContextProvider,
  FulcioSigner,
  MessageSignatureBundleBuilder,
  RekorWitness,
  TSAWitness,
  type Witness,
} from '@sigstore/sign';
import { toSignedEntity, toTrustMaterial, VerificationError, Verifier } from '@sigstore/verify';
import { parseBundle, type SignatureCheck } from './bundle.js';
import type { KeylessEndpoints } from './endpoints.js';

export { PUBLIC_SIGSTORE, type KeylessEndpoints } from './endpoints.js';

/**
 * Keyless signing: an OIDC identity token (GitHub Actions' ID token when the job has `id-token: write`, or
 * SIGSTORE_ID_TOKEN) buys a short-lived Fulcio certificate; the signature is logged in Rekor and, when a TSA is
 * given, timestamped. The bundle carries the certificate: the verifier checks who, not which key.
 */
export async function signKeyless(bytes: Buffer, endpoints: KeylessEndpoints): Promise<unknown> {
  const witnesses: Witness[] = [new RekorWitness({ rekorBaseURL: endpoints.rekorURL })];
  if (endpoints.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: endpoints.tsaURL }));
  const signer = new FulcioSigner({
    fulcioBaseURL: endpoints.fulcioURL,
    identityProvider: new CIContextProvider('sigstore'),
  });
  return bundleToJSON(await new MessageSignatureBundleBuilder({ signer, witnesses }).create({ data: bytes }));
}

/** What the verifier expects of a keyless signer: cosign's flags, matched exactly (or anchored), never by substring. */
export interface IdentityPolicy {
  identity?: string;
  identityRegexp?: string;
  issuer: string;
}

// Fulcio certificate extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
const SOURCE_REPOSITORY = '1.3.6.1.4.1.57264.1.12';
const SOURCE_REF = '1.3.6.1.4.1.57264.1.14';
const LEGACY_REPOSITORY = '1.3.6.1.4.1.57264.1.5';
const LEGACY_REF = '1.3.6.1.4.1.57264.1.6';

/** An extension's text: DER UTF8String for the current OIDs, raw bytes for the legacy ones. */
function extensionText(cert: X509Certificate, oid: string, der: boolean): string | undefined {
  const ext = cert.extension(oid);
  if (!ext) return undefined;
  const value = ext.value;
  if (!der) return value.toString('utf8');
  // UTF8String: tag 0x0c, then a short or long length.
  let offset = 2;
  if ((value[1]! & 0x80) !== 0) offset += value[1]! & 0x7f;
  return value.subarray(offset).toString('utf8');
}

function describeSigner(bundle: Bundle, san: string, issuer: string): string {
  const content = bundle.verificationMaterial.content;
  const raw =
    content.$case === 'x509CertificateChain'
      ? content.x509CertificateChain.certificates[0]?.rawBytes
      : content.$case === 'certificate'
        ? content.certificate.rawBytes
        : undefined;
  const parts = [san, `issuer ${issuer}`];
  if (raw) {
    const cert = X509Certificate.parse(Buffer.from(raw));
    const repository =
      extensionText(cert, SOURCE_REPOSITORY, true) ?? extensionText(cert, LEGACY_REPOSITORY, false);
    const ref = extensionText(cert, SOURCE_REF, true) ?? extensionText(cert, LEGACY_REF, false);
    if (repository) parts.push(`repository ${repository}`);
    if (ref) parts.push(`ref ${ref}`);
    parts.push(`certificate issued ${cert.notBefore.toISOString()}`);
  }
  return parts.join(', ');
}

/** The identity a certificate names must be exactly the expected one, or match the regexp from start to end. */
function identityMatches(san: string, policy: IdentityPolicy): boolean {
  if (policy.identity !== undefined) return san === policy.identity;
  if (policy.identityRegexp !== undefined) return new RegExp(`^(?:${policy.identityRegexp})$`).test(san);
  return false;
}

/**
 * Checks a keyless bundle against a trusted root and an identity policy supplied by the verifier. A chain to no
 * trusted CA, or another identity or issuer, is `untrusted`; a signature or log entry that does not match is `invalid`.
 */
export function verifyKeyless(
  bytes: Buffer,
  bundleJson: unknown,
  trustedRoot: unknown,
  policy: IdentityPolicy,
): SignatureCheck {
  const parsed = parseBundle(bundleJson);
  if (!('bundle' in parsed)) return parsed;
  const { bundle } = parsed;
  if (bundle.verificationMaterial.content.$case === 'publicKey') {
    return {
      status: 'untrusted',
      reason: 'signed with a key, but an identity (--certificate-identity) was given as trust anchor',
    };
  }
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1,
  });
  let san: string;
  let issuer: string;
  try {
    const signer = verifier.verify(toSignedEntity(bundle, bytes));
    san = signer.identity?.subjectAlternativeName ?? '';
    issuer = signer.identity?.extensions?.issuer ?? '';
  } catch (error) {
    const code = error instanceof VerificationError ? error.code : '';
    // A signature over other bytes is tampering; anything else (chain, log or timestamp keys) is a signer we do not trust.
    const invalid = code === 'SIGNATURE_ERROR' || code === 'TLOG_BODY_ERROR';
    return {
      status: invalid ? 'invalid' : 'untrusted',
      reason: `${invalid ? 'the signature does not match the lockfile' : 'the signature does not chain to the trusted root'} (${(error as Error).message})`,
    };
  }
  const who = describeSigner(bundle, san, issuer);
  if (issuer !== policy.issuer)
    return {
      status: 'untrusted',
      reason: `signed by ${who}: not the expected issuer ${policy.issuer}`,
      signer: who,
    };
  if (!identityMatches(san, policy)) {
    return {
      status: 'untrusted',
      reason: `signed by ${who}: not the expected identity ${policy.identity ?? `/${policy.identityRegexp}/`}`,
      signer: who,
    };
  }
  return { status: 'valid', signer: who };
}
