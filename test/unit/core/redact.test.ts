import { describe, expect, it } from 'vitest';
import {
  configSecrets,
  redactDeep,
  redactForLog,
  redactText,
  secretForms,
} from '../../../src/core/redact.js';
import { redactArguments, redactUrl, secretArguments } from '../../../src/core/lockfile/source.js';

describe('secret redaction', () => {
  it('treats every configured value as a secret, whatever it looks like, except one or two characters', () => {
    const secrets = configSecrets(['sk-abc12345', 'production', 'abcdef', 'true', '12']);
    for (const value of ['sk-abc12345', 'production', 'abcdef', 'true']) expect(secrets).toContain(value);
    expect(secrets).not.toContain('12');
  });
  it('knows a secret in its common encodings and parts', () => {
    const forms = secretForms('Bearer tok_live_4f9a');
    expect(forms).toEqual(
      expect.arrayContaining(['Bearer tok_live_4f9a', 'tok_live_4f9a', btoa('tok_live_4f9a')]),
    );
    expect(secretForms('http://alice:s3cr%40t@proxy:3128')).toEqual(
      expect.arrayContaining(['alice:s3cr%40t', 's3cr%40t', 's3cr@t']),
    );
    expect(secretForms(`Basic ${btoa('bob:hunter22')}`)).toEqual(
      expect.arrayContaining(['bob:hunter22', 'hunter22']),
    );
    expect(secretForms('a b/c')).toEqual(expect.arrayContaining([encodeURIComponent('a b/c')]));
  });
  it('replaces secrets in text and deep in JSON, keys included', () => {
    expect(redactText('key=sk-abc12345;', ['sk-abc12345'])).toBe('key=<redacted>;');
    expect(redactDeep({ a: ['x sk-abc12345'], ['sk-abc12345']: 1 }, ['sk-abc12345'])).toEqual({
      a: ['x <redacted>'],
      '<redacted>': 1,
    });
  });
  it('replaces the longest secret first', () => {
    expect(redactText('abcdefgh1234', configSecrets(['abcdefgh12', 'abcdefgh1234']))).toBe('<redacted>');
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

describe('secrets in arguments', () => {
  it('are stored redacted, flag names kept, variable references and counts left alone', () => {
    const args = [
      '-y',
      'figma-developer-mcp',
      '--figma-api-key=fig_123',
      '--access-token',
      'plain',
      '--stdio',
    ];
    expect(redactArguments(args)).toEqual([
      '-y',
      'figma-developer-mcp',
      '--figma-api-key=<redacted>',
      '--access-token',
      '<redacted>',
      '--stdio',
    ]);
    expect(secretArguments(args).map((a) => a.value)).toEqual(['fig_123', 'plain']);
    expect(redactArguments(['--token=${TOKEN}', '--max-tokens', '100', '--keyboard', 'us'])).toEqual([
      '--token=${TOKEN}',
      '--max-tokens',
      '100',
      '--keyboard',
      'us',
    ]);
  });
});
