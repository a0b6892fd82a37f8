import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { McpLockError } from '../errors.js';
import { PUBLIC_SIGSTORE } from '../signing/endpoints.js';
import type { SigningConfig, TrustAnchors } from '../signing/lockfile-signature.js';
import type { TrustedRootOptions } from '../signing/trusted-root.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface SigningFlags {
  signKey?: string | undefined;
  signKeyless?: boolean | undefined;
  fulcioUrl?: string | undefined;
  rekorUrl?: string | undefined;
  tsaUrl?: string | undefined;
}

export interface TrustedRootFlags {
  trustedRoot?: string | undefined;
  tufMirror?: string | undefined;
  tufRoot?: string | undefined;
}

export interface AnchorFlags extends TrustedRootFlags {
  trustedKey?: string[] | undefined;
  certificateIdentity?: string | undefined;
  certificateIdentityRegexp?: string | undefined;
  certificateOidcIssuer?: string | undefined;
  requireSignature?: boolean | undefined;
}

/** The signing mode configured by flags or environment, if any. */
export function signingConfig(flags: SigningFlags, env: Env): SigningConfig | undefined {
  const key = flags.signKey ?? env.MCP_LOCK_SIGNING_KEY;
  const keyless = flags.signKeyless === true || /^(1|true)$/i.test(env.MCP_LOCK_SIGN_KEYLESS ?? '');
  if (key && keyless)
    throw new McpLockError('usage', 'both a signing key and keyless signing are configured', {
      hint: 'choose one',
    });
  if (key) return { mode: 'key', keyFile: key };
  if (!keyless) return undefined;
  const tsaURL = flags.tsaUrl ?? env.SIGSTORE_TSA_URL;
  return {
    mode: 'keyless',
    endpoints: {
      fulcioURL: flags.fulcioUrl ?? env.SIGSTORE_FULCIO_URL ?? PUBLIC_SIGSTORE.fulcioURL,
      rekorURL: flags.rekorUrl ?? env.SIGSTORE_REKOR_URL ?? PUBLIC_SIGSTORE.rekorURL,
      ...(tsaURL ? { tsaURL } : {}),
    },
  };
}

/** Where the Sigstore trusted root comes from (lockfile signatures and package provenance). */
export function trustedRootOptions(flags: TrustedRootFlags, env: Env, home = homedir()): TrustedRootOptions {
  return {
    cachePath: join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'mcp-lock', 'tuf'),
    ...(flags.trustedRoot ? { file: flags.trustedRoot } : {}),
    ...(flags.tufMirror ? { mirror: flags.tufMirror } : {}),
    ...(flags.tufRoot ? { tufRoot: flags.tufRoot } : {}),
  };
}

/** Whether any trust anchor was given: then a signature is checked before anything is trusted. */
export function anchored(anchors: TrustAnchors | undefined): anchors is TrustAnchors {
  return (
    anchors !== undefined &&
    (anchors.keys.length > 0 || anchors.identity !== undefined || anchors.requireSignature)
  );
}

/** The verifier's trust anchors, from flags and environment only. */
export async function trustAnchors(flags: AnchorFlags, env: Env, home = homedir()): Promise<TrustAnchors> {
  const files = [
    ...(flags.trustedKey ?? []),
    ...(env.MCP_LOCK_TRUSTED_KEYS?.split(delimiter).filter(Boolean) ?? []),
  ];
  const {
    certificateIdentity: identity,
    certificateIdentityRegexp: regexp,
    certificateOidcIssuer: issuer,
  } = flags;
  if (identity !== undefined && regexp !== undefined) {
    throw new McpLockError(
      'usage',
      '--certificate-identity and --certificate-identity-regexp exclude each other',
      { hint: 'give one' },
    );
  }
  if ((identity !== undefined || regexp !== undefined) !== (issuer !== undefined)) {
    throw new McpLockError(
      'usage',
      'a keyless trust anchor needs both an identity and --certificate-oidc-issuer',
      {
        hint: 'e.g. --certificate-identity https://github.com/OWNER/REPO/.github/workflows/sign.yml@refs/heads/main --certificate-oidc-issuer https://token.actions.githubusercontent.com',
      },
    );
  }
  if (regexp !== undefined) {
    try {
      new RegExp(regexp);
    } catch {
      throw new McpLockError('usage', `--certificate-identity-regexp ${regexp} is not a valid regexp`, {
        hint: 'fix the pattern',
      });
    }
  }
  // Loaded only when keys are given: the Sigstore libraries are slow to load and most runs need none of them.
  const { readKey } =
    files.length > 0 ? await import('../signing/lockfile-signature.js') : { readKey: undefined };
  const anchors: TrustAnchors = {
    keys: await Promise.all(files.map((f) => readKey!(f, 'public'))),
    requireSignature: flags.requireSignature ?? false,
    trustedRoot: trustedRootOptions(flags, env, home),
  };
  if (issuer !== undefined) {
    anchors.identity = {
      issuer,
      ...(identity !== undefined ? { identity } : {}),
      ...(regexp !== undefined ? { identityRegexp: regexp } : {}),
    };
  }
  return anchors;
}
