import { POLICY_FILES, policyText, type PolicyClient } from '../core/client-policy.js';
import { escapeText } from '../report/escape.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { openWorkspace } from '../workspace.js';
import type { CommandIO } from './definition.js';
import { defineCommand } from './definition.js';
import { resolve } from 'node:path';

export interface PolicyOptions {
  cwd: string;
  lockfile: string;
  env?: CommandIO['env'];
  for: PolicyClient;
  /** Where to write the policy; standard output when left out. */
  output?: string;
}

/**
 * `policy --for <client>`: the client's own allow-list, written from the reviewed lockfile (exact launch lines at the
 * pinned versions, URLs, or for Cursor the reviewed tools). Reads the lockfile only; launches nothing.
 */
export async function policy(
  options: PolicyOptions,
  io: Pick<CommandIO, 'stdout' | 'stderr'>,
): Promise<number> {
  const workspace = openWorkspace(options);
  const lock = await workspace.store.require();
  const { text, notes } = policyText(options.for, lock);
  if (options.output === undefined) io.stdout.write(text);
  else {
    const path = resolve(options.cwd, options.output);
    await writeFileAtomic(path, text, { display: options.output, code: 'config-write' });
    io.stderr.write(
      `mcp-lock policy: wrote ${escapeText(options.output)} (${POLICY_FILES[options.for]} for ${options.for})\n`,
    );
  }
  for (const note of notes) io.stderr.write(`note: ${escapeText(note)}\n`);
  return 0;
}

export const policyCommand = defineCommand({
  name: 'policy',
  summary: "write a client's MCP allow-list from the lockfile (Claude Code, Copilot, VS Code, Codex, Cursor)",
  args: [],
  params: ['forClient', 'policyOutput', 'lockfile'],
  run: ({ params, io }) =>
    policy(
      {
        cwd: io.cwd,
        env: io.env,
        lockfile: params.lockfile,
        for: params.forClient,
        ...(params.policyOutput !== undefined ? { output: params.policyOutput } : {}),
      },
      io,
    ),
});
