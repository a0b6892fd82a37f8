import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedBytes } from '../../../src/signing/bundle.js';
import { signKeyless, verifyKeyless } from '../../../src/signing/keyless.js';
import { startSigstoreMock, type SigstoreMock } from '../../helpers/sigstore.js';

const IDENTITY = 'https://github.com/acme/app/.github/workflows/sign.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

let mock: SigstoreMock;
let bundle: unknown;
const bytes = signedBytes('{"lockfileVersion": 1}\n');

beforeAll(async () => {
  mock = await startSigstoreMock();
  process.env.SIGSTORE_ID_TOKEN = mock.token({
    identity: IDENTITY,
    issuer: ISSUER,
    repository: 'acme/app',
    ref: 'refs/heads/main',
  });
  bundle = await signKeyless(bytes, { fulcioURL: mock.url, rekorURL: mock.url, tsaURL: mock.url });
});
afterAll(async () => {
  delete process.env.SIGSTORE_ID_TOKEN;
  await mock.close();
});

describe('keyless signing against Fulcio, Rekor and a TSA on 127.0.0.1', () => {
  it('verifies with the exact identity and issuer, and names repository and ref', () => {
    const check = verifyKeyless(bytes, bundle, mock.trustedRoot, { identity: IDENTITY, issuer: ISSUER });
    expect(check).toMatchObject({ status: 'valid' });
    expect(check.status === 'valid' && check.signer).toMatch(
      /repository https:\/\/github.com\/acme\/app, ref refs\/heads\/main/,
    );
  });

  it('rejects near-miss identities: a prefix, a substring, an unanchored regexp', () => {
    for (const policy of [
      { identity: 'https://github.com/acme/app/.github/workflows/sign.yml@refs/heads/mai', issuer: ISSUER },
      { identity: 'acme/app', issuer: ISSUER },
      { identityRegexp: 'acme/app', issuer: ISSUER },
      { identity: IDENTITY, issuer: 'https://token.actions.githubusercontent.com/' },
    ]) {
      expect(verifyKeyless(bytes, bundle, mock.trustedRoot, policy).status, JSON.stringify(policy)).toBe(
        'untrusted',
      );
    }
    expect(
      verifyKeyless(bytes, bundle, mock.trustedRoot, {
        identityRegexp: 'https://github\\.com/acme/app/.*',
        issuer: ISSUER,
      }).status,
    ).toBe('valid');
  });

  it("other bytes are invalid; another deployment's root is untrusted", async () => {
    expect(
      verifyKeyless(signedBytes('{"lockfileVersion": 2}\n'), bundle, mock.trustedRoot, {
        identity: IDENTITY,
        issuer: ISSUER,
      }).status,
    ).toBe('invalid');
    const other = await startSigstoreMock();
    try {
      expect(
        verifyKeyless(bytes, bundle, other.trustedRoot, { identity: IDENTITY, issuer: ISSUER }).status,
      ).toBe('untrusted');
    } finally {
      await other.close();
    }
  });
});
