import { createPrivateKey, createPublicKey } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { finding, type Finding } from '../core/findings.js';
import { McpLockError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { describeProblem, readBounded } from '../store/bounded-read.js';
// The Sigstore libraries take a while to load: they are imported when a signature is actually made or checked.
import type { SignatureCheck } from './bundle.js';
import { signedBytes } from './bytes.js';
import type { KeylessEndpoints } from './endpoints.js';
import type { IdentityPolicy } from './keyless.js';
import type { TrustedRootOptions } from './trusted-root.js';

/** The Sigstore bundle beside the lockfile. */
export function bundlePath(lockPath: string): string {
  return `${lockPath}.sigstore.json`;
}

/** How install, update, accept and sign sign the lockfile: a local key, or keyless through Sigstore. */
export type SigningConfig =
  { mode: 'key'; keyFile: string } | { mode: 'keyless'; endpoints: KeylessEndpoints };

/** The verifier's trust anchors: public keys, and/or an identity with the trusted root to check it against. */
export interface TrustAnchors {
  keys: string[];
  identity?: IdentityPolicy;
  trustedRoot?: TrustedRootOptions;
  requireSignature: boolean;
}

export interface SignatureSummary {
  status: 'valid' | 'invalid' | 'untrusted' | 'missing' | 'unchecked';
  signer?: string;
  message: string;
}

/** A Sigstore bundle is a few KB (a certificate chain and a log entry). */
const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

async function readIfPresent(path: string): Promise<string | null> {
  const read = await readBounded(path, MAX_BUNDLE_BYTES);
  if (read.ok) return read.text;
  if (read.problem.kind === 'missing') return null;
  throw new McpLockError('lockfile-unreadable', `${path}: ${describeProblem(read.problem)}`, {
    hint: 'the signature bundle is a small JSON file beside the lockfile: restore it, or sign again',
  });
}

/** Key files are a few hundred bytes; anything far larger is not one. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * Reads a PEM key file and checks that it holds a key of the kind asked for, or ends the run (exit 2) naming it:
 * `--key /etc/passwd` is a wrong file, said in one line, not a failure inside the signer.
 */
export async function readKey(path: string, what: 'public' | 'private'): Promise<string> {
  const hint =
    what === 'public'
      ? 'give the public key file made by `mcp-lock keygen` (--key)'
      : 'give the private key file made by `mcp-lock keygen`';
  const read = await readBounded(path, MAX_KEY_BYTES);
  if (!read.ok) {
    throw new McpLockError(
      'key-unreadable',
      `${path}: cannot read the ${what} key: ${describeProblem(read.problem)}`,
      {
        hint,
      },
    );
  }
  try {
    if (what === 'private') createPrivateKey(read.text);
    else createPublicKey(read.text);
  } catch {
    throw new McpLockError('key-invalid', `${path}: not a PEM ${what} key`, { hint });
  }
  return read.text;
}

function isKeyBundle(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    'publicKey' in ((json as { verificationMaterial?: object }).verificationMaterial ?? {})
  );
}

/**
 * Checks the lockfile's signature before anything else is read from it. Trust anchors come from the verifier
 * (flags or environment), never from the lockfile. Without anchors a signature cannot be judged: it is reported
 * unchecked, and a missing one only counts when a signature is required or anchors were given.
 */
export async function checkSignature(
  lockText: string,
  lockPath: string,
  display: string,
  anchors: TrustAnchors,
): Promise<{ summary: SignatureSummary; findings: Finding[]; notes: string[] }> {
  const text = await readIfPresent(bundlePath(lockPath));
  const subject = { server: display, field: 'signature' };
  const anchored = anchors.keys.length > 0 || anchors.identity !== undefined;
  if (text === null) {
    return {
      summary: { status: 'missing', message: `${display} is not signed` },
      findings:
        anchors.requireSignature || anchored
          ? [
              finding('lockfile-signature-missing', {
                ...subject,
                message: `${display} has no signature (${display}.sigstore.json); sign it with \`mcp-lock sign\``,
              }),
            ]
          : [],
      notes: [],
    };
  }
  if (!anchored) {
    const findings = anchors.requireSignature
      ? [
          finding('lockfile-signer-untrusted', {
            ...subject,
            message:
              'a signature is required, but no trust anchor was given (--key or --certificate-identity)',
          }),
        ]
      : [];
    return {
      summary: {
        status: 'unchecked',
        message: 'signed, but no trust anchor was given (--key or --certificate-identity): not checked',
      },
      findings,
      notes: [],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const bytes = signedBytes(lockText);
  const notes: string[] = [];
  let check: SignatureCheck;
  if (isKeyBundle(json) || anchors.identity === undefined) {
    const { verifyWithKeys } = await import('./bundle.js');
    check = verifyWithKeys(bytes, json, anchors.keys);
  } else {
    const { loadTrustedRoot } = await import('./trusted-root.js');
    const { verifyKeyless } = await import('./keyless.js');
    const loaded = await loadTrustedRoot(anchors.trustedRoot ?? { cachePath: '' });
    if (loaded.warning) notes.push(loaded.warning);
    check = verifyKeyless(bytes, json, loaded.root, anchors.identity);
  }
  if (check.status === 'valid') {
    const how = check.signer.startsWith('SHA256:')
      ? `with key ${check.signer} (key mode: no trusted timestamp)`
      : `by ${check.signer}`;
    return {
      summary: { status: 'valid', signer: check.signer, message: `signed ${how}` },
      findings: [],
      notes,
    };
  }
  const code = check.status === 'invalid' ? 'lockfile-signature-invalid' : 'lockfile-signer-untrusted';
  return {
    summary: {
      status: check.status,
      ...(check.signer ? { signer: check.signer } : {}),
      message: check.reason,
    },
    findings: [finding(code, { ...subject, message: check.reason })],
    notes,
  };
}

/** Signs the lockfile text as it is, into `<lockfile>.sigstore.json`. Key mode needs no network at all. */
export async function signLockfile(
  lockText: string,
  lockPath: string,
  display: string,
  config: SigningConfig,
): Promise<string> {
  const bytes = signedBytes(lockText);
  let bundle: unknown;
  if (config.mode === 'key') {
    const { signWithKey } = await import('./bundle.js');
    bundle = await signWithKey(bytes, await readKey(config.keyFile, 'private'));
  } else {
    try {
      const { signKeyless } = await import('./keyless.js');
      bundle = await signKeyless(bytes, config.endpoints);
    } catch (error) {
      throw new McpLockError('signing-failed', `keyless signing failed: ${(error as Error).message}`, {
        hint: 'run where an OIDC token is available (GitHub Actions with `id-token: write`, or SIGSTORE_ID_TOKEN), and check --fulcio-url/--rekor-url',
      });
    }
  }
  await writeFileAtomic(bundlePath(lockPath), JSON.stringify(bundle, null, 2) + '\n', {
    display: `${display}.sigstore.json`,
    code: 'lockfile-write',
  });
  return `${display}.sigstore.json`;
}

/**
 * After the lockfile changed: re-sign it when a signing mode is configured; otherwise remove the bundle, which
 * signed the previous content and would only fail verification, and say so.
 */
export async function refreshSignature(
  lockText: string,
  lockPath: string,
  display: string,
  config: SigningConfig | undefined,
): Promise<string | undefined> {
  if (config) return `re-signed: wrote ${await signLockfile(lockText, lockPath, display, config)}`;
  if ((await readIfPresent(bundlePath(lockPath))) === null) return undefined;
  await rm(bundlePath(lockPath), { force: true });
  return `warning: removed ${display}.sigstore.json: it signed the previous lockfile, and verify --require-signature fails until you sign again with \`mcp-lock sign\``;
}
