import type { SamplingPolicy } from '../core/lockfile/schema.js';
import {
  admitSampling,
  DEFAULT_SAMPLING_TIMEOUT_SECONDS,
  modelAllowed,
  type SamplingUse,
} from '../core/sampling.js';

/**
 * The session's sampling budget under the lockfile's policy: which requests go to the client, how long the client
 * gets to answer, and which answering models are refused.
 */
export class SamplingGuard {
  private use: SamplingUse = { recent: [], tokens: 0 };

  constructor(
    private readonly policy: SamplingPolicy | undefined,
    private readonly lockDisplay: string,
  ) {}

  /** Undefined when the request may go to the client (and is counted), else why not. */
  refusal(params: unknown, now: number): string | undefined {
    const admission = admitSampling(this.policy, this.use, params, now);
    if (!admission.allow) return admission.reason;
    this.use = admission.use;
    return undefined;
  }

  get timeoutSeconds(): number {
    return this.policy?.timeoutSeconds ?? DEFAULT_SAMPLING_TIMEOUT_SECONDS;
  }

  /** Why the client's answer may not go back to the server: a model the policy does not name. */
  answerRefusal(result: Record<string, unknown>): string | undefined {
    if (!this.policy || modelAllowed(this.policy, result.model)) return undefined;
    return `mcp-lock: sampling answered by model ${JSON.stringify(result.model)}, which the policy in ${this.lockDisplay} does not allow`;
  }
}
