import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { McpLockError } from '../errors.js';
import { PUBLIC_SIGSTORE } from '../signing/endpoints.js';
import type { SigningConfig, TrustAnchors } from '../signing/lockfile-signature.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface SigningFlags {
  signKey?: string;
  signKeyless?: boolean;
  fulcioUrl?: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

export interface AnchorFlags {
  key?: string[];
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  trustedRoot?: string;
  tufMirror?: string;
  tufRoot?: string;
  requireSignature?: boolean;
}

/** --sign-key / --sign-keyless and the endpoints of a private Sigstore deployment. */
export function addSigningOptions(command: Command, prefix = 'sign-'): Command {
  return command
    .option(`--${prefix}key <file>`, 'sign with this private key (or MCP_LOCK_SIGNING_KEY)')
    .option(
      `--${prefix}keyless`,
      'sign keyless with an OIDC token: GitHub Actions id-token, or SIGSTORE_ID_TOKEN (or MCP_LOCK_SIGN_KEYLESS=1)',
    )
    .option('--fulcio-url <url>', 'Fulcio of a private Sigstore deployment (or SIGSTORE_FULCIO_URL)')
    .option('--rekor-url <url>', 'Rekor of a private Sigstore deployment (or SIGSTORE_REKOR_URL)')
    .option('--tsa-url <url>', 'a timestamp authority to countersign (or SIGSTORE_TSA_URL)');
}

/** Where the Sigstore trusted root comes from (lockfile signatures and npm provenance). */
export function addTrustedRootOptions(command: Command): Command {
  return command
    .option(
      '--trusted-root <file>',
      'the Sigstore trusted root to verify against (default: TUF, then its cache, then the seeded root)',
    )
    .option('--tuf-mirror <url>', 'the TUF repository of a private Sigstore deployment')
    .option('--tuf-root <file>', 'the initial TUF root.json of that repository');
}

/** Trust anchors for verify, with cosign's names. */
export function addAnchorOptions(command: Command): Command {
  return addTrustedRootOptions(command)
    .option(
      '--key <file>',
      'a trusted public key (repeatable; or MCP_LOCK_TRUSTED_KEYS, a list of files)',
      (v, prev: string[]) => [...prev, v],
      [],
    )
    .option(
      '--certificate-identity <identity>',
      'the exact signer identity (certificate SAN) a keyless signature must have',
    )
    .option(
      '--certificate-identity-regexp <regexp>',
      'a regexp the whole signer identity must match (anchored)',
    )
    .option('--certificate-oidc-issuer <issuer>', 'the exact OIDC issuer a keyless signature must have')
    .option('--require-signature', 'a lockfile without a valid signature fails', false);
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

/** The verifier's trust anchors, from flags and environment only. */
export async function trustAnchors(flags: AnchorFlags, env: Env): Promise<TrustAnchors> {
  const files = [
    ...(flags.key ?? []),
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
    trustedRoot: {
      cachePath: join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mcp-lock', 'tuf'),
      ...(flags.trustedRoot ? { file: flags.trustedRoot } : {}),
      ...(flags.tufMirror ? { mirror: flags.tufMirror } : {}),
      ...(flags.tufRoot ? { tufRoot: flags.tufRoot } : {}),
    },
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
