import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EXIT, type FailOn } from '../core/policy.js';
import { McpLockError } from '../errors.js';
import { parseLockfileText, readLockfileText } from '../lockfile-io.js';
import { generateKeyPair, keyFingerprint, publicKeyFrom } from '../signing/keys.js';
import { signLockfile, type SigningConfig } from '../signing/lockfile-signature.js';
import type { Report } from '../report/model.js';
import { context, report } from './context.js';

/** `sign --key`: signs the lockfile as it is, offline, beside it as `<lockfile>.sigstore.json`. */
export async function sign(options: {
  cwd: string;
  lockfile: string;
  signing: SigningConfig;
  failOn: FailOn;
}): Promise<Report> {
  const ctx = context({ ...options, configs: [], user: false, servers: [], timeoutMs: 0, concurrency: 1 });
  const text = await readLockfileText(ctx.lockPath, ctx.lockDisplay);
  if (text === null) {
    throw new McpLockError('lockfile-missing', `${ctx.lockDisplay}: no lockfile`, {
      hint: 'run `mcp-lock install` first',
    });
  }
  parseLockfileText(text, ctx.lockDisplay);
  const signing: SigningConfig =
    options.signing.mode === 'key'
      ? { mode: 'key', keyFile: resolve(ctx.discovery.cwd, options.signing.keyFile) }
      : options.signing;
  const written = await signLockfile(text, ctx.lockPath, ctx.lockDisplay, signing);
  return report(
    'sign',
    ctx,
    { lockfileWritten: false, servers: [], findings: [], notes: [`wrote ${written}`] },
    EXIT.ok,
  );
}

/**
 * `keygen`: an ECDSA P-256 key pair. The private key goes to the user's config folder with 0600 permissions (never
 * into the repository by default); the public key, which verifiers pass as --key, to the working directory.
 */
export async function keygen(options: {
  cwd: string;
  privateKey?: string;
  publicKey?: string;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
}): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const privatePath = resolve(
    options.cwd,
    options.privateKey ?? join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'mcp-lock', 'mcp-lock.key'),
  );
  const publicPath = resolve(options.cwd, options.publicKey ?? 'mcp-lock.pub');
  const pair = generateKeyPair();
  await mkdir(dirname(privatePath), { recursive: true, mode: 0o700 });
  for (const [path, text, mode] of [
    [privatePath, pair.privateKey, 0o600],
    [publicPath, pair.publicKey, 0o644],
  ] as const) {
    try {
      await writeFile(path, text, { flag: 'wx', mode });
    } catch (error) {
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
      throw new McpLockError('usage', `${path}: ${exists ? 'already exists' : 'cannot be written'}`, {
        hint: exists
          ? 'move the old key away first, or name other files with --private-key/--public-key'
          : 'check the folder',
      });
    }
  }
  return {
    privateKey: privatePath,
    publicKey: publicPath,
    fingerprint: keyFingerprint(publicKeyFrom(pair.publicKey)),
  };
}
