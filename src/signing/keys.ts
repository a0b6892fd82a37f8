import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** An ECDSA P-256 key pair as PEM: PKCS#8 private key, SPKI public key. */
export function generateKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}

/**
 * The key's fingerprint, `SHA256:<base64>` of its SPKI DER (the form `ssh-keygen -l` uses): the bundle's key hint,
 * and how the report names the signer.
 */
export function keyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return 'SHA256:' + createHash('sha256').update(der).digest('base64').replace(/=+$/, '');
}

export function publicKeyFrom(pem: string): KeyObject {
  return createPublicKey(pem);
}
