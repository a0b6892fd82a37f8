import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { McpLockError } from '../errors.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/model.js';
import { generateKeyPair, keyFingerprint, publicKeyFrom } from '../signing/keys.js';
import type { Env } from '../workspace.js';
import { defineCommand } from './definition.js';
import { REPORT_PARAMS } from './params.js';

export interface KeygenOptions {
  cwd: string;
  privateKey?: string;
  publicKey?: string;
  env?: Env;
  home?: string;
}

/**
 * `keygen`: an ECDSA P-256 key pair. The private key goes to the user's config folder with 0600 permissions (never
 * into the repository by default); the public key, which verifiers pass as --key, to the working directory.
 */
export async function keygen(
  options: KeygenOptions,
): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
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
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new McpLockError('key-exists', `${path}: already exists`, {
          hint: 'move the old key away first, or name other files with --private-key/--public-key',
        });
      }
      throw new McpLockError('key-write', `${path}: cannot be written`, { hint: 'check the folder' });
    }
  }
  return {
    privateKey: privatePath,
    publicKey: publicPath,
    fingerprint: keyFingerprint(publicKeyFrom(pair.publicKey)),
  };
}

export const keygenCommand = defineCommand({
  name: 'keygen',
  summary: 'make an ECDSA P-256 key pair for signing the lockfile offline',
  args: [],
  params: ['privateKey', 'publicKey', ...REPORT_PARAMS],
  async run({ params, io }): Promise<Report> {
    const made = await keygen({
      cwd: io.cwd,
      env: io.env,
      publicKey: params.publicKey,
      ...(params.privateKey !== undefined ? { privateKey: params.privateKey } : {}),
    });
    return buildReport(
      'keygen',
      { lockfile: '', failOn: 'low', rule: 'none' },
      {
        lockfileWritten: false,
        servers: [],
        findings: [],
        notes: [
          `wrote ${made.privateKey} (private: keep it out of the repository)`,
          `wrote ${made.publicKey} (public: verifiers pass it as --key)`,
          `key ${made.fingerprint}`,
        ],
      },
    );
  },
});
