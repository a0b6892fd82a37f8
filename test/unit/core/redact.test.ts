import { describe, expect, it } from 'vitest';
import {
  redactDeep,
  redactForLog,
  redactText,
  secretValues,
  stderrSecretValues,
} from '../../../src/core/redact.js';
import { redactUrl } from '../../../src/core/lockfile/source.js';

describe('secret redaction', () => {
  it('treats token-like values as secrets, and plain words or short values not', () => {
    expect(secretValues(['sk-abc12345', 'production', 'info', 'true', '12', 'AbCdEfGhIj'])).toEqual([
      'sk-abc12345',
      'AbCdEfGhIj',
    ]);
  });
  it('replaces secrets in text and deep in JSON, keys included', () => {
    expect(redactText('key=sk-abc12345;', ['sk-abc12345'])).toBe('key=<redacted>;');
    expect(redactDeep({ a: ['x sk-abc12345'], ['sk-abc12345']: 1 }, ['sk-abc12345'])).toEqual({
      a: ['x <redacted>'],
      '<redacted>': 1,
    });
  });
  it('replaces the longest secret first', () => {
    expect(redactText('abcdefgh1234', secretValues(['abcdefgh1234', 'abcdefgh12']))).toBe('<redacted>');
  });
});

describe('URLs in the lockfile', () => {
  it('drop userinfo and redact query values, keeping variable references', () => {
    expect(redactUrl('https://user:pass@mcp.example/sse?token=abc&x=${env:T}&flag#frag')).toBe(
      'https://mcp.example/sse?token=<redacted>&x=${env:T}&flag#frag',
    );
    expect(redactUrl('https://${HOST}/mcp')).toBe('https://${HOST}/mcp');
  });
});

describe('redactForLog', () => {
  it('blanks values under secret-looking keys whatever they hold, and known secrets anywhere', () => {
    expect(
      redactForLog(
        {
          arguments: { path: '/tmp/x', apiKey: 'plain', nested: { Authorization: 'Bearer x', password: 1 } },
          note: 'uses sk-abc12345',
          sessionId: 'abc',
        },
        ['sk-abc12345'],
      ),
    ).toEqual({
      arguments: {
        path: '/tmp/x',
        apiKey: '<redacted>',
        nested: { Authorization: '<redacted>', password: '<redacted>' },
      },
      note: 'uses <redacted>',
      sessionId: '<redacted>',
    });
  });
});

describe('stderrSecretValues', () => {
  it('also takes short and plain configured values, longest first, each once', () => {
    expect(stderrSecretValues(['sk-abc12345', 'prod', 'abc', 'prod'])).toEqual(['sk-abc12345', 'prod']);
  });
});
