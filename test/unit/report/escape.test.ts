import { describe, expect, it } from 'vitest';
import { escapeText, truncate } from '../../../src/report/escape.js';

describe('escaping what servers send before printing it', () => {
  it('shows ESC, CSI, OSC and C0/C1 controls as visible escapes', () => {
    const out = escapeText('a\u001b[2Jb\u001b]8;;http://x\u0007c\u009bd\u0000e');
    expect(out).toBe('a\\x1b[2Jb\\x1b]8;;http://x\\x07c<U+009B>d\\x00e');
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
  it('shows invisible and direction-changing characters as <U+XXXX>', () => {
    expect(escapeText('x\u200by\u202ez\u{e0041}\ufeff')).toBe('x<U+200B>y<U+202E>z<U+E0041><U+FEFF>');
  });
  it('keeps newlines only in multiline mode', () => {
    expect(escapeText('a\nb')).toBe('a\\nb');
    expect(escapeText('a\nb\r', { multiline: true })).toBe('a\nb\\r');
  });
  it('leaves ordinary text, accents and emoji alone', () => {
    expect(escapeText('Grüße — 東京 🌧')).toBe('Grüße — 東京 🌧');
  });
  it('truncates with a count', () => {
    expect(truncate('abcdef', 3)).toBe('abc… (3 more characters)');
    expect(truncate('abc', 3)).toBe('abc');
  });
});
