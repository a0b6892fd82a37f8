import { readFile, rm } from 'node:fs/promises';
import { finding, type Finding } from '../core/findings.js';
import { McpLockError } from '../errors.js';
import { writeAtomic } from '../lockfile-io.js';
import { signedBytes, signWithKey, verifyWithKeys } from './bundle.js';

/** The Sigstore bundle beside the lockfile. */
export function bundlePath(lockPath: string): string {
  return `${lockPath}.sigstore.json`;
}

export interface SignatureSummary {
  status: 'valid' | 'invalid' | 'untrusted' | 'missing' | 'unchecked';
  signer?: string;
  message: string;
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads a key file, or ends the run (exit 2) naming it. */
export async function readKey(path: string, what: 'public' | 'private'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new McpLockError('usage', `${path}: cannot read the ${what} key`, {
      hint:
        what === 'public'
          ? 'give the public key file made by `mcp-lock keygen` (--key)'
          : 'give the private key file made by `mcp-lock keygen`',
    });
  }
}

/**
 * Checks the lockfile's signature before anything else is read from it. Trust anchors come from the verifier
 * (`--key`), never from the lockfile. Without anchors a signature cannot be judged: it is reported unchecked, and a
 * missing one only counts when a signature is required or anchors were given.
 */
export async function checkSignature(
  lockText: string,
  lockPath: string,
  display: string,
  options: { trustedKeys: string[]; requireSignature: boolean },
): Promise<{ summary: SignatureSummary; findings: Finding[] }> {
  const text = await readIfPresent(bundlePath(lockPath));
  const subject = { server: display, field: 'signature' };
  if (text === null) {
    const required = options.requireSignature || options.trustedKeys.length > 0;
    return {
      summary: { status: 'missing', message: `${display} is not signed` },
      findings: required
        ? [
            finding('lockfile-signature-missing', {
              ...subject,
              message: `${display} has no signature (${display}.sigstore.json); sign it with \`mcp-lock sign\``,
            }),
          ]
        : [],
    };
  }
  if (options.trustedKeys.length === 0) {
    const findings = options.requireSignature
      ? [
          finding('lockfile-signer-untrusted', {
            ...subject,
            message: 'a signature is required, but no trust anchor was given (--key)',
          }),
        ]
      : [];
    return {
      summary: { status: 'unchecked', message: 'signed, but no trust anchor was given (--key): not checked' },
      findings,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const check = verifyWithKeys(signedBytes(lockText), json, options.trustedKeys);
  if (check.status === 'valid') {
    return {
      summary: {
        status: 'valid',
        signer: check.signer,
        message: `signed with key ${check.signer} (key mode: no trusted timestamp)`,
      },
      findings: [],
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
  };
}

/** `mcp-lock sign --key`: signs the lockfile as it is on disk, offline. */
export async function signLockfile(
  lockText: string,
  lockPath: string,
  display: string,
  privateKeyPath: string,
): Promise<string> {
  const bundle = await signWithKey(signedBytes(lockText), await readKey(privateKeyPath, 'private'));
  await writeAtomic(bundlePath(lockPath), `${display}.sigstore.json`, JSON.stringify(bundle, null, 2) + '\n');
  return `${display}.sigstore.json`;
}

/**
 * After the lockfile changed: re-sign it when a signing key is configured; otherwise remove the bundle, which
 * signed the previous content and would only fail verification, and say so.
 */
export async function refreshSignature(
  lockText: string,
  lockPath: string,
  display: string,
  signingKey: string | undefined,
): Promise<string | undefined> {
  if (signingKey) return `re-signed: wrote ${await signLockfile(lockText, lockPath, display, signingKey)}`;
  if ((await readIfPresent(bundlePath(lockPath))) === null) return undefined;
  await rm(bundlePath(lockPath), { force: true });
  return `removed ${display}.sigstore.json: it signed the previous lockfile; sign again with \`mcp-lock sign --key FILE\``;
}
