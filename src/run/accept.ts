import { PROTECTED_CODES } from '../core/decisions.js';
import { FINDINGS, type FindingCode } from '../core/findings.js';
import { type Decision, type SamplingPolicy } from '../core/lockfile/schema.js';
import { SAMPLING_CODE } from '../core/sampling.js';
import { EXIT, type FailOn } from '../core/policy.js';
import { McpLockError } from '../errors.js';
import { type SigningConfig } from '../signing/lockfile-signature.js';
import type { Report } from '../report/model.js';
import { context, report, requireLock, saveLockfile } from './context.js';

export interface AcceptOptions {
  cwd: string;
  lockfile: string;
  /** `server`, `server/tool`, or `*` for every server. */
  target: string;
  code: string;
  reason: string;
  expires?: string;
  failOn: FailOn;
  signing?: SigningConfig;
}

/** The decisions with `decision` in place of any on the same server, tool and code, in a stable order. */
function withDecision(decisions: readonly Decision[] | undefined, decision: Decision): Decision[] {
  const key = (d: Decision) => `${d.server}\u0000${d.tool ?? ''}\u0000${d.code}`;
  return [...(decisions ?? []).filter((d) => key(d) !== key(decision)), decision].sort((a, b) =>
    key(a) < key(b) ? -1 : 1,
  );
}

/**
 * `accept`: records a reviewed decision in the lockfile, so a signed lockfile signs it too. Findings it covers are
 * still shown, marked accepted, and no longer fail the run; hidden-content and terminal-escape findings only yield
 * to a decision that names the exact server, tool and code.
 */
export async function accept(options: AcceptOptions): Promise<Report> {
  const ctx = context({ ...options, configs: [], user: false, servers: [], timeoutMs: 0, concurrency: 1 });
  const lock = await requireLock(ctx);
  if (!(options.code in FINDINGS)) {
    throw new McpLockError('usage', `unknown finding code "${options.code}"`, {
      hint: `use one of: ${Object.keys(FINDINGS).join(', ')}`,
    });
  }
  const slash = options.target.indexOf('/');
  const server = slash === -1 ? options.target : options.target.slice(0, slash);
  const tool = slash === -1 ? undefined : options.target.slice(slash + 1);
  if (server !== '*' && !(server in lock.servers)) {
    throw new McpLockError('server-unknown', `no server named "${server}" in ${ctx.lockDisplay}`, {
      hint: 'name a locked server, or * for every server',
    });
  }
  if (
    options.expires !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(options.expires) || Number.isNaN(Date.parse(options.expires)))
  ) {
    throw new McpLockError('usage', `--expires ${options.expires} is not a date`, {
      hint: 'write it as YYYY-MM-DD',
    });
  }
  if (options.reason.trim() === '')
    throw new McpLockError('usage', '--reason is empty', { hint: 'say why this was accepted' });
  const decision: Decision = { code: options.code, server, reason: options.reason.trim() };
  if (tool) decision.tool = tool;
  if (options.expires) decision.expires = options.expires;
  const signed = await saveLockfile(ctx, { ...lock, decisions: withDecision(lock.decisions, decision) });
  const protectedNote =
    PROTECTED_CODES.has(decision.code as FindingCode) && (server === '*' || !tool)
      ? [`${decision.code} is only ever accepted for a named server and tool: this decision will not hide it`]
      : [];
  return report(
    'accept',
    ctx,
    {
      lockfileWritten: true,
      servers: [],
      findings: [],
      notes: [
        `recorded: ${options.target} ${decision.code}${decision.expires ? ` until ${decision.expires}` : ''} ("${decision.reason}")`,
        ...protectedNote,
        ...(signed ? [signed] : []),
      ],
    },
    EXIT.ok,
  );
}

export interface AllowSamplingOptions {
  cwd: string;
  lockfile: string;
  /** A locked server, or `*` for every server. */
  server: string;
  policy: SamplingPolicy;
  reason: string;
  expires?: string;
  signing?: SigningConfig;
}

/**
 * `allow-sampling`: records the sampling a server may ask of the client under `mcp-lock run`, as a reviewed decision
 * (so a signed lockfile signs it too). Without one, every sampling request is refused.
 */
export async function allowSampling(options: AllowSamplingOptions): Promise<Report> {
  const ctx = context({
    ...options,
    configs: [],
    user: false,
    servers: [],
    timeoutMs: 0,
    concurrency: 1,
    failOn: 'low',
  });
  const lock = await requireLock(ctx);
  if (options.server !== '*' && !(options.server in lock.servers)) {
    throw new McpLockError('server-unknown', `no server named "${options.server}" in ${ctx.lockDisplay}`, {
      hint: 'name a locked server, or * for every server',
    });
  }
  if (options.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.expires)) {
    throw new McpLockError('usage', `--expires ${options.expires} is not a date`, {
      hint: 'write it as YYYY-MM-DD',
    });
  }
  if (options.reason.trim() === '')
    throw new McpLockError('usage', '--reason is empty', { hint: 'say why this server may sample' });
  const decision: Decision = {
    code: SAMPLING_CODE,
    server: options.server,
    reason: options.reason.trim(),
    ...(options.expires ? { expires: options.expires } : {}),
    sampling: options.policy,
  };
  const signed = await saveLockfile(ctx, { ...lock, decisions: withDecision(lock.decisions, decision) });
  const p = options.policy;
  return report(
    'accept',
    ctx,
    {
      lockfileWritten: true,
      servers: [],
      findings: [],
      notes: [
        `recorded: ${options.server} may sample up to ${p.maxTokens} tokens a request, ${p.requestsPerMinute} a minute${p.sessionTokens ? `, ${p.sessionTokens} a session` : ''}${p.models ? `, models ${p.models.join(', ')}` : ''} ("${decision.reason}")`,
        ...(signed ? [signed] : []),
      ],
    },
    EXIT.ok,
  );
}
