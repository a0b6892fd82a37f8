import type { Decision, SamplingPolicy } from './lockfile/schema.js';

/** The decision code that carries a sampling policy; no finding has it, so finding decisions never match it. */
export const SAMPLING_CODE = 'sampling';

export const DEFAULT_SAMPLING_TIMEOUT_SECONDS = 60;

/** The sampling policy the lockfile grants a server (its own before `*`), unless it has expired. */
export function samplingPolicyFor(
  decisions: readonly Decision[] | undefined,
  server: string,
  today: string,
): SamplingPolicy | undefined {
  const live = (decisions ?? []).filter(
    (d) => d.code === SAMPLING_CODE && d.sampling && (d.expires === undefined || d.expires >= today),
  );
  return (live.find((d) => d.server === server) ?? live.find((d) => d.server === '*'))?.sampling;
}

/** What one session has used so far: request times inside the last minute and tokens asked for. */
export interface SamplingUse {
  recent: number[];
  tokens: number;
}

export type Admission = { allow: true; use: SamplingUse } | { allow: false; reason: string };

/**
 * Whether one `sampling/createMessage` may go to the client. Sampling spends the user's model on the server's
 * prompt, so a server gets none unless a reviewed policy grants it, and then only within its limits.
 */
export function admitSampling(
  policy: SamplingPolicy | undefined,
  use: SamplingUse,
  params: unknown,
  now: number,
): Admission {
  if (!policy) return { allow: false, reason: 'sampling is not allowed for this server by the lockfile' };
  const maxTokens = (params as { maxTokens?: unknown } | undefined)?.maxTokens;
  if (typeof maxTokens !== 'number' || !Number.isFinite(maxTokens) || maxTokens <= 0)
    return { allow: false, reason: 'the request names no maxTokens' };
  if (maxTokens > policy.maxTokens)
    return { allow: false, reason: `it asks for ${maxTokens} tokens; the policy allows ${policy.maxTokens}` };
  const recent = use.recent.filter((t) => now - t < 60_000);
  if (recent.length >= policy.requestsPerMinute)
    return { allow: false, reason: `rate limit: ${policy.requestsPerMinute} requests per minute` };
  if (policy.sessionTokens !== undefined && use.tokens + maxTokens > policy.sessionTokens)
    return { allow: false, reason: `session budget: ${policy.sessionTokens} tokens` };
  return { allow: true, use: { recent: [...recent, now], tokens: use.tokens + maxTokens } };
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Whether the model that answered is one the policy names (any, when it names none). */
export function modelAllowed(policy: SamplingPolicy, model: unknown): boolean {
  if (!policy.models) return true;
  return typeof model === 'string' && policy.models.some((m) => glob(m).test(model));
}
