/**
 * Makes text a server sent safe to print: control characters, escape sequences, invisible and direction-changing
 * characters become visible escapes (`\x1b`, `<U+200B>`), so a description can neither drive the terminal nor
 * hide words from the reviewer. `multiline` keeps line breaks (for descriptions shown as blocks).
 */
export function escapeText(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/gu, (ch) => {
    if (ch === '\n' && options.multiline) return ch;
    if (ch === '\t') return options.multiline ? '  ' : '\\t';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}

/** Shortens to `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
