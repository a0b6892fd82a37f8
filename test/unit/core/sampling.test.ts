import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/core/lockfile/schema.js';
import { admitSampling, modelAllowed, samplingPolicyFor } from '../../../src/core/sampling.js';

const policy = { maxTokens: 500, requestsPerMinute: 2, sessionTokens: 900, models: ['claude-*'] };
const fresh = { recent: [], tokens: 0 };

describe('admitSampling', () => {
  it('refuses every request without a policy', () => {
    expect(admitSampling(undefined, fresh, { maxTokens: 10 }, 0)).toMatchObject({ allow: false });
  });

  it('admits a request within the limits and counts it', () => {
    expect(admitSampling(policy, fresh, { maxTokens: 300 }, 1000)).toEqual({
      allow: true,
      use: { recent: [1000], tokens: 300 },
    });
  });

  it('refuses more tokens than one request may ask for, or none named', () => {
    expect(admitSampling(policy, fresh, { maxTokens: 501 }, 0)).toMatchObject({ allow: false });
    expect(admitSampling(policy, fresh, {}, 0)).toMatchObject({ allow: false });
    expect(admitSampling(policy, fresh, { maxTokens: -1 }, 0)).toMatchObject({ allow: false });
  });

  it('refuses past the rate, and admits again once a minute has passed', () => {
    const use = { recent: [0, 10_000], tokens: 0 };
    expect(admitSampling(policy, use, { maxTokens: 1 }, 30_000)).toEqual({
      allow: false,
      reason: 'rate limit: 2 requests per minute',
    });
    expect(admitSampling(policy, use, { maxTokens: 1 }, 60_001)).toMatchObject({ allow: true });
  });

  it('refuses past the session budget', () => {
    expect(admitSampling(policy, { recent: [], tokens: 800 }, { maxTokens: 200 }, 0)).toEqual({
      allow: false,
      reason: 'session budget: 900 tokens',
    });
  });
});

describe('modelAllowed', () => {
  it('matches names with * as a wildcard and nothing else special', () => {
    expect(modelAllowed(policy, 'claude-sonnet-4')).toBe(true);
    expect(modelAllowed(policy, 'gpt-5')).toBe(false);
    expect(modelAllowed(policy, undefined)).toBe(false);
    expect(modelAllowed({ ...policy, models: ['a.b'] }, 'aXb')).toBe(false);
    expect(modelAllowed({ maxTokens: 1, requestsPerMinute: 1 }, 'anything')).toBe(true);
  });
});

describe('samplingPolicyFor', () => {
  const decisions: Decision[] = [
    { code: 'sampling', server: '*', reason: 'all', sampling: { maxTokens: 1, requestsPerMinute: 1 } },
    { code: 'sampling', server: 's', reason: 'mine', sampling: { maxTokens: 9, requestsPerMinute: 9 } },
    {
      code: 'sampling',
      server: 'old',
      reason: 'gone',
      expires: '2020-01-01',
      sampling: { maxTokens: 5, requestsPerMinute: 5 },
    },
    { code: 'tool-description-changed', server: 'x', reason: 'reviewed' },
  ];

  it("takes the server's own policy before the one for every server", () => {
    expect(samplingPolicyFor(decisions, 's', '2026-01-01')?.maxTokens).toBe(9);
    expect(samplingPolicyFor(decisions, 'x', '2026-01-01')?.maxTokens).toBe(1);
  });

  it('ignores an expired policy', () => {
    expect(samplingPolicyFor(decisions, 'old', '2026-01-01')?.maxTokens).toBe(1);
    expect(samplingPolicyFor(decisions.slice(2), 'old', '2026-01-01')).toBeUndefined();
  });
});
