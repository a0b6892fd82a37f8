import { PROTECTED_CODES, UNWAIVABLE_CODES, withDecision } from '../core/decisions.js';
import { FINDINGS, type FindingCode } from '../core/findings.js';
import type { Decision } from '../core/lockfile/schema.js';
import { McpLockError } from '../errors.js';
import { buildReport } from '../report/build.js';
import type { CommandName, Report } from '../report/model.js';
import type { SigningConfig } from '../signing/lockfile-signature.js';
import type { LockfileStore } from '../store/lockfile-store.js';
import { openWorkspace, type WorkspaceInput } from '../workspace.js';
import { defineCommand } from './definition.js';
import { checkDate, REPORT_PARAMS, SIGNING_PARAMS } from './params.js';
import { waitNotice } from './options.js';
import { signingConfig } from './trust.js';

export interface DecisionOptions extends WorkspaceInput {
  reason: string;
  expires?: string;
  signing?: SigningConfig;
}

export interface AcceptOptions extends DecisionOptions {
  /** `server`, `server/tool`, or `*` for every server. */
  target: string;
  code: string;
}

/**
 * Records a decision in the lockfile (so a signed lockfile signs it too) and re-signs or drops the stale signature.
 * Shared by `accept` and `allow-sampling`.
 */
export async function recordDecision(
  command: CommandName,
  options: DecisionOptions,
  decision: Omit<Decision, 'reason' | 'expires'>,
  notes: (recorded: Decision) => string[],
): Promise<Report> {
  const workspace = openWorkspace(options);
  return workspace.exclusive(() => recordDecisionHolding(command, options, decision, notes, workspace.store));
}

async function recordDecisionHolding(
  command: CommandName,
  options: DecisionOptions,
  decision: Omit<Decision, 'reason' | 'expires'>,
  notes: (recorded: Decision) => string[],
  store: LockfileStore,
): Promise<Report> {
  const lock = await store.require();
  if (decision.server !== '*' && !Object.hasOwn(lock.servers, decision.server)) {
    throw new McpLockError('server-unknown', `no server named "${decision.server}" in ${store.display}`, {
      hint: 'name a locked server, or * for every server',
    });
  }
  checkDate('--expires', options.expires);
  const reason = options.reason.trim();
  if (reason === '') throw new McpLockError('usage', '--reason is empty', { hint: 'say why' });
  const recorded: Decision = {
    ...decision,
    reason,
    ...(options.expires ? { expires: options.expires } : {}),
  };
  const signed = await store.save(
    { ...lock, decisions: withDecision(lock.decisions, recorded) },
    options.signing,
  );
  return buildReport(
    command,
    { lockfile: store.display, failOn: 'low', rule: 'none' },
    {
      lockfileWritten: true,
      servers: [],
      findings: [],
      notes: [...notes(recorded), ...(signed ? [signed] : [])],
    },
  );
}

/**
 * `accept`: records a reviewed decision in the lockfile. Findings it covers are still shown, marked accepted, and no
 * longer fail the run; hidden-content and terminal-escape findings only yield to a decision that names the exact
 * server, tool and code.
 */
export function accept(options: AcceptOptions): Promise<Report> {
  if (!Object.hasOwn(FINDINGS, options.code)) {
    throw new McpLockError('usage', `unknown finding code "${options.code}"`, {
      hint: `use one of: ${Object.keys(FINDINGS).join(', ')}`,
    });
  }
  if (UNWAIVABLE_CODES.has(options.code as FindingCode)) {
    throw new McpLockError('usage', `${options.code} cannot be accepted`, {
      hint: 'a lockfile must not vouch for its own signature or for bytes nobody reviewed: fix the cause, then `mcp-lock update` and re-sign',
    });
  }
  const slash = options.target.indexOf('/');
  const server = slash === -1 ? options.target : options.target.slice(0, slash);
  const tool = slash === -1 ? undefined : options.target.slice(slash + 1);
  return recordDecision('accept', options, { code: options.code, server, ...(tool ? { tool } : {}) }, (d) => [
    `recorded: ${options.target} ${d.code}${d.expires ? ` until ${d.expires}` : ''} ("${d.reason}")`,
    ...(PROTECTED_CODES.has(d.code as FindingCode) && (server === '*' || !tool)
      ? [`${d.code} is only ever accepted for a named server and tool: this decision will not hide it`]
      : []),
  ]);
}

export const acceptCommand = defineCommand({
  name: 'accept',
  summary:
    'record a reviewed decision in the lockfile: findings it covers are shown as accepted and do not fail',
  args: [{ name: '<target>', description: 'server, server/tool, or * for every server' }],
  params: ['code', 'reason', 'expires', 'lockfile', ...REPORT_PARAMS, ...SIGNING_PARAMS],
  run: ({ args, params, io }) => {
    const signing = signingConfig(params, io.env);
    return accept({
      cwd: io.cwd,
      env: io.env,
      lockfile: params.lockfile,
      onWait: waitNotice(io),
      target: args[0] as string,
      code: params.code,
      reason: params.reason,
      ...(params.expires !== undefined ? { expires: params.expires } : {}),
      ...(signing ? { signing } : {}),
    });
  },
});
