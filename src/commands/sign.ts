import { resolve } from 'node:path';
import { McpLockError } from '../errors.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/model.js';
import { signLockfile, type SigningConfig } from '../signing/lockfile-signature.js';
import { parseLockfileText } from '../store/lockfile-store.js';
import { openWorkspace, type WorkspaceInput } from '../workspace.js';
import { defineCommand } from './definition.js';
import { ENDPOINT_PARAMS, REPORT_PARAMS } from './params.js';
import { waitNotice } from './options.js';
import { signingConfig } from './trust.js';

export interface SignOptions extends WorkspaceInput {
  signing: SigningConfig;
}

/** `sign`: signs the lockfile as it is, beside it as `<lockfile>.sigstore.json` (a key offline, or keyless). */
export async function sign(options: SignOptions): Promise<Report> {
  const { store, discovery, exclusive } = openWorkspace(options);
  // Held so the text signed is the text that stays: a writer renaming a new lockfile meanwhile would orphan the bundle.
  return exclusive(async () => {
    const text = await store.requireText();
    await parseLockfileText(text, store.display);
    const signing: SigningConfig =
      options.signing.mode === 'key'
        ? { mode: 'key', keyFile: resolve(discovery.cwd, options.signing.keyFile) }
        : options.signing;
    const written = await signLockfile(text, store.path, store.display, signing);
    return buildReport(
      'sign',
      { lockfile: store.display, failOn: 'low', rule: 'none' },
      { lockfileWritten: false, servers: [], findings: [], notes: [`wrote ${written}`] },
    );
  });
}

export const signCommand = defineCommand({
  name: 'sign',
  summary: 'sign the lockfile (writes <lockfile>.sigstore.json): with a key, offline, or keyless',
  args: [],
  params: ['lockfile', 'signingKey', 'keyless', ...ENDPOINT_PARAMS, ...REPORT_PARAMS],
  run({ params, io }) {
    // The signing mode comes from sign's own flags: a key in the environment is for the commands that write the
    // lockfile. The endpoints of a private Sigstore deployment may come from the environment.
    const { MCP_LOCK_SIGNING_KEY: _key, MCP_LOCK_SIGN_KEYLESS: _keyless, ...env } = io.env;
    const signing = signingConfig(
      { ...params, signKey: params.signingKey, signKeyless: params.keyless },
      env,
    );
    if (!signing) {
      throw new McpLockError('usage', 'sign needs --key FILE or --keyless', {
        hint: 'make a key with `mcp-lock keygen`',
      });
    }
    return sign({ cwd: io.cwd, env: io.env, lockfile: params.lockfile, onWait: waitNotice(io), signing });
  },
});
