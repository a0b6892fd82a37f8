import type { SamplingPolicy } from '../core/lockfile/schema.js';
import { SAMPLING_CODE } from '../core/sampling.js';
import type { Report } from '../report/model.js';
import { recordDecision, type DecisionOptions } from './accept.js';
import { defineCommand } from './definition.js';
import { REPORT_PARAMS, SIGNING_PARAMS } from './params.js';
import { waitNotice } from './options.js';
import { signingConfig } from './trust.js';

export interface AllowSamplingOptions extends DecisionOptions {
  /** A locked server, or `*` for every server. */
  server: string;
  policy: SamplingPolicy;
}

/**
 * `allow-sampling`: records the sampling a server may ask of the client under `mcp-lock run`, as a reviewed decision
 * (so a signed lockfile signs it too). Without one, every sampling request is refused.
 */
export function allowSampling(options: AllowSamplingOptions): Promise<Report> {
  const p = options.policy;
  return recordDecision(
    'allow-sampling',
    options,
    { code: SAMPLING_CODE, server: options.server, sampling: p },
    (d) => [
      `recorded: ${options.server} may sample up to ${p.maxTokens} tokens a request, ${p.requestsPerMinute} a minute${p.sessionTokens ? `, ${p.sessionTokens} a session` : ''}${p.models ? `, models ${p.models.join(', ')}` : ''} ("${d.reason}")`,
    ],
  );
}

export const allowSamplingCommand = defineCommand({
  name: 'allow-sampling',
  summary: 'record the sampling a server may ask of the client under `mcp-lock run` (default: none)',
  args: [{ name: '<server>', description: 'a locked server, or * for every server' }],
  params: [
    'maxTokens',
    'perMinute',
    'model',
    'timeoutSeconds',
    'sessionTokens',
    'reason',
    'expires',
    'lockfile',
    ...REPORT_PARAMS,
    ...SIGNING_PARAMS,
  ],
  run: ({ args, params, io }) => {
    const signing = signingConfig(params, io.env);
    return allowSampling({
      cwd: io.cwd,
      env: io.env,
      lockfile: params.lockfile,
      onWait: waitNotice(io),
      server: args[0] as string,
      reason: params.reason,
      ...(params.expires !== undefined ? { expires: params.expires } : {}),
      ...(signing ? { signing } : {}),
      policy: {
        maxTokens: params.maxTokens,
        requestsPerMinute: params.perMinute,
        ...(params.model.length > 0 ? { models: params.model } : {}),
        ...(params.timeoutSeconds ? { timeoutSeconds: params.timeoutSeconds } : {}),
        ...(params.sessionTokens ? { sessionTokens: params.sessionTokens } : {}),
      },
    });
  },
});
