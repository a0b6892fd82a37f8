import { createPrivateKey, createPublicKey, sign as signData } from 'node:crypto';
import { bundleFromJSON, bundleToJSON, type Bundle } from '@sigstore/bundle';
import { MessageSignatureBundleBuilder } from '@sigstore/sign';
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify';
import { keyFingerprint } from './keys.js';

export { signedBytes } from './bytes.js';

/**
 * Signs with a local ECDSA P-256 key, entirely offline: a standard Sigstore bundle (message signature, key hint
 * = the key's fingerprint) with no transparency-log entry or timestamp.
 */
export async function signWithKey(bytes: Buffer, privateKeyPem: string): Promise<unknown> {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const hint = keyFingerprint(publicKey);
  const builder = new MessageSignatureBundleBuilder({
    signer: {
      sign: async (data) => ({
        signature: signData('sha256', data, privateKey),
        key: {
          $case: 'publicKey',
          publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          hint,
        },
      }),
    },
    witnesses: [],
  });
  return bundleToJSON(await builder.create({ data: bytes }));
}

export type SignatureCheck =
  | { status: 'valid'; signer: string }
  | { status: 'invalid'; reason: string; signer?: string }
  | { status: 'untrusted'; reason: string; signer?: string };

function hintOf(bundle: Bundle): string | undefined {
  const content = bundle.verificationMaterial.content;
  return content.$case === 'publicKey' ? content.publicKey.hint : undefined;
}

/** A bundle from its JSON, or the `invalid` result that a malformed one is. */
export function parseBundle(json: unknown): { bundle: Bundle } | SignatureCheck {
  try {
    return { bundle: bundleFromJSON(json) };
  } catch (error) {
    return { status: 'invalid', reason: `the signature bundle is malformed (${(error as Error).message})` };
  }
}

/**
 * Checks a key-mode bundle against the trusted public keys (given by the verifier, never taken from the lockfile):
 * a key the verifier does not trust is `untrusted`; a trusted key whose signature does not match is `invalid`.
 */
export function verifyWithKeys(
  bytes: Buffer,
  bundleJson: unknown,
  trustedKeys: readonly string[],
): SignatureCheck {
  const parsed = parseBundle(bundleJson);
  if (!('bundle' in parsed)) return parsed;
  const { bundle } = parsed;
  const hint = hintOf(bundle);
  if (hint === undefined)
    return {
      status: 'untrusted',
      reason: 'signed with a certificate, but only keys (--key) were given as trust anchors',
    };
  const keys = new Map(
    trustedKeys.map((pem) => [keyFingerprint(createPublicKey(pem)), createPublicKey(pem)]),
  );
  const key = keys.get(hint);
  if (!key)
    return {
      status: 'untrusted',
      reason: `signed by key ${hint}, which is not among the trusted keys`,
      signer: hint,
    };
  const trust: TrustMaterial = {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => ({ publicKey: key, validFor: () => true }),
  };
  try {
    new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
      toSignedEntity(bundle, bytes),
    );
    return { status: 'valid', signer: hint };
  } catch (error) {
    return {
      status: 'invalid',
      reason: `the signature does not match the lockfile (${(error as Error).message})`,
      signer: hint,
    };
  }
}
